"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    from trepart.core import hooks
    from trepart.notifications import contributions, daily

    hooks.register(hooks.OWN_PAGE_PANELS, contributions.own_page_panel)
    hooks.register(hooks.DAILY_JOBS, daily.weekly_digest)  # `manage.py daily`, Mondays
