from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "trepart.continuity"
    label = "continuity"
    verbose_name = _("Handover and the chief reps' overview")

    def ready(self):
        # ARCHITECTURE rule 8: contributions to lower apps' pages and jobs (trepart.core.hooks).
        from trepart.continuity import extensions

        extensions.register()
