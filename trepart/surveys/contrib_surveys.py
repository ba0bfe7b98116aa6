"""What the surveys part contributes to other apps' pages and jobs (trepart.core.hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def main_navigation(user) -> list[dict]:
    """Those who make surveys (party groups, the administration) find them in the menu; staff
    answer through the link they are given."""
    from trepart.surveys import permissions

    if not user.is_authenticated or not user.municipality_id or not permissions.can_create(user):
        return []
    return [
        {
            "order": 55,
            "label": _("Surveys"),
            "url": reverse("surveys:survey_list"),
            "prefixes": ("/surveys/",),
        }
    ]


def unit_page_links(user, unit) -> list[dict]:
    from trepart.surveys import permissions

    if not permissions.can_see_participation(user, unit):
        return []
    return [
        {
            "order": 45,
            "label": _("Surveys and participation"),
            "url": reverse("surveys:participation", args=[unit.pk]),
        }
    ]


def unit_page_panels(user, unit) -> list[dict]:
    """R23: the unit's participation (counts only) with what helps when it is low, and the
    party group's way to ask all staff (R17). Three queries."""
    from trepart.surveys import permissions, selectors

    if not permissions.can_see_participation(user, unit):
        return []
    data = selectors.participation(unit, timezone.localdate())
    can_create = permissions.can_create_for_unit(user, unit)
    return [
        {
            "order": 60,
            "template": "surveys/partials/_unit_panel.html",
            "participation": data,
            "can_create": can_create,
            "create_url": reverse("surveys:survey_create") + "?" + urlencode({"unit": unit.pk}),
        }
    ]


def measure_page_panels(user, measure, can_change) -> list[dict]:
    """R25: a trial's evaluation surveys on the measure page, with the latest one's results
    (above the threshold only) and a way to start one while the trial runs or is evaluated."""
    from trepart.surveys import permissions, selectors, services
    from trepart.surveys.models import Survey
    from trepart.surveys.services_surveys import EVALUATION_STAGES

    surveys = selectors.measure_surveys(measure)
    # One running evaluation at a time: a new one once the last is closed.
    can_start = (
        can_change
        and measure.stage in EVALUATION_STAGES
        and not any(s.status != Survey.Status.CLOSED for s in surveys)
    )
    if not surveys and not can_start:
        return []
    latest = surveys[0] if surveys else None
    results = None
    if latest is not None and permissions.can_see_results(user, latest):
        results = selectors.survey_results(latest)
    return [
        {
            "order": 30,
            "template": "surveys/partials/_measure_panel.html",
            "surveys": [
                {
                    "survey": s,
                    "can_run": permissions.can_run(user, s),
                    "is_open": services.is_open(s),
                }
                for s in surveys
            ],
            "latest": latest,
            "results": results,
            "can_start": can_start,
            "start_url": reverse("surveys:survey_create")
            + "?"
            + urlencode({"measure": measure.pk, "kind": "trial_evaluation"}),
        }
    ]


def register() -> None:
    from trepart.core import hooks

    hooks.register(hooks.MAIN_NAVIGATION, main_navigation)
    hooks.register(hooks.UNIT_PAGE_LINKS, unit_page_links)
    hooks.register(hooks.UNIT_PAGE_PANELS, unit_page_panels)
    hooks.register(hooks.MEASURE_PAGE_PANELS, measure_page_panels)
