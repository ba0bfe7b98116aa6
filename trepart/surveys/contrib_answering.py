"""The home panel "a survey waits for your answer" (R23). It reads *who* has answered, so it
lives apart from the modules that read answers (see trepart/surveys/respondents.py)."""

from __future__ import annotations

from django.utils import timezone


def home_panels(user, home) -> list[dict]:
    """Open staff surveys at the person's units or for the whole municipality. Two queries."""
    from trepart.surveys import respondents

    if not home.get("roles"):
        return []
    surveys = respondents.surveys_to_answer(user, home["unit_ids"], timezone.localdate())
    if not surveys:
        return []
    return [{"order": 13, "template": "surveys/partials/_home_panel.html", "surveys": surveys}]


def register() -> None:
    from trepart.core import hooks

    hooks.register(hooks.HOME_PANELS, home_panels)
