from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "careties.web.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"

    def ready(self) -> None:
        """Every unhandled error gets an id, logged and shown on the 500 page."""
        from django.core.signals import got_request_exception

        from careties.web.dashboard.errors import record_failure

        got_request_exception.connect(record_failure, dispatch_uid="careties-error-id")
