"""Writes for the organisation app. Every write checks permission and runs in a transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.accounts import selectors as invitation_selectors
from trepart.accounts import services as invitation_services
from trepart.accounts.models import User
from trepart.core import hooks
from trepart.organisation import selectors
from trepart.organisation.models import (
    AdoptionDecision,
    Department,
    ImportBatch,
    RoleAssignment,
    ServiceArea,
    UnionPresence,
    Unit,
)
from trepart.organisation.permissions import can_manage_roles


def _require_admin(actor, municipality):
    if not can_manage_roles(actor, municipality):
        raise PermissionDenied


def overlapping_assignment(
    *, person, role, unit, union, department, starts_on, ends_on, exclude_pk=None
):
    """An assignment of the same person to the same role and place whose period overlaps."""
    qs = RoleAssignment.objects.filter(
        person=person, role=role, unit=unit, union=union, department=department
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        qs = qs.filter(starts_on__lte=ends_on)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def build_role_assignment(
    *,
    municipality,
    person,
    role,
    unit=None,
    department=None,
    union=None,
    side="",
    starts_on,
    ends_on=None,
) -> RoleAssignment:
    """Build and validate (not save) an assignment: shape, tenant and overlap rules (R5)."""
    assignment = RoleAssignment(
        municipality=municipality,
        person=person,
        role=role,
        unit=unit,
        department=department,
        union=union,
        side=side or "",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    assignment.clean()
    if person.municipality_id != municipality.pk:
        raise ValidationError({"person": _("The person belongs to another municipality.")})
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ValidationError({"unit": _("The unit belongs to another municipality.")})
    if department is not None and department.unit.municipality_id != municipality.pk:
        raise ValidationError({"department": _("The department belongs to another municipality.")})
    if union is not None and union.municipality_id not in (None, municipality.pk):
        raise ValidationError({"union": _("Unknown union.")})
    if overlapping_assignment(
        person=person,
        role=role,
        unit=unit,
        union=union,
        department=department,
        starts_on=starts_on,
        ends_on=ends_on,
    ):
        raise ValidationError(
            _("%(person)s already holds this role in an overlapping period.") % {"person": person}
        )
    return assignment


def role_assign(*, actor, municipality, **fields) -> RoleAssignment:
    _require_admin(actor, municipality)
    person = fields.get("person")
    if person is not None and getattr(person, "erased_at", None):
        # P8: an erased person stays only as the role they held in archive material.
        raise ValidationError(_("This person's data has been erased: they cannot get a role."))
    with transaction.atomic():
        assignment = build_role_assignment(municipality=municipality, **fields)
        assignment.created_by = actor
        assignment.save()
        _roles_changed(assignment, "started")
    return assignment


def _roles_changed(assignment: RoleAssignment, change: str) -> None:
    """Tell higher apps after commit (hooks.ROLES_CHANGED: vacancies and newcomers, R5/R6)."""
    for fn in hooks.get_hooks(hooks.ROLES_CHANGED):
        transaction.on_commit(lambda fn=fn: fn(assignment, change))


def role_end(*, actor, assignment: RoleAssignment, ends_on: datetime.date) -> RoleAssignment:
    """End a role on a date. The assignment is kept as history (R5)."""
    _require_admin(actor, assignment.municipality)
    if ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    if assignment.ends_on is not None and assignment.ends_on < datetime.date.today():
        raise ValidationError(_("This role has already ended."))
    with transaction.atomic():
        assignment.ends_on = ends_on
        assignment.ended_by = actor
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["ends_on", "ended_by", "ended_at"])
        _roles_changed(assignment, "ended")
    return assignment


def person_create(
    *,
    actor,
    municipality,
    full_name: str,
    email: str,
    phone: str = "",
    send_invitation: bool = False,
) -> User:
    """A new person without a password; with `send_invitation`, an invitation to choose one
    is e-mailed by the background job."""
    _require_admin(actor, municipality)
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A person with this e-mail address already exists.")})
    with transaction.atomic():
        person = User.objects.create_user(
            email=email, full_name=full_name.strip(), phone=phone, municipality=municipality
        )
        if send_invitation:
            person_invite(actor=actor, person=person)
    return person


def person_invite(*, actor, person: User):
    """Send the person an invitation to choose a password (again: older links stop working).

    Only a municipal administrator of the person's own municipality (P0); the e-mail goes out
    from the background job (accounts.tasks.send_invitations).
    """
    _require_admin(actor, person.municipality)
    return invitation_services.invitation_request(actor=actor, person=person)


def import_invite_new(*, actor, batch: ImportBatch):
    """Invite everyone the import created who has no password and no invitation waiting or
    valid; one background job sends them, and the import page follows its progress."""
    _require_admin(actor, batch.municipality)
    if not batch.applied_at:
        raise ValidationError(_("The file has not been imported yet."))
    people = list(
        invitation_selectors.people_without_live_invitation(selectors.import_new_people(batch))
    )
    if not people:
        raise ValidationError(_("Everyone new from this import has already been invited."))
    with transaction.atomic():
        run = invitation_services.invitations_request(actor=actor, people=people)
        batch.summary = {**batch.summary, "invitation_run": run.pk}
        batch.save(update_fields=["summary"])
    return run


def adoption_decision_record(*, actor, municipality, **fields) -> AdoptionDecision:
    """R8: record the decision that anchors the method politically."""
    _require_admin(actor, municipality)
    with transaction.atomic():
        return AdoptionDecision.objects.create(
            municipality=municipality, recorded_by=actor, **fields
        )


def union_presence_set(*, actor, unit: Unit, union, member_count=None) -> UnionPresence:
    """Record that a union has members at the unit (used by the composition check, R4)."""
    _require_admin(actor, unit.municipality)
    with transaction.atomic():
        presence, _created = UnionPresence.objects.update_or_create(
            unit=unit, union=union, defaults={"member_count": member_count}
        )
    return presence


def union_presence_remove(*, actor, unit: Unit, union) -> None:
    _require_admin(actor, unit.municipality)
    UnionPresence.objects.filter(unit=unit, union=union).delete()


def service_area_get_or_create(*, municipality, name: str) -> ServiceArea:
    area, _created = ServiceArea.objects.get_or_create(municipality=municipality, name=name.strip())
    return area


def unit_created(unit: Unit) -> Unit:
    """Let the higher apps add what a new unit needs (its input link, its party group's
    standing items), in the creating transaction, so no page has to write on GET."""
    for fn in hooks.get_hooks(hooks.UNIT_CREATED):
        fn(unit)
    return unit


def unit_get_or_create(*, municipality, service_area: ServiceArea, name: str) -> Unit:
    with transaction.atomic():
        unit, created = Unit.objects.get_or_create(
            municipality=municipality, name=name.strip(), defaults={"service_area": service_area}
        )
        if created:
            unit_created(unit)
    return unit


def department_get_or_create(*, unit: Unit, name: str) -> Department:
    department, _created = Department.objects.get_or_create(unit=unit, name=name.strip())
    return department


def municipality_settings_update(*, actor, municipality, **fields):
    _require_admin(actor, municipality)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(municipality, name, value)
        municipality.save(update_fields=list(fields))
    return municipality


def unit_create(
    *,
    actor,
    municipality,
    name: str,
    service_area=None,
    new_service_area: str = "",
    party_group_name: str = "",
) -> Unit:
    _require_admin(actor, municipality)
    with transaction.atomic():
        if service_area is None:
            service_area = service_area_get_or_create(
                municipality=municipality, name=new_service_area
            )
        elif service_area.municipality_id != municipality.pk:
            raise ValidationError({"service_area": _("Unknown service area.")})
        return unit_created(
            Unit.objects.create(
                municipality=municipality,
                service_area=service_area,
                name=name.strip(),
                party_group_name=party_group_name.strip(),
            )
        )


def unit_update(*, actor, unit: Unit, party_group_name: str) -> Unit:
    _require_admin(actor, unit.municipality)
    with transaction.atomic():
        unit.party_group_name = party_group_name.strip()
        unit.save(update_fields=["party_group_name"])
    return unit


def department_create(*, actor, unit: Unit, name: str) -> Department:
    _require_admin(actor, unit.municipality)
    name = name.strip()
    if unit.departments.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("The unit already has a department with this name.")})
    with transaction.atomic():
        return Department.objects.create(unit=unit, name=name)


def import_batch_create(*, actor, municipality, filename: str, content: bytes):
    """An uploaded import file, kept for the dry run and the apply (P0)."""
    _require_admin(actor, municipality)
    return ImportBatch.objects.create(
        municipality=municipality, uploaded_by=actor, filename=filename[:255], content=content
    )
