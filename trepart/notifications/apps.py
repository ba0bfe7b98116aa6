from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "trepart.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # ARCHITECTURE rule 8: contributions to lower apps' pages and jobs (trepart.core.hooks).
        from trepart.notifications import extensions

        extensions.register()
