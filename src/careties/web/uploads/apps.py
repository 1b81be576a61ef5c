from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "careties.web.uploads"
    label = "uploads"
    default_auto_field = "django.db.models.BigAutoField"
