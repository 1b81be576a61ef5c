from django.apps import AppConfig
from django.core.signals import got_request_exception


class DashboardConfig(AppConfig):
    name = "careties.web.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"

    def ready(self) -> None:
        """Register every section now, and give every unhandled error an id.

        Sections register when their module is imported. The BCF-only ones live
        in ``report``, which only the views import, and the views are imported
        with the URLconf on the first request: without this, the registry grew
        in the middle of a request, and code looping over it (a test walking
        every section) met "dictionary changed size during iteration".
        """
        # Imported for their side effect: every section in the registry.
        import careties.web.dashboard.report  # noqa: F401
        import careties.web.presenters  # noqa: F401
        from careties.web.dashboard.errors import record_failure

        got_request_exception.connect(record_failure, dispatch_uid="careties-error-id")
