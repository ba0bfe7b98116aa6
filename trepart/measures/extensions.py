"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    from trepart.core import hooks
    from trepart.measures import contributions as c

    hooks.register(hooks.MAIN_NAVIGATION, c.main_navigation)
    hooks.register(hooks.HOME_PANELS, c.home_panels)
    hooks.register(hooks.UNIT_PAGE_LINKS, c.unit_page_links)
    hooks.register(hooks.UNIT_PAGE_PANELS, c.unit_page_panels)
    hooks.register(hooks.MEETING_STANDING_ITEM_PANELS, c.running_trials_panel)
    hooks.register(hooks.INPUT_TAKE_UP_TARGETS, c.input_take_up_targets)
    hooks.register(hooks.INPUT_FOLLOW_UPS, c.input_follow_ups)
    from trepart.measures import selectors as measure_selectors

    # P4: agenda items that became measures link to them (for readers who may open them).
    hooks.register(hooks.AGENDA_ITEM_SOURCES, measure_selectors.agenda_item_sources)
    from trepart.measures import daily

    hooks.register(hooks.DAILY_JOBS, daily.evaluation_reminders)  # `manage.py daily`
    # P8: the kinds of notification this app sends (trepart.notifications; each person
    # chooses immediately, weekly digest or off on /notifications/settings/).
    from django.utils.translation import gettext_lazy as _

    from trepart.notifications import kinds

    kinds.register(
        "measures.risk_needed",
        _("Risk assessment needed"),
        _("For safety reps: a measure needs a risk assessment before the trial starts."),
    )
    kinds.register(
        "measures.evaluation_reminder",
        _("Reminders about evaluating trials"),
        _("A trial in your group is due for evaluation."),
    )
