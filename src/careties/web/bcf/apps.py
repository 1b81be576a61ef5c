from django.apps import AppConfig


class BcfConfig(AppConfig):
    name = "careties.web.bcf"
    label = "bcf"
    verbose_name = "Better Care Fund"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the BCF kinds' tables with the store, so import, backup and selectors see them."""
        # Models import only in ready(): Django's apps are not loaded when apps.py is.
        from careties.web.store.models import MODEL_FOR_KIND

        from .models import BCF_MODEL_FOR_KIND

        MODEL_FOR_KIND.update(BCF_MODEL_FOR_KIND)
