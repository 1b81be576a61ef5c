from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "careties.web.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
