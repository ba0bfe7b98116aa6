"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready(). Each part registers its own contributions."""
    from trepart.continuity import contrib_handover

    contrib_handover.register()
