"""What the pulse part contributes to other apps' pages and jobs (trepart.core.hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _


def home_panels(user, home) -> list[dict]:
    """A group member with an open pulse they have not answered. Two queries at most."""
    from trepart.surveys import selectors_pulse

    if not home.get("roles"):
        return []
    pulses = selectors_pulse.pulses_to_answer(user, timezone.localdate())
    if not pulses:
        return []
    return [{"order": 12, "template": "surveys/pulse/_home_panel.html", "pulses": pulses}]


def unit_page_links(user, unit) -> list[dict]:
    """The group's pulse, for its members, the municipal admin and the administration."""
    from trepart.surveys import pulse

    if not pulse.can_view_pulse(user, unit):
        return []
    return [
        {
            "order": 45,
            "label": _("Cooperation pulse"),
            "url": reverse("surveys:pulse_unit", args=[unit.pk]),
        }
    ]


def steering_overview_panel(user, municipality) -> list[dict]:
    """P6: the pulse across all groups, aggregates only, for those who see the overview."""
    from trepart.reporting.overview import can_view_overview
    from trepart.surveys import selectors_pulse

    if not can_view_overview(user) or user.municipality_id != municipality.pk:
        return []
    data = selectors_pulse.steering_pulse(municipality, timezone.localdate())
    return [{"order": 30, "template": "surveys/pulse/_steering_panel.html", **data}]


def register() -> None:
    """Register this part's hook functions."""
    from trepart.core import hooks
    from trepart.surveys import tasks_pulse

    hooks.register(hooks.HOME_PANELS, home_panels)
    hooks.register(hooks.UNIT_PAGE_LINKS, unit_page_links)
    hooks.register(hooks.STEERING_OVERVIEW_PANELS, steering_overview_panel)
    hooks.register(hooks.DAILY_JOBS, tasks_pulse.pulse_daily)  # `manage.py daily`
