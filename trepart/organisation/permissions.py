"""Who may see and do what in the organisation app (P8).

Answers `can_<verb>_<noun>(user, obj)` and `<noun>s_visible_to(user)`. Views call these first;
services check again. Municipalities are strictly separated: every queryset here starts from the
user's municipality.
"""

import datetime

from trepart.accounts.models import User
from trepart.organisation.models import (
    PARTY_GROUP_ROLES,
    STEERING_GROUP_ROLES,
    ImportBatch,
    Municipality,
    Role,
    RoleAssignment,
    Unit,
)


def current_roles(user, on: datetime.date | None = None) -> list[RoleAssignment]:
    """The person's role assignments in force today, cached on the user object for the request."""
    if not user.is_authenticated or not user.municipality_id:
        return []
    cache_key = "_trepart_current_roles"
    if on is None and hasattr(user, cache_key):
        return getattr(user, cache_key)
    roles = list(
        RoleAssignment.objects.current(on)
        .filter(person=user, municipality_id=user.municipality_id)
        .select_related("unit", "union", "department")
    )
    if on is None:
        setattr(user, cache_key, roles)
    return roles


def has_role(user, *roles: str) -> bool:
    return any(a.role in roles for a in current_roles(user))


def is_admin(user) -> bool:
    """A municipal administrator of the person's own municipality."""
    return has_role(user, Role.MUNICIPAL_ADMIN)


def unit_ids_with_any_role(user) -> set[int]:
    """Units where the person holds any current role (staff included)."""
    return {a.unit_id for a in current_roles(user) if a.unit_id}


def party_group_unit_ids(user) -> set[int]:
    """Units whose party group the person belongs to today (R1)."""
    return {a.unit_id for a in current_roles(user) if a.unit_id and a.role in PARTY_GROUP_ROLES}


def is_steering_member(user) -> bool:
    return any(a.role in STEERING_GROUP_ROLES for a in current_roles(user))


def is_municipal_admin(user, municipality=None) -> bool:
    if not user.is_authenticated or not user.municipality_id:
        return False
    if municipality is not None and municipality.pk != user.municipality_id:
        return False
    return has_role(user, Role.MUNICIPAL_ADMIN)


def can_manage_roles(user, municipality) -> bool:
    """Only municipal administrators assign and end roles, record decisions and import (P0)."""
    return is_municipal_admin(user, municipality)


def can_import(user, municipality) -> bool:
    return can_manage_roles(user, municipality)


def units_visible_to(user):
    """Everyone in a municipality may see its structure; nobody sees another municipality's."""
    if not user.is_authenticated or not user.municipality_id:
        return Unit.objects.none()
    return Unit.objects.filter(municipality_id=user.municipality_id)


def can_see_union_affiliations(user, unit) -> bool:
    """Who may see which union a local rep represents (GDPR art. 9, P8).

    Being a rep reveals union membership. The unit's own people need to know whom to contact;
    administrators and the municipality-level reps need it to follow up (R6, R7). Others see the
    role without the union.
    """
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return False
    if has_role(
        user,
        Role.MUNICIPAL_ADMIN,
        Role.ADMINISTRATION,
        Role.CHIEF_UNION_REP,
        Role.CHIEF_SAFETY_REP,
    ):
        return True
    return unit.pk in unit_ids_with_any_role(user)


def municipalities_visible_to(user):
    """A person sees only their own municipality."""
    if not user.is_authenticated or not user.municipality_id:
        return Municipality.objects.none()
    return Municipality.objects.filter(pk=user.municipality_id)


def role_assignments_visible_to(user):
    """Role assignments (with their history) are managed by municipal administrators."""
    if not is_municipal_admin(user):
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(municipality_id=user.municipality_id)


def import_batches_visible_to(user):
    if not can_import(user, user.municipality if user.is_authenticated else None):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(municipality_id=user.municipality_id)


def people_in_municipality(user):
    """Active people of the person's own municipality (for pickers and group lists)."""
    if not user.is_authenticated or not user.municipality_id:
        return User.objects.none()
    return User.objects.filter(municipality_id=user.municipality_id, is_active=True)


def people_visible_to(user):
    """People lists are for municipal administrators only."""
    if not is_municipal_admin(user):
        return User.objects.none()
    return User.objects.filter(municipality_id=user.municipality_id)
