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
