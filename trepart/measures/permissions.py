"""Who may see and change measures (P4, P8).

- Everybody with a current role at the unit reads its measures board and measure pages.
- Members of the unit's party group change them.
- The HMS risk assessment is recorded by the unit's safety rep, or by another group member
  who names the safety rep it was made together with (R26).
- Municipal administrators read every unit's measures. Other municipalities: 404.
"""

from __future__ import annotations

from trepart.measures.models import Evidence, Measure
from trepart.organisation.models import Role
from trepart.organisation.permissions import (
    current_roles,
    is_admin,
    party_group_unit_ids,
    unit_ids_with_any_role,
)


def measures_visible_to(user):
    if not user.is_authenticated or not user.municipality_id:
        return Measure.objects.none()
    qs = Measure.objects.filter(municipality_id=user.municipality_id)
    if is_admin(user):
        return qs
    return qs.filter(unit_id__in=unit_ids_with_any_role(user))


def evidence_visible_to(user):
    """Evidence of the measures this person may read."""
    return Evidence.objects.filter(measure__in=measures_visible_to(user))


def can_view_unit_measures(user, unit) -> bool:
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return False
    return is_admin(user) or unit.pk in unit_ids_with_any_role(user)


def can_change_unit_measures(user, unit) -> bool:
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return False
    return unit.pk in party_group_unit_ids(user)


def can_change(user, measure: Measure) -> bool:
    return measure.municipality_id == user.municipality_id and can_change_unit_measures(
        user, measure.unit
    )


def is_safety_rep_of(user, unit) -> bool:
    return any(a.role == Role.SAFETY_REP and a.unit_id == unit.pk for a in current_roles(user))
