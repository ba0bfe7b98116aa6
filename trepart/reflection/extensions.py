"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready(). Each part registers its own contributions."""
    from trepart.reflection import contrib_exercises, contrib_members

    contrib_exercises.register()
    contrib_members.register()
    # P8: the kinds of notification this app sends (trepart.notifications; each person
    # chooses immediately, weekly digest or off on /notifications/settings/).
    from django.utils.translation import gettext_lazy as _

    from trepart.notifications import kinds

    kinds.register(
        "reflection.member_brief",
        _("Telling the members"),
        _("After a meeting: a summary for your members is ready to pass on."),
    )
