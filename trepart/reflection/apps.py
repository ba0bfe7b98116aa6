from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReflectionConfig(AppConfig):
    name = "trepart.reflection"
    label = "reflection"
    verbose_name = _("Reflection exercises and telling the members")

    def ready(self):
        # ARCHITECTURE rule 8: contributions to lower apps' pages and jobs (trepart.core.hooks).
        from trepart.reflection import extensions

        extensions.register()
