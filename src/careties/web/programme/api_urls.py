"""Open Referral UK API paths, included by careties.web.urls at /api/oruk/."""

from django.urls import path

from .views import api

urlpatterns = [
    path("", api.root, name="oruk_root"),
    path("services", api.service_list, name="oruk_services"),
    path("services/<str:service_id>", api.service_detail, name="oruk_service"),
]
