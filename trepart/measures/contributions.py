"""What measures add to the pages of lower apps, through trepart.core.hooks (rule 8).

Registered in extensions.register(). Each function keeps a fixed number of queries.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from trepart.inputs.models import Audience
from trepart.measures import permissions, selectors, services
from trepart.measures.models import Measure
from trepart.meetings.models import StandingItem


def main_navigation(user) -> list[dict]:
    return [
        {
            "order": 30,
            "label": _("Measures"),
            "url": reverse("measures:index"),
            "prefixes": ("/measures/",),
        }
    ]


def home_panels(user, home) -> list[dict]:
    """P4: trials to evaluate soon, and decisions waiting for the decision line."""
    return [
        {
            "order": 60,
            "template": "measures/partials/_home_panel.html",
            "measures": selectors.home_measures(user),
        }
    ]


def unit_page_links(user, unit) -> list[dict]:
    if not permissions.can_view_unit_measures(user, unit):
        return []
    return [
        {
            "order": 30,
            "label": _("Measures and trials"),
            "url": reverse("measures:board", args=[unit.pk]),
        }
    ]


def unit_page_panels(user, unit) -> list[dict]:
    """R28: the unit's wins, told as stories; linked for those who may open the measure."""
    wins = selectors.wins(unit)
    if not wins:
        return []
    return [
        {
            "order": 10,
            "template": "measures/partials/_wins_panel.html",
            "wins": wins,
            "can_open": permissions.can_view_unit_measures(user, unit),
        }
    ]


def running_trials_panel(user, meeting, items) -> dict[int, dict]:
    """P4: the standing item "status of running trials" lists the unit's trials in progress."""
    keyed = [it for it in items if it.standing_key == StandingItem.Key.RUNNING_TRIALS]
    if not keyed or meeting.unit_id is None:
        return {}
    trials = selectors.running_trials([meeting.unit_id]).get(meeting.unit_id, [])
    can_open = user is not None and permissions.can_view_unit_measures(user, meeting.unit)
    panel = {
        "template": "measures/partials/_running_trials_panel.html",
        "trials": trials,
        "can_open": can_open,
    }
    return {it.pk: panel for it in keyed}


def input_take_up_targets(user, item) -> list[dict]:
    """P4: an input to the group can be taken up as a measure to plan and try out."""
    if item.audience != Audience.GROUP or not permissions.can_change_unit_measures(user, item.unit):
        return []
    return [
        {
            "order": 10,
            "value": "measure",
            "label": _("As a measure: plan it and try it out"),
            "handler": services.measure_from_input,
        }
    ]


def input_follow_ups(user, item) -> list[dict]:
    """The measure an input became, on the input page and on the submitter's receipt."""
    measures = list(Measure.objects.filter(source_input=item).order_by("id"))
    if not measures:
        return []
    can_open = user is not None and permissions.can_view_unit_measures(user, item.unit)
    panels = []
    for m in measures:
        panels.append(
            {
                "order": 10,
                "place": "facts",
                "template": "measures/partials/_input_fact.html",
                "measure": m,
                "can_open": can_open,
            }
        )
        panels.append(
            {
                "order": 10,
                "place": "answer",
                "template": "measures/partials/_input_outcome.html",
                "measure": m,
            }
        )
    return panels
