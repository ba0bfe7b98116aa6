from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "trepart.sso"
    label = "sso"
    verbose_name = _("Single sign-on")

    def ready(self):
        # ARCHITECTURE rule 8: contributions to lower apps' pages and jobs (trepart.core.hooks).
        from trepart.sso import extensions

        extensions.register()
