"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready(). Each part registers its own contributions."""
    from trepart.continuity import contrib_handover

    contrib_handover.register()
    # P8: the kinds of notification this app sends (trepart.notifications; each person
    # chooses immediately, weekly digest or off on /notifications/settings/).
    from django.utils.translation import gettext_lazy as _

    from trepart.notifications import kinds

    kinds.register(
        "continuity.rep_changes",
        _("Changes among the reps"),
        _("For chief reps: a rep role has become vacant or has a newcomer."),
    )
    kinds.register(
        "continuity.welcome",
        _("Welcome as a new rep"),
        _("When you join a party group: what you need to know first."),
    )
