"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks).

Each part of the app (reports and questions, the steering overview, the experience library)
registers its own contributions from its `contrib_<part>.py`, so the parts grow independently.
"""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    from trepart.reporting import contrib_experiences, contrib_overview, contrib_reports

    contrib_reports.register()
    contrib_overview.register()
    contrib_experiences.register()
    # P8: the kinds of notification this app sends (trepart.notifications; each person
    # chooses immediately, weekly digest or off on /notifications/settings/).
    from django.utils.translation import gettext_lazy as _

    from trepart.notifications import kinds

    kinds.register(
        "reporting.report_reminder",
        _("Reminders about unit reports"),
        _("Your group's unit report is due soon or overdue."),
    )
    kinds.register(
        "reporting.question_answered",
        _("Answers to your questions"),
        _("A unit has answered a question you asked from the steering group."),
    )
