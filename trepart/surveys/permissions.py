"""Who may see, answer and run staff surveys (P7; R17, R22, R25).

- A unit's survey is made and run by the unit's party group (the leader included, R1/R4);
  a survey for the whole municipality by the municipal administrators and the administration.
- Results are read by those who run the survey and by the one who made it. Staff hear the
  results from the group (R22: at the staff meeting); they do not open the results page.
- Staff who log in answer the surveys of units where they hold a current role, and the
  municipality's own surveys. An anonymous-link survey is answered through its token.
- Everything starts from the user's municipality: another municipality's survey is a 404.

The party group's cooperation pulse (kind COOPERATION_PULSE) has its own pages (pulse part) and
is left out of these querysets.
"""

from __future__ import annotations

from django.db.models import Q

from trepart.organisation.models import Role
from trepart.organisation.permissions import (
    has_role,
    is_admin,
    party_group_unit_ids,
    unit_ids_with_any_role,
)
from trepart.surveys.models import Survey

STAFF_SURVEY_KINDS = [k for k in Survey.Kind.values if k != Survey.Kind.COOPERATION_PULSE]


def runs_municipality_surveys(user) -> bool:
    """Municipal administrators and the administration make surveys for the whole municipality."""
    return has_role(user, Role.MUNICIPAL_ADMIN, Role.ADMINISTRATION)


def surveys_visible_to(user):
    """Surveys this person may open at all (to answer, run or read results)."""
    if not user.is_authenticated or not user.municipality_id:
        return Survey.objects.none()
    qs = Survey.objects.filter(municipality_id=user.municipality_id, kind__in=STAFF_SURVEY_KINDS)
    if is_admin(user) or runs_municipality_surveys(user):
        return qs
    return qs.filter(
        Q(unit__isnull=True) | Q(unit_id__in=unit_ids_with_any_role(user)) | Q(created_by=user)
    )


def can_run(user, survey: Survey) -> bool:
    """Edit, open and close: the unit's party group; municipal surveys: admin/administration."""
    if not user.is_authenticated or survey.municipality_id != user.municipality_id:
        return False
    if survey.kind == Survey.Kind.COOPERATION_PULSE:
        return False
    if survey.unit_id is None:
        return runs_municipality_surveys(user)
    return is_admin(user) or survey.unit_id in party_group_unit_ids(user)


def can_see_results(user, survey: Survey) -> bool:
    return can_run(user, survey) or (
        user.is_authenticated
        and survey.municipality_id == user.municipality_id
        and survey.created_by_id == user.pk
    )


def may_answer(user, survey: Survey) -> bool:
    """Logged-in audience: staff with a current role at the unit; municipal surveys: anyone in
    the municipality. (The anonymous link needs no login at all.)"""
    if not user.is_authenticated or survey.municipality_id != user.municipality_id:
        return False
    if survey.audience == Survey.Audience.ANONYMOUS_LINK:
        return True
    if survey.unit_id is None:
        return True
    return survey.unit_id in unit_ids_with_any_role(user)


def creatable_units(user):
    """Units for which this person may make a survey (their party groups; admins: all)."""
    from trepart.organisation.permissions import units_visible_to

    units = units_visible_to(user)
    if is_admin(user):
        return units
    return units.filter(pk__in=party_group_unit_ids(user))


def can_create_for_unit(user, unit) -> bool:
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return False
    return is_admin(user) or unit.pk in party_group_unit_ids(user)


def can_create(user) -> bool:
    return bool(
        user.is_authenticated
        and user.municipality_id
        and (runs_municipality_surveys(user) or party_group_unit_ids(user))
    )


def can_see_participation(user, unit) -> bool:
    """R23: the unit's people with a role and the municipal administrators."""
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return False
    return is_admin(user) or unit.pk in unit_ids_with_any_role(user)


def can_change_settings(user) -> bool:
    return user.is_authenticated and bool(user.municipality_id) and is_admin(user)
