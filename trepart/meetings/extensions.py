"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    from trepart.core import hooks
    from trepart.meetings import contributions as c

    hooks.register(hooks.MAIN_NAVIGATION, c.main_navigation)
    hooks.register(hooks.HOME_PANELS, c.home_panels)
    hooks.register(hooks.UNIT_PAGE_LINKS, c.unit_page_links)
    from trepart.meetings import services as meeting_services

    # R11: a new unit's party group gets the default standing items; no page makes them on GET.
    hooks.register(hooks.UNIT_CREATED, meeting_services.standing_items_on_unit_created)
    from trepart.meetings import daily

    # `manage.py daily`: roll series forward first, then the reminders.
    hooks.register(hooks.DAILY_JOBS, daily.series_roll_forward)
    hooks.register(hooks.DAILY_JOBS, daily.action_reminders)
