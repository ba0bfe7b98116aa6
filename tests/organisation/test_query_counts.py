"""Reads have a fixed number of queries (ARCHITECTURE rule 4).

Every list and dashboard page is rendered with one unit and with fifty (each with a full party
group, union presences, departments, employees, ended and upcoming assignments), and the number
of queries must be the same. The counts are compared, not hard-coded.
"""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import (
    DepartmentFactory,
    UnitFactory,
    give_role,
    person_with_role,
    presence,
    union,
)
from tests.query_counts import measure as measure_pages
from trepart.organisation.models import AdoptionDecision, Role

ENDED = {"starts_on": datetime.date(2022, 1, 1), "ends_on": datetime.date(2023, 12, 31)}
LATER = {"starts_on": datetime.date.today() + datetime.timedelta(days=30)}
MANY = 50


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hundreds of people are created here; Argon2 would take ~0.1 s for each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def populate_unit(unit, with_presences=True):
    """A full party group, union presences (one without a rep), departments, staff and history."""
    if with_presences:
        presence(unit, "Fagforbundet")
        presence(unit, "NSF")
        presence(unit, "Delta")  # members but no local rep: a finding
    kitchen, ward = DepartmentFactory(unit=unit), DepartmentFactory(unit=unit)
    person_with_role(Role.UNIT_LEADER, unit)
    person_with_role(Role.DEPARTMENT_LEADER, unit, department=ward)
    person_with_role(Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet"))
    person_with_role(Role.LOCAL_UNION_REP, unit, union=union("NSF"))
    safety_rep = person_with_role(Role.SAFETY_REP, unit)
    person_with_role(Role.EMPLOYEE, unit, department=kitchen)
    person_with_role(Role.EMPLOYEE, unit)
    # History: an earlier safety rep and an earlier Delta rep; a leader who starts later.
    person_with_role(Role.SAFETY_REP, unit, **ENDED)
    person_with_role(Role.LOCAL_UNION_REP, unit, union=union("Delta"), **ENDED)
    person_with_role(Role.UNIT_LEADER, unit, **LATER)
    give_role(safety_rep, Role.EMPLOYEE, unit=unit, **ENDED)


def populate_steering_group(municipality, n):
    for _ in range(n):
        person_with_role(Role.POLITICIAN, municipality=municipality, side="position")
        person_with_role(Role.POLITICIAN, municipality=municipality, side="opposition")
        person_with_role(Role.ADMINISTRATION, municipality=municipality)
        person_with_role(Role.CHIEF_UNION_REP, municipality=municipality, union=union("NSF"))
        person_with_role(Role.CHIEF_UNION_REP, municipality=municipality, **ENDED)
    person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality)
    person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality, **ENDED)


@pytest.fixture
def viewers(municipality, unit):
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)
    chief = person_with_role(Role.CHIEF_UNION_REP, municipality=municipality)
    chief_safety = person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality)
    leader = person_with_role(Role.UNIT_LEADER, unit)
    employee = person_with_role(Role.EMPLOYEE, unit)
    AdoptionDecision.objects.create(
        municipality=municipality,
        body=AdoptionDecision.Body.COUNCIL,
        decided_on=datetime.date(2024, 3, 1),
        summary="Vedtatt.",
    )
    return {
        "admin": admin,
        "chief_union_rep": chief,
        "chief_safety_rep": chief_safety,
        "unit_leader": leader,
        "employee": employee,
    }


def pages(unit):
    """(viewer, page name, url) for every list and dashboard page."""
    unit_url = reverse("organisation:unit_detail", args=[unit.pk])
    structure = reverse("organisation:structure")
    steering = reverse("organisation:steering_group")
    home = reverse("home:home")
    return [
        ("admin", "structure", structure),
        ("admin", "unit_detail", unit_url),
        ("admin", "steering_group", steering),
        ("admin", "manage", reverse("organisation:manage")),
        ("admin", "people", reverse("organisation:people")),
        ("admin", "people_filtered", reverse("organisation:people") + f"?unit={unit.pk}&q=e"),
        ("admin", "home", home),
        ("chief_union_rep", "home", home),
        ("chief_union_rep", "unit_detail", unit_url),
        ("chief_union_rep", "structure", structure),
        ("chief_safety_rep", "home", home),
        ("unit_leader", "home", home),
        ("employee", "home", home),
        ("employee", "unit_detail", unit_url),
    ]


def measure(clients, unit):
    """Query count and SQL per page (see tests/query_counts.py)."""
    return measure_pages(clients, pages(unit))


def test_pages_use_same_number_of_queries_with_1_and_50_units(municipality, unit, viewers):
    clients = {role: client_for(user) for role, user in viewers.items()}
    populate_unit(unit)
    populate_steering_group(municipality, 1)
    few = measure(clients, unit)

    for _ in range(MANY - 1):
        populate_unit(UnitFactory(municipality=municipality))
    # The measured unit itself grows too: more holders, departments and history.
    populate_unit(unit, with_presences=False)
    presence(unit, "Utdanningsforbundet")
    populate_steering_group(municipality, 4)
    assert municipality.units.count() == MANY
    many = measure(clients, unit)

    grown = {
        page: (len(few[page]), len(many[page])) for page in few if len(few[page]) != len(many[page])
    }
    details = "\n".join(
        f"{page}: {a} → {b} queries; first extra: {many[page][a] if b > a else '-'}"
        for page, (a, b) in grown.items()
    )
    assert not grown, f"query count depends on the number of rows:\n{details}"


def test_other_municipality_does_not_change_query_counts(
    municipality, unit, viewers, other_municipality
):
    """Data of another municipality is never read (tenant scoping, rule 3) nor counted."""
    clients = {role: client_for(user) for role, user in viewers.items()}
    populate_unit(unit)
    before = measure(clients, unit)
    for _ in range(3):
        populate_unit(UnitFactory(municipality=other_municipality))
    populate_steering_group(other_municipality, 2)
    after = measure(clients, unit)
    assert {p: len(q) for p, q in before.items()} == {p: len(q) for p, q in after.items()}
