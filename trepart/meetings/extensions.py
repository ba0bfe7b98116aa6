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
    # P8: the kinds of notification this app sends (trepart.notifications; each person
    # chooses immediately, weekly digest or off on /notifications/settings/).
    from django.utils.translation import gettext_lazy as _

    from trepart.notifications import kinds

    kinds.register(
        "meetings.agenda",
        _("Agenda for a meeting"),
        _("The agenda and a calendar invitation when your group's meeting is called."),
    )
    kinds.register(
        "meetings.minutes_published",
        _("Minutes published"),
        _("Minutes you may read are published or corrected."),
    )
    kinds.register(
        "meetings.action_reminder",
        _("Reminders about actions"),
        _("Actions you are responsible for are overdue or due soon."),
    )
