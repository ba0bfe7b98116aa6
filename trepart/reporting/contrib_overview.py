"""What the overview part contributes to lower apps' pages and jobs (trepart.core.hooks)."""

from __future__ import annotations

from trepart.reporting import overview


def steering_group_panel(user, municipality) -> list[dict]:
    """P5: a link to the steering overview on the steering-group page, for those who may see
    it (steering-group members and municipal administrators)."""
    if not overview.can_view_overview(user):
        return []
    return [{"order": 5, "template": "reporting/overview/_steering_group_panel.html"}]


def register() -> None:
    from trepart.core import hooks

    hooks.register(hooks.STEERING_GROUP_PANELS, steering_group_panel)

    # Issue 14: every write that changes the overview's figures bumps its freshness token.
    from trepart.reporting import overview_cache

    overview_cache.connect()
    # The same token keeps other apps' municipality-wide panels (trepart.core.freshness).
    from trepart.core import freshness

    freshness.set_provider(overview_cache.token)
