from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "trepart.surveys"
    label = "surveys"
    verbose_name = _("Staff surveys and the cooperation pulse")

    def ready(self):
        # ARCHITECTURE rule 8: contributions to lower apps' pages and jobs (trepart.core.hooks).
        from trepart.surveys import extensions

        extensions.register()
