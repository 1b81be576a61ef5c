"""URL map: accounts, then each area of the dashboard."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from careties.web.accounts.views import LoginView

handler403 = "careties.web.dashboard.errors.forbidden"
handler404 = "careties.web.dashboard.errors.not_found"
handler500 = "careties.web.dashboard.errors.server_error"

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("careties.web.accounts.urls")),
    path("programme/", include(("careties.web.programme.urls", "programme"))),
    path("bcf/", include(("careties.web.bcf.urls", "bcf"))),
    path("data/", include("careties.web.uploads.urls")),
    path("api/oruk/", include("careties.web.programme.api_urls")),
    path("", include("careties.web.surveys.urls")),
    path("", include("careties.web.dashboard.urls")),
]
