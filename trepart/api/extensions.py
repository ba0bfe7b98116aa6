"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    from trepart.api import contributions
    from trepart.core import hooks

    hooks.register(hooks.OWN_PAGE_PANELS, contributions.own_page_tokens_panel)
