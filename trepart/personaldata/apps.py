from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonaldataConfig(AppConfig):
    name = "trepart.personaldata"
    label = "personaldata"
    verbose_name = _("Personal data")

    def ready(self):
        # ARCHITECTURE rule 8: contributions to lower apps' pages and jobs (trepart.core.hooks).
        from trepart.personaldata import extensions

        extensions.register()
