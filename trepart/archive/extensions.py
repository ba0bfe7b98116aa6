"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    from trepart.archive import contributions, daily
    from trepart.core import hooks

    hooks.register(hooks.MANAGE_CARDS, contributions.manage_card)
    hooks.register(hooks.MEETING_PAGE_PANELS, contributions.meeting_page_panel)
    hooks.register(hooks.MEASURE_PAGE_PANELS, contributions.measure_page_panel)
    # Retention of uploaded import files (docs/archive.md), from `manage.py daily`.
    hooks.register(hooks.DAILY_JOBS, daily.import_files_retention)
