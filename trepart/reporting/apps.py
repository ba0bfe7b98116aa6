from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "trepart.reporting"
    label = "reporting"
    verbose_name = _("Reports, steering overview and experiences")

    def ready(self):
        # ARCHITECTURE rule 8: contributions to lower apps' pages and jobs (trepart.core.hooks).
        from trepart.reporting import extensions

        extensions.register()
