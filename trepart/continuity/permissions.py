"""Who may see and do what in the handover part (R5, R6).

- The onboarding page of a unit's party group: the group's current members, the chief reps who
  follow the unit up (the chief union rep of a union with members or a local rep there, the
  chief safety rep) and municipal administrators. Other people of the municipality: 403;
  another municipality's unit: 404 (the unit is looked up in `units_visible_to`).
- The group's way of working is written by the group's members.
- The chief reps' overview: a chief union rep sees the local reps of their union, the chief
  safety rep the safety reps; a municipal administrator sees any union (never the notes).
- Follow-up notes are private to their author: nobody else reads them, not even an
  administrator (`notes_visible_to`).
"""

from __future__ import annotations

from dataclasses import dataclass

from trepart.continuity.models import FollowUpNote, Handover
from trepart.organisation.models import Role, RoleAssignment, Union, UnionPresence
from trepart.organisation.permissions import current_roles, is_admin, party_group_unit_ids

SAFETY = "safety"


@dataclass(frozen=True)
class Scope:
    """Whose local reps an overview shows: one union's local reps, or the safety reps."""

    kind: str  # "union" or SAFETY
    union: Union | None = None

    @property
    def key(self) -> str:
        return SAFETY if self.kind == SAFETY else f"union-{self.union.pk}"

    @property
    def role(self) -> str:
        return Role.SAFETY_REP if self.kind == SAFETY else Role.LOCAL_UNION_REP

    @property
    def union_id(self):
        return self.union.pk if self.union else None


def _chief_roles(user) -> list[RoleAssignment]:
    return [
        a for a in current_roles(user) if a.role in (Role.CHIEF_UNION_REP, Role.CHIEF_SAFETY_REP)
    ]


def own_scopes(user) -> list[Scope]:
    """The scopes this person follows up as a chief rep (R6)."""
    scopes, seen = [], set()
    for a in _chief_roles(user):
        scope = Scope(SAFETY) if a.role == Role.CHIEF_SAFETY_REP else Scope("union", a.union)
        if scope.key not in seen:
            seen.add(scope.key)
            scopes.append(scope)
    return sorted(scopes, key=lambda s: (s.kind == SAFETY, str(s.union or "")))


def is_chief_rep(user) -> bool:
    return bool(_chief_roles(user))


def can_view_local_reps(user) -> bool:
    return user.is_authenticated and user.municipality_id and (is_chief_rep(user) or is_admin(user))


def overview_scopes(user) -> list[Scope]:
    """The chief's own scopes; an administrator may look at every union with members or reps
    in the municipality, and at the safety reps. One query for an administrator."""
    own = own_scopes(user)
    if not is_admin(user):
        return own
    union_ids = set(
        UnionPresence.objects.filter(unit__municipality_id=user.municipality_id).values_list(
            "union_id", flat=True
        )
    )
    unions = Union.objects.available_to(user.municipality).filter(pk__in=union_ids)
    keys = {s.key for s in own}
    scopes = list(own)
    for union in unions.order_by("short_name"):
        if f"union-{union.pk}" not in keys:
            scopes.append(Scope("union", union))
    if SAFETY not in keys:
        scopes.append(Scope(SAFETY))
    return scopes


def may_write_notes(user, scope: Scope) -> bool:
    """Only a chief rep writes follow-up notes, about the reps they follow up (R6)."""
    return any(s.key == scope.key for s in own_scopes(user))


def notes_visible_to(user):
    """Private to the author: no role, not even an administrator, reads another's notes."""
    if not user.is_authenticated or not user.municipality_id:
        return FollowUpNote.objects.none()
    return FollowUpNote.objects.filter(author_id=user.pk, municipality_id=user.municipality_id)


def handovers_visible_to(user):
    """Vacancies and newcomers: the chief reps and administrators of the municipality."""
    if not can_view_local_reps(user):
        return Handover.objects.none()
    return Handover.objects.filter(municipality_id=user.municipality_id)


def follows_unit(user, unit) -> bool:
    """A chief rep who follows up this unit's reps: the chief safety rep (every unit), or a
    chief union rep whose union has members or a current local rep there (R6)."""
    chiefs = _chief_roles(user)
    if any(a.role == Role.CHIEF_SAFETY_REP for a in chiefs):
        return True
    unions = [a.union_id for a in chiefs if a.role == Role.CHIEF_UNION_REP and a.union_id]
    if not unions:
        return False
    if UnionPresence.objects.filter(unit=unit, union_id__in=unions).exists():
        return True
    return (
        RoleAssignment.objects.current()
        .filter(unit=unit, role=Role.LOCAL_UNION_REP, union_id__in=unions)
        .exists()
    )


def can_view_onboarding(user, unit) -> bool:
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return False
    if unit.pk in party_group_unit_ids(user) or is_admin(user):
        return True
    return follows_unit(user, unit)


def can_edit_practice(user, unit) -> bool:
    """The group's members agree on and write their way of working (R13)."""
    return (
        user.is_authenticated
        and user.municipality_id == unit.municipality_id
        and unit.pk in party_group_unit_ids(user)
    )
