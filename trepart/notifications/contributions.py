"""What the notifications app adds to lower apps' pages (see trepart.core.hooks)."""

from __future__ import annotations

from trepart.notifications import selectors


def own_page_panel(user):
    """hooks.OWN_PAGE_PANELS: a short summary with links to the settings and the log."""
    if user.municipality_id is None:
        return []
    return [
        {
            "order": 20,
            "template": "notifications/_own_page_panel.html",
            "summary": selectors.own_summary(user),
        }
    ]
