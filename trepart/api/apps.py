from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "trepart.api"
    label = "api"
    verbose_name = _("JSON API")

    def ready(self):
        # ARCHITECTURE rule 8: contributions to lower apps' pages and jobs (trepart.core.hooks).
        from trepart.api import extensions

        extensions.register()
