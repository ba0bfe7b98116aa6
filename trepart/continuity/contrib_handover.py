"""What the handover part contributes to other apps' pages and jobs (trepart.core.hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from trepart.continuity import permissions, selectors
from trepart.organisation.models import PARTY_GROUP_ROLES


def register() -> None:
    """Register this part's hook functions."""
    from trepart.continuity import daily
    from trepart.core import hooks

    hooks.register(hooks.ROLES_CHANGED, roles_changed)
    hooks.register(hooks.DAILY_JOBS, daily.handovers)  # `manage.py daily`
    hooks.register(hooks.MAIN_NAVIGATION, main_navigation)
    hooks.register(hooks.HOME_PANELS, home_panels)
    hooks.register(hooks.UNIT_PAGE_PANELS, unit_page_panels)
    hooks.register(hooks.STEERING_OVERVIEW_PANELS, steering_overview_panels)


def roles_changed(assignment, change) -> None:
    """ROLES_CHANGED (after commit): a party-group seat may have opened or been filled. Keep it
    cheap: the work is a background job for the municipality."""
    if not assignment.unit_id or assignment.role not in PARTY_GROUP_ROLES:
        return
    from trepart.continuity import tasks

    tasks.handovers_sync.enqueue(municipality_id=assignment.municipality_id)


def main_navigation(user) -> list[dict]:
    """The chief reps follow up their local reps (R6)."""
    scopes = permissions.own_scopes(user)
    if not scopes:
        return []
    only_safety = all(s.kind == permissions.SAFETY for s in scopes)
    return [
        {
            "order": 45,
            "label": _("Safety reps") if only_safety else _("Local reps"),
            "url": reverse("continuity:local_reps"),
            "prefixes": ("/local-reps/",),
        }
    ]


def home_panels(user, home) -> list[dict]:
    """R5: a newcomer in a party group is shown where to start. No query (cached roles)."""
    new = selectors.new_party_group_units(home["roles"])
    if not new:
        return []
    return [{"order": 3, "template": "continuity/_home_panel.html", "assignments": new}]


def unit_page_panels(user, unit) -> list[dict]:
    """Vacant seats of the unit's party group, flagged when open long (R4, R5); and for the
    group's members and its chief reps, the way to the onboarding page.

    Which union a seat belongs to, and who is about to take it, are shown only to those who may
    see union affiliations (GDPR art. 9): a future rep's name with the union reveals their
    membership. Others read the role alone."""
    from trepart.organisation.permissions import can_see_union_affiliations

    vacant = selectors.vacancies(unit.municipality_id, unit_ids=[unit.pk])
    can_onboard = permissions.can_view_onboarding(user, unit)
    if not vacant and not can_onboard:
        return []
    return [
        {
            "order": 5,
            "template": "continuity/_unit_panel.html",
            "unit": unit,
            "vacancies": vacant,
            "show_unions": can_see_union_affiliations(user, unit),
            "flag_days": selectors.flag_days(),
            "onboarding_url": reverse("continuity:onboarding", args=[unit.pk])
            if can_onboard
            else None,
        }
    ]


def _steering_vacancies_of(municipality) -> dict:
    """The vacancy panel's figures, kept on the municipality object for the day.

    Issue 14 (P8): computing every seat of a 1,000-unit municipality takes about 300 ms and
    dominated the steering overview. The overview hands its panels the municipality object of
    its cached figures (trepart.reporting.overview_cache), which lives exactly as long as the
    municipality's freshness token is unchanged: role assignments, units, union presences and
    people bump the token when the write commits, and handovers_sync() bumps it
    when it records a handover. So a new vacancy shows at once, with no query of its own to
    check, while an unchanged overview costs nothing here. Any other caller passes an object of
    its own request and gets figures computed for it."""
    on = selectors.today()
    kept = getattr(municipality, "_steering_vacancies", None)
    if kept is None or kept[0] != on:
        kept = (on, selectors.steering_vacancies(municipality.pk, on=on))
        municipality._steering_vacancies = kept
    return kept[1]


def steering_overview_panels(user, municipality) -> list[dict]:
    """Vacant seats per role and the units with long vacancies (seats, not people), for those
    who may see the steering overview."""
    from trepart.reporting.overview import can_view_overview

    if not can_view_overview(user) or user.municipality_id != municipality.pk:
        return []
    data = _steering_vacancies_of(municipality)
    return [
        {
            "order": 20,
            "template": "continuity/_steering_panel.html",
            **data,
            "local_reps_url": reverse("continuity:local_reps")
            if permissions.can_view_local_reps(user)
            else None,
        }
    ]
