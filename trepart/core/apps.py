from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trepart.core"
    label = "core"
