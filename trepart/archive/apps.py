from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "trepart.archive"
    label = "archive"
    verbose_name = _("Archive export")

    def ready(self):
        # ARCHITECTURE rule 8: contributions to lower apps' pages and jobs (trepart.core.hooks).
        from trepart.archive import extensions

        extensions.register()
