"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
