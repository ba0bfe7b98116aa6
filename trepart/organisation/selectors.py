"""Reads for the organisation app. Each selector owns its joins: a fixed number of queries."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils.html import format_html_join

from trepart.accounts import selectors as invitation_selectors
from trepart.accounts.models import User
from trepart.organisation import composition
from trepart.organisation.models import (
    PARTY_GROUP_ROLES,
    UNIT_ROLES,
    Role,
    RoleAssignment,
    ServiceArea,
    Unit,
)

# Display order of roles in a party group and in the steering group.
PARTY_GROUP_ORDER = [
    Role.UNIT_LEADER,
    Role.DEPARTMENT_LEADER,
    Role.LOCAL_UNION_REP,
    Role.SAFETY_REP,
]
STEERING_GROUP_ORDER = [
    Role.POLITICIAN,
    Role.ADMINISTRATION,
    Role.CHIEF_UNION_REP,
    Role.CHIEF_SAFETY_REP,
]


def _grouped(assignments, order):
    by_role = defaultdict(list)
    for a in assignments:
        by_role[a.role].append(a)
    return [
        {"role": role, "label": Role(role).label, "holders": by_role.get(role, [])}
        for role in order
    ]


def structure_overview(municipality) -> dict:
    """Service areas → units, each unit with its party group size and findings."""
    units = list(
        Unit.objects.filter(municipality=municipality)
        .select_related("service_area", "municipality")
        .annotate(department_count=Count("departments", distinct=True))
        .order_by("service_area__name", "name")
    )
    snapshots = composition.unit_snapshots(municipality, units=units)
    rows_by_area = defaultdict(list)
    for snapshot in snapshots:
        findings = composition.unit_findings(snapshot)
        rows_by_area[snapshot.unit.service_area_id].append(
            {
                "unit": snapshot.unit,
                "member_count": len({a.person_id for a in snapshot.assignments}),
                "findings": findings,
                "error_count": sum(1 for f in findings if f.severity == composition.ERROR),
            }
        )
    areas = ServiceArea.objects.filter(municipality=municipality).order_by("name")
    steering = composition.steering_snapshot(municipality)
    return {
        "areas": [{"area": a, "units": rows_by_area.get(a.pk, [])} for a in areas],
        "steering_findings": composition.steering_findings(steering),
        "steering_member_count": len({a.person_id for a in steering.assignments}),
        "adoption": municipality.adoption_decisions.first(),
    }


def unit_detail(unit: Unit, on: datetime.date | None = None) -> dict:
    """The unit page: party group by role, departments, findings and the history of role holders.

    `on` shows the group as it was on that day (R5: "who was in the group in March 2024?").
    """
    snapshot = composition.unit_snapshots(unit.municipality, units=[unit], on=on)[0]
    today = datetime.date.today()
    # Issue 14: earlier holders only, chosen by the database (not every assignment ever made).
    history = list(
        RoleAssignment.objects.filter(unit=unit, role__in=PARTY_GROUP_ROLES, ends_on__lt=today)
        .select_related("person", "union", "department")
        .order_by("role", "-starts_on", "-id")
    )
    employee_count = (
        RoleAssignment.objects.current()
        .filter(unit=unit, role=Role.EMPLOYEE)
        .values("person")
        .distinct()
        .count()
    )
    return {
        "groups": _grouped(snapshot.assignments, PARTY_GROUP_ORDER),
        "findings": composition.unit_findings(snapshot),
        "unions_present": snapshot.unions_present,
        "departments": list(unit.departments.all()),
        # Earlier holders only: an assignment that starts later is not history.
        "history": history,
        "employee_count": employee_count,
    }


def steering_group_detail(municipality) -> dict:
    snapshot = composition.steering_snapshot(municipality)
    history = list(
        RoleAssignment.objects.filter(
            municipality=municipality,
            role__in=STEERING_GROUP_ORDER,
            ends_on__lt=datetime.date.today(),  # earlier members only, not those starting later
        )
        .select_related("person", "union")
        .order_by("role", "-starts_on")
    )
    return {
        "groups": _grouped(snapshot.assignments, STEERING_GROUP_ORDER),
        "findings": composition.steering_findings(snapshot),
        "history": history,
    }


def role_holders_on(municipality, role: str, on: datetime.date, unit: Unit | None = None):
    """Who held a role on a given day (R5: "who was safety rep here in March 2024?")."""
    qs = RoleAssignment.objects.current(on).filter(municipality=municipality, role=role)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("person", "unit", "union")


def people_list(municipality, query: str = "", unit_id: int | None = None):
    """People of the municipality with their current roles (two queries)."""
    current = RoleAssignment.objects.current().select_related("unit", "union", "department")
    people = User.objects.filter(municipality=municipality).prefetch_related(
        Prefetch("role_assignments", queryset=current, to_attr="current_roles")
    )
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    if unit_id:
        people = people.filter(
            role_assignments__in=RoleAssignment.objects.current().filter(unit_id=unit_id)
        ).distinct()
    return people.order_by("full_name")


def person_roles(person) -> dict:
    assignments = list(
        person.role_assignments.select_related(
            "unit", "union", "department", "created_by", "ended_by"
        ).order_by("-starts_on", "-id")
    )
    today = datetime.date.today()
    return {
        "current": [a for a in assignments if a.is_current(today)],
        "upcoming": [a for a in assignments if a.starts_on > today],
        "past": [a for a in assignments if a.ends_on is not None and a.ends_on < today],
    }


def import_new_people(batch):
    """The people the import created (their ids are kept in the batch's summary)."""
    ids = [pk for pk in batch.summary.get("new_person_ids", []) if isinstance(pk, int)]
    return User.objects.filter(municipality_id=batch.municipality_id, pk__in=ids)


def import_invitations(batch) -> dict:
    """The invitations of an applied import: how many new people can still be invited, and
    the progress of the job that is sending (or sent) them. Two queries."""
    if not batch.applied_at:
        return {"new_people": 0, "invitable": 0, "progress": None}
    valid_days = settings.INVITATION_VALID_DAYS
    new_people = len(batch.summary.get("new_person_ids", []))
    invitable = (
        invitation_selectors.people_without_live_invitation(import_new_people(batch)).count()
        if new_people
        else 0
    )
    progress = invitation_selectors.run_progress(
        batch.summary.get("invitation_run"), batch.municipality_id
    )
    return {
        "new_people": new_people,
        "invitable": invitable,
        "progress": progress,
        "valid_days": valid_days,
    }


def person_invitation(person) -> invitation_selectors.InvitationStatus:
    """The person page's invitation state (not sent, sent, accepted, expired …)."""
    return invitation_selectors.invitation_status(person)


def unit_options(municipality, selected: int | None = None) -> str:
    """The `<option>`s of the municipality's units for a filter, as safe HTML.

    Issue 14: built in one pass over (id, name) rows; a template loop over a 1,000-unit
    municipality's Unit objects cost ten times the rest of the people list."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (pk, " selected" if pk == selected else "", name)
            for pk, name in Unit.objects.filter(municipality=municipality)
            .order_by("name", "pk")
            .values_list("pk", "name")
        ),
    )


def is_unit_role(role: str) -> bool:
    return role in UNIT_ROLES


# The person picker never lists more than this many people (one bounded query).
PEOPLE_SEARCH_LIMIT = 20


def people_search(municipality, query: str, limit: int = PEOPLE_SEARCH_LIMIT) -> list[User]:
    """Active people of one municipality whose name or e-mail contains every word of `query`.

    At most `limit` people, in one query; an empty query finds nobody.
    """
    words = query.split()[:5]
    if not words or municipality is None:
        return []
    people = User.objects.filter(municipality=municipality, is_active=True)
    for word in words:
        word = word[:100]
        people = people.filter(Q(full_name__icontains=word) | Q(email__icontains=word))
    return list(people.order_by("full_name", "email")[:limit])


def active_person(municipality, pk) -> User | None:
    """The active person with this id in this municipality, or None (never another one's)."""
    if municipality is None or not str(pk).isdigit():
        return None
    return User.objects.filter(municipality=municipality, is_active=True, pk=int(pk)).first()
