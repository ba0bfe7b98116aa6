"""What staff input adds to pages of lower apps and to the home page (trepart.core.hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from trepart.core import freshness
from trepart.inputs import permissions, selectors


def main_navigation(user) -> list[dict]:
    return [
        {
            "order": 20,
            "label": _("Input"),
            "url": reverse("inputs:index"),
            "prefixes": ("/inputs/",),
        }
    ]


def home_panels(user, home) -> list[dict]:
    """P3: what waits for an answer in the person's groups, and answers to their own input."""
    return [
        {
            "order": 50,
            "template": "inputs/partials/_home_panel.html",
            "input_summaries": selectors.group_summaries(user),
            # Issue 14: only the five newest own inputs (not the public list of the inputs page).
            "my_recent_inputs": selectors.my_inputs(user, limit=5),
            "can_give_input": bool(home["unit_ids"]),
            # Issue 10: the unit's anonymous link (the one on the poster), to use or pass on.
            "anonymous_links": selectors.input_links_for_units(home["unit_ids"]),
        }
    ]


def unit_page_links(user, unit) -> list[dict]:
    links = []
    if permissions.can_triage_unit(user, unit):
        links.append(
            {
                "order": 20,
                "label": _("Input from staff"),
                "url": reverse("inputs:unit_inputs", args=[unit.pk]),
            }
        )
    if permissions.can_give_input(user, unit):
        links.append(
            {
                "order": 40,
                "label": _("Give input"),
                "url": reverse("inputs:input_new") + f"?unit={unit.pk}",
            }
        )
    return links


def steering_group_panels(user, municipality) -> list[dict]:
    """P3: unanswered staff input is counted for the steering group (counts only, no texts)."""
    return [
        {
            "order": 10,
            "template": "inputs/partials/_steering_overview_panel.html",
            # Issue 14: a year of the municipality's inputs counted once per change, not per view.
            "o": freshness.cached(
                "input-overview", municipality.pk, lambda: selectors.input_overview(municipality)
            ),
        }
    ]
