"""Reads and permissions for telling the members (R19).

Who may see and do what (the reflection app's members part):
- The rep a brief was written for edits it, copies it and marks it shared; nobody else does.
- The unit's party group (and municipal administrators) see each rep's status, and may read
  the text.
- Everyone else in the municipality is refused (403); another municipality's brief is a 404,
  because every lookup starts from the user's municipality (`briefs_in_municipality`).
"""

from __future__ import annotations

import datetime

from trepart.organisation.models import Role, RoleAssignment
from trepart.organisation.permissions import is_admin, party_group_unit_ids
from trepart.reflection.models import MemberBrief

# R19: the reps who tell the members: every local union rep, and the safety rep.
REP_ROLES = (Role.LOCAL_UNION_REP, Role.SAFETY_REP)


def briefs_in_municipality(user):
    """Every brief of the user's own municipality (the 404 boundary); check `can_view_brief`."""
    if not user.is_authenticated or not user.municipality_id:
        return MemberBrief.objects.none()
    return MemberBrief.objects.filter(municipality_id=user.municipality_id)


def briefs_visible_to(user):
    """Briefs this person may open: their own, their party groups' (status), or all for a
    municipal administrator."""
    from django.db.models import Q

    qs = briefs_in_municipality(user)
    if not user.is_authenticated or not user.municipality_id or is_admin(user):
        return qs
    return qs.filter(Q(person_id=user.pk) | Q(meeting__unit_id__in=party_group_unit_ids(user)))


def can_view_brief(user, brief: MemberBrief) -> bool:
    if not user.is_authenticated or brief.municipality_id != user.municipality_id:
        return False
    return (
        brief.person_id == user.pk
        or is_admin(user)
        or brief.meeting.unit_id in party_group_unit_ids(user)
    )


def can_edit_brief(user, brief: MemberBrief) -> bool:
    """Only the rep themself edits, copies and marks it shared (R19: in their own words)."""
    return (
        user.is_authenticated
        and brief.municipality_id == user.municipality_id
        and brief.person_id == user.pk
    )


def reps_of_unit(unit, on: datetime.date | None = None) -> list[RoleAssignment]:
    """The unit's current local union reps and safety rep, one assignment per person (union
    reps first: a person with both roles gets one brief)."""
    rows = list(
        RoleAssignment.objects.current(on)
        .filter(unit=unit, role__in=REP_ROLES, person__is_active=True)
        .select_related("person", "union")
        .order_by("role", "person__full_name", "id")
    )
    seen, reps = set(), []
    for a in sorted(rows, key=lambda a: a.role != Role.LOCAL_UNION_REP):
        if a.person_id not in seen:
            seen.add(a.person_id)
            reps.append(a)
    return reps


def role_label(brief: MemberBrief) -> str:
    label = str(Role(brief.role).label) if brief.role in Role.values else brief.role
    if brief.union_id:
        return f"{label} ({brief.union.short_name})"
    return label


def meeting_briefs(meeting) -> list[MemberBrief]:
    """The briefs of one meeting's minutes, union reps first. One query."""
    briefs = list(
        MemberBrief.objects.filter(meeting=meeting)
        .select_related("person", "union")
        .order_by("role", "person__full_name", "id")
    )
    for b in briefs:
        b.role_text = role_label(b)
    return briefs
