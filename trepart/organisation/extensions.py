"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    from trepart.core import hooks
    from trepart.organisation import contributions as c

    hooks.register(hooks.MAIN_NAVIGATION, c.main_navigation)
    hooks.register(hooks.HOME_PANELS, c.home_panels)
