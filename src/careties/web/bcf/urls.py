"""BCF pages, under /bcf/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.page, name="page"),
    path("goals/", views.goals, name="goals"),
    path("relationship-metrics/new/", views.new_relationship_metric, name="relationship_new"),
    path("core20-weight/", views.core20, name="core20"),
    path("return/<str:quarter>/", views.commentary, name="commentary"),
    path("return/<str:quarter>.<str:fmt>", views.download_return, name="return"),
]
