"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready(). Each part registers its own contributions."""
    from trepart.surveys import contrib_answering, contrib_pulse, contrib_surveys

    contrib_surveys.register()
    contrib_pulse.register()
    contrib_answering.register()
