from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "careties.web.store"
    label = "store"
    verbose_name = "Data store"
