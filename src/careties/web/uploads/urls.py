"""Data uploads, under /data/."""

from django.urls import path

from . import views

app_name = "uploads"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/errors.csv", views.errors_csv, name="errors"),
]
