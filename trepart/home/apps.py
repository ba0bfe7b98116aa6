from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The home page, "what needs me": the top layer that gathers what every app contributes."""

    name = "trepart.home"
    label = "home"
    verbose_name = _("Home")

    def ready(self):
        from trepart.core import hooks
        from trepart.home import selectors

        hooks.register(hooks.MAIN_NAVIGATION, selectors.main_navigation)
