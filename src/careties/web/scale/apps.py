from django.apps import AppConfig


class ScaleConfig(AppConfig):
    name = "careties.web.scale"
    label = "scale"
    verbose_name = "Versions and aggregates"
    default_auto_field = "django.db.models.BigAutoField"
