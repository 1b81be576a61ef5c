from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "careties.web.surveys"
    label = "surveys"
    verbose_name = "Survey collection"
    default_auto_field = "django.db.models.BigAutoField"
