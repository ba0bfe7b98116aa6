"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    from trepart.core import hooks
    from trepart.personaldata import contributions

    hooks.register(hooks.OWN_PAGE_PANELS, contributions.own_page_panel)
    hooks.register(hooks.PERSON_ADMIN_PANELS, contributions.person_admin_panel)
