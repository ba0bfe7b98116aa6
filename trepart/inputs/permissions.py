"""Who may see and do what with staff input (P3, P8).

- Anyone at the unit (any current role there) gives input for it, or anyone at all through the
  unit's anonymous link.
- The unit's party group (current party-group roles) sees and triages every group input of the
  unit. Input sent privately to the leader (R14) is seen and answered by the unit leader only.
- A submitter who showed their name sees their own input; an anonymous one uses the receipt.
- Everybody with a current role at the unit sees the inputs the group marked public.
- Nobody outside the municipality sees anything (404). Municipal administrators and the
  steering group see counts, not texts (selectors.input_overview).
"""

from __future__ import annotations

from django.db.models import Q

from trepart.inputs.models import Audience, Input
from trepart.organisation.models import Role
from trepart.organisation.permissions import (
    current_roles,
    party_group_unit_ids,
    unit_ids_with_any_role,
)


def leader_unit_ids(user) -> set[int]:
    return {a.unit_id for a in current_roles(user) if a.unit_id and a.role == Role.UNIT_LEADER}


def can_give_input(user, unit) -> bool:
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return False
    return unit.pk in unit_ids_with_any_role(user)


def can_triage_unit(user, unit) -> bool:
    """Members of the unit's party group triage and answer its inputs."""
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return False
    return unit.pk in party_group_unit_ids(user)


def can_triage(user, item: Input) -> bool:
    if not user.is_authenticated or user.municipality_id != item.municipality_id:
        return False
    if item.audience == Audience.LEADER:
        return item.unit_id in leader_unit_ids(user)
    return item.unit_id in party_group_unit_ids(user)


def can_manage_link(user, unit) -> bool:
    """Print the poster and renew the unit's link."""
    return can_triage_unit(user, unit)


def inputs_visible_to(user):
    if not user.is_authenticated or not user.municipality_id:
        return Input.objects.none()
    group_units = party_group_unit_ids(user)
    leader_units = leader_unit_ids(user)
    any_units = unit_ids_with_any_role(user)
    visible = (
        Q(unit_id__in=group_units, audience=Audience.GROUP)
        | Q(unit_id__in=leader_units, audience=Audience.LEADER)
        | Q(author=user)
        | Q(unit_id__in=any_units, public=True, hidden=False, audience=Audience.GROUP)
    )
    return Input.objects.filter(municipality_id=user.municipality_id).filter(visible)


def sees_submitter(user, item: Input) -> bool:
    """The name of a named submitter is shown to those who triage, and to the submitter."""
    return item.author_id is not None and (can_triage(user, item) or item.author_id == user.pk)
