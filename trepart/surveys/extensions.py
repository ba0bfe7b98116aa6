"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready(). Each part registers its own contributions."""
    from trepart.surveys import contrib_answering, contrib_pulse, contrib_surveys

    contrib_surveys.register()
    contrib_pulse.register()
    contrib_answering.register()
    # P8: the kinds of notification this app sends (trepart.notifications; each person
    # chooses immediately, weekly digest or off on /notifications/settings/).
    from django.utils.translation import gettext_lazy as _

    from trepart.notifications import kinds

    kinds.register(
        "surveys.pulse_opened",
        _("Cooperation pulse"),
        _("A new cooperation pulse is open for your group."),
    )
