"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready(). Each part registers its own contributions."""
    from trepart.reflection import contrib_exercises, contrib_members

    contrib_exercises.register()
    contrib_members.register()
