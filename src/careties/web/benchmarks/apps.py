from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "careties.web.benchmarks"
    label = "benchmarks"
    verbose_name = "Published ASCOF and peer groups"
    default_auto_field = "django.db.models.BigAutoField"
