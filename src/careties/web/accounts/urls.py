"""Account pages: users, passwords."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/<int:pk>/remove/", views.remove, name="remove"),
    path("users/<int:pk>/link/", views.new_link, name="new_link"),
    path("password/", views.password, name="password"),
    path("password/changed/", views.password_changed, name="password_changed"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
