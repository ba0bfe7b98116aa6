"""Who may see and do what with reports, questions and experiences (P5, R1–R2, R6, R31–R32).

Everything starts from the user's own municipality; a shared experience of another municipality
is the one exception (read-only, `experiences_visible_to`).

- A unit's party group drafts, edits, sends and corrects its report, and answers the steering
  group's questions to the unit.
- Politicians and the administration read every sent report and respond; the chief union reps
  read the reports of units where a local rep of their union holds a role, the chief safety rep
  those of units with a safety rep (R6). Municipal administrators read all.
- The unit's staff read their unit's sent reports (R20: openness at the workplace).
- Responses and questions come from steering-group members who may read the report.
"""

from __future__ import annotations

from django.db.models import Q

from trepart.organisation.models import PARTY_GROUP_ROLES, Role, RoleAssignment
from trepart.organisation.permissions import (
    current_roles,
    is_admin,
    is_steering_member,
    party_group_unit_ids,
    unit_ids_with_any_role,
)
from trepart.reporting.models import Experience, SteeringQuestion, UnitReport

SENT = (UnitReport.Status.SENT, UnitReport.Status.CORRECTING)


def _roles(user, *roles) -> list:
    return [a for a in current_roles(user) if a.role in roles]


def steering_unit_ids(user):
    """Units whose reports this steering-group member reads (a queryset of ids), or None for
    all units of the municipality."""
    if is_admin(user) or _roles(user, Role.POLITICIAN, Role.ADMINISTRATION):
        return None
    unions = [a.union_id for a in _roles(user, Role.CHIEF_UNION_REP) if a.union_id]
    safety = bool(_roles(user, Role.CHIEF_SAFETY_REP))
    local = Q(pk__in=[])
    if unions:
        local |= Q(role=Role.LOCAL_UNION_REP, union_id__in=unions)
    if safety:
        local |= Q(role=Role.SAFETY_REP)
    return (
        RoleAssignment.objects.current()
        .filter(local, municipality_id=user.municipality_id, unit__isnull=False)
        .values("unit_id")
    )


def reports_visible_to(user):
    """Reports this person may open: drafts only for the unit's party group (and admins)."""
    if not user.is_authenticated or not user.municipality_id:
        return UnitReport.objects.none()
    qs = UnitReport.objects.filter(municipality_id=user.municipality_id)
    if is_admin(user):
        return qs
    visible = Q(unit_id__in=party_group_unit_ids(user))
    visible |= Q(unit_id__in=unit_ids_with_any_role(user), status__in=SENT)
    if is_steering_member(user):
        units = steering_unit_ids(user)
        visible |= Q(status__in=SENT) if units is None else Q(status__in=SENT, unit_id__in=units)
    return qs.filter(visible)


def can_edit_report(user, report: UnitReport) -> bool:
    """The unit's party group writes, sends and corrects its report."""
    return (
        user.is_authenticated
        and report.municipality_id == user.municipality_id
        and report.unit_id in party_group_unit_ids(user)
    )


def can_respond(user, report: UnitReport) -> bool:
    """Steering-group members who may read a sent report respond to it and ask questions."""
    return (
        report.status in SENT
        and is_steering_member(user)
        and reports_visible_to(user).filter(pk=report.pk).exists()
    )


def can_ask_unit(user, unit) -> bool:
    """A steering-group member may ask a unit whose reports they read."""
    if not is_steering_member(user) or unit.municipality_id != user.municipality_id:
        return False
    units = steering_unit_ids(user)
    return units is None or units.filter(unit_id=unit.pk).exists()


def questions_visible_to(user):
    """Questions to units: the unit's party group (who answers) and the steering-group members
    who may read that unit's reports; admins all."""
    if not user.is_authenticated or not user.municipality_id:
        return SteeringQuestion.objects.none()
    qs = SteeringQuestion.objects.filter(municipality_id=user.municipality_id)
    if is_admin(user):
        return qs
    visible = Q(unit_id__in=party_group_unit_ids(user))
    if is_steering_member(user):
        units = steering_unit_ids(user)
        if units is None:
            return qs
        visible |= Q(unit_id__in=units)
    return qs.filter(visible)


def can_answer_question(user, question: SteeringQuestion) -> bool:
    return (
        question.municipality_id == user.municipality_id
        and question.unit_id in party_group_unit_ids(user)
    )


def experiences_visible_to(user):
    """Published experiences of the person's municipality, drafts of their own party groups,
    and experiences other municipalities share (read-only, R31)."""
    if not user.is_authenticated or not user.municipality_id:
        return Experience.objects.none()
    published = Q(status=Experience.Status.PUBLISHED)
    own = Q(municipality_id=user.municipality_id) & (
        published | Q(unit_id__in=party_group_unit_ids(user))
    )
    if is_admin(user):
        own = Q(municipality_id=user.municipality_id)
    shared = (
        published
        & Q(shared=True, municipality__reporting_settings__share_experiences=True)
        & ~Q(municipality_id=user.municipality_id)
    )
    return Experience.objects.filter(own | shared)


def can_edit_experience(user, experience: Experience) -> bool:
    return (
        experience.municipality_id == user.municipality_id
        and experience.unit_id in party_group_unit_ids(user)
    )


def party_group_member(user, unit) -> bool:
    return unit.municipality_id == user.municipality_id and any(
        a.unit_id == unit.pk and a.role in PARTY_GROUP_ROLES for a in current_roles(user)
    )
