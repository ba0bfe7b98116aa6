"""Who may see and do what in the organisation app: every role × action, every denial (P0, P8).

ARCHITECTURE rule 2 (permissions in one place, services check again) and rule 3 (another
municipality's object is a 404, never a 403 that leaks its existence).
"""

import datetime
from html import escape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import client_for
from tests.factories import (
    DepartmentFactory,
    UnitFactory,
    UserFactory,
    give_role,
    person_with_role,
    presence,
    union,
)
from trepart.organisation import services
from trepart.organisation.models import (
    AdoptionDecision,
    ImportBatch,
    Role,
    RoleAssignment,
    UnionPresence,
)
from trepart.organisation.permissions import can_manage_roles, can_see_union_affiliations

STARTS = datetime.date(2024, 1, 1)
MISSING_PK = 999_999


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Creating users with Argon2 costs ~0.1 s each; these tests are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the objects every URL points at -------------------------------------------------------------


@pytest.fixture
def target(municipality, unit):
    """A person with a current role, a union presence and an import batch in `municipality`."""
    person = UserFactory(municipality=municipality, full_name="Kari Nordmann")
    assignment = give_role(person, Role.EMPLOYEE, unit=unit)
    presence(unit, "NSF")
    batch = ImportBatch.objects.create(
        municipality=municipality, filename="import.csv", content=b"unit;name\n"
    )
    return {"unit": unit, "person": person, "assignment": assignment, "batch": batch}


def object_urls(target, missing=False):
    """Every URL that names one tenant-owned object: (name, method, url, POST data)."""

    def pk(key):
        return MISSING_PK if missing else target[key].pk

    nsf = union("NSF").pk
    return [
        ("unit_detail", "get", reverse("organisation:unit_detail", args=[pk("unit")]), None),
        (
            "union_presence_add",
            "post",
            reverse("organisation:union_presence_add", args=[pk("unit")]),
            {"union": union("Delta").pk, "member_count": 3},
        ),
        (
            "union_presence_remove",
            "post",
            reverse("organisation:union_presence_remove", args=[pk("unit"), nsf]),
            {},
        ),
        ("person_detail", "get", reverse("organisation:person_detail", args=[pk("person")]), None),
        (
            "role_assign",
            "post",
            reverse("organisation:role_assign", args=[pk("person")]),
            {"role": Role.SAFETY_REP, "starts_on": "2024-02-01"},
        ),
        (
            "role_end",
            "post",
            reverse("organisation:role_end", args=[pk("assignment")]),
            {"ends_on": "2025-06-30"},
        ),
        ("import_review", "get", reverse("organisation:import_review", args=[pk("batch")]), None),
        ("import_apply", "post", reverse("organisation:import_apply", args=[pk("batch")]), {}),
        ("import_invite", "post", reverse("organisation:import_invite", args=[pk("batch")]), {}),
        ("person_invite", "post", reverse("organisation:person_invite", args=[pk("person")]), {}),
        (
            "unit_update",
            "post",
            reverse("organisation:unit_update", args=[pk("unit")]),
            {"party_group_name": "Fremmedgruppa"},
        ),
        (
            "department_add",
            "post",
            reverse("organisation:department_add", args=[pk("unit")]),
            {"name": "Fremmed avdeling"},
        ),
    ]


def admin_urls(target):
    """Every page and action that only the municipal administrator may use (P0)."""
    return [
        ("manage", "get", reverse("organisation:manage"), None),
        ("people", "get", reverse("organisation:people"), None),
        ("person_create", "get", reverse("organisation:person_create"), None),
        (
            "person_create_post",
            "post",
            reverse("organisation:person_create"),
            {"full_name": "Ny Person", "email": "ny@example.test"},
        ),
        (
            "adoption_decision",
            "get",
            reverse("organisation:adoption_decision"),
            None,
        ),
        (
            "adoption_decision_post",
            "post",
            reverse("organisation:adoption_decision"),
            {"body": "council", "decided_on": "2024-05-01", "summary": "Vedtatt."},
        ),
        ("import", "get", reverse("organisation:import"), None),
        ("import_example", "get", reverse("organisation:import_example", args=["csv"]), None),
        (
            "import_example_xlsx",
            "get",
            reverse("organisation:import_example", args=["xlsx"]),
            None,
        ),
    ] + [row for row in object_urls(target) if row[0] != "unit_detail"]


def tenant_urls(target):
    """Pages for everybody in the municipality."""
    return [
        ("home", "get", reverse("home:home"), None),
        ("structure", "get", reverse("organisation:structure"), None),
        ("unit_detail", "get", reverse("organisation:unit_detail", args=[target["unit"].pk]), None),
        ("steering_group", "get", reverse("organisation:steering_group"), None),
    ]


def request(client, method, url, data):
    if method == "post":
        return client.post(url, data or {})
    return client.get(url)


def nothing_written(target, before):
    """No write happened: counts of the writable models are unchanged, the role is not ended."""
    target["assignment"].refresh_from_db()
    target["batch"].refresh_from_db()
    assert target["assignment"].ends_on is None
    assert target["batch"].applied_at is None
    assert counts() == before


def counts():
    return (
        RoleAssignment.objects.count(),
        UnionPresence.objects.count(),
        AdoptionDecision.objects.count(),
    )


# The people who are not municipal administrators, each in the municipality's unit where the role
# belongs to a unit.
NON_ADMIN_ROLES = [
    Role.EMPLOYEE,
    Role.UNIT_LEADER,
    Role.DEPARTMENT_LEADER,
    Role.LOCAL_UNION_REP,
    Role.SAFETY_REP,
    Role.POLITICIAN,
    Role.ADMINISTRATION,
    Role.CHIEF_UNION_REP,
    Role.CHIEF_SAFETY_REP,
]
UNIT_ROLE_SET = {
    Role.EMPLOYEE,
    Role.UNIT_LEADER,
    Role.DEPARTMENT_LEADER,
    Role.LOCAL_UNION_REP,
    Role.SAFETY_REP,
}


def holder_of(role, unit, municipality):
    if role in UNIT_ROLE_SET:
        return person_with_role(role, unit)
    return person_with_role(role, municipality=municipality)


# --- anonymous ----------------------------------------------------------------------------------


def test_anonymous_is_redirected_to_login_on_every_page_and_action(target):
    client = Client()
    login = reverse("accounts:login")
    rows = tenant_urls(target) + admin_urls(target)
    before = counts()
    for name, method, url, data in rows:
        response = request(client, method, url, data)
        assert response.status_code == 302, name
        assert response["Location"].startswith(f"{login}?next="), name
    nothing_written(target, before)


# --- platform users without a municipality ----------------------------------------------------------


@pytest.mark.parametrize("is_staff", [False, True], ids=["platform_user", "platform_operator"])
def test_platform_user_without_municipality_gets_403_on_tenant_pages(target, is_staff):
    platform_user = UserFactory(municipality=None, is_staff=is_staff)
    client = client_for(platform_user)
    before = counts()
    for name, method, url, data in tenant_urls(target) + admin_urls(target):
        if name == "home" and is_staff:
            continue  # covered below: the operator is sent to the technical admin site
        response = request(client, method, url, data)
        assert response.status_code == 403, name
    nothing_written(target, before)


def test_platform_operator_home_redirects_to_admin_site(db):
    operator = UserFactory(municipality=None, is_staff=True)
    response = client_for(operator).get(reverse("home:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_platform_user_cannot_manage_roles_in_any_municipality(municipality):
    platform_user = UserFactory(municipality=None, is_staff=True, is_superuser=True)
    assert not can_manage_roles(platform_user, municipality)


# --- another municipality: 404, never 403 -----------------------------------------------------------


@pytest.fixture
def other_admin(other_municipality):
    return person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)


@pytest.mark.parametrize(
    "url_name",
    [
        "unit_detail",
        "union_presence_add",
        "union_presence_remove",
        "person_detail",
        "role_assign",
        "role_end",
        "import_review",
        "import_apply",
    ],
)
def test_admin_of_other_municipality_gets_404_on_object(target, other_admin, url_name):
    client = client_for(other_admin)
    before = counts()
    (row,) = [r for r in object_urls(target) if r[0] == url_name]
    _name, method, url, data = row
    response = request(client, method, url, data)
    assert response.status_code == 404
    nothing_written(target, before)


def test_a_user_of_another_municipality_gets_404_on_every_organisation_url_with_an_id(
    target, other_municipality
):
    """ARCHITECTURE rule 3: every URL of the app that takes an id answers 404 to the strongest
    outsider (administrator, administration and unit leader at home), and writes nothing."""
    from trepart.organisation import urls as organisation_urls

    outsider = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    give_role(outsider, Role.ADMINISTRATION)
    give_role(outsider, Role.UNIT_LEADER, unit=UnitFactory(municipality=other_municipality))
    client = client_for(outsider)
    rows = object_urls(target)
    with_ids = {
        p.name
        for p in organisation_urls.urlpatterns
        if any(c.__class__.__name__ == "IntConverter" for c in p.pattern.converters.values())
    }
    assert {name for name, *_ in rows} == with_ids
    before = counts()
    unit_name = target["unit"].party_group_name
    for name, method, url, data in rows:
        assert request(client, method, url, data).status_code == 404, name
    nothing_written(target, before)
    target["unit"].refresh_from_db()
    assert target["unit"].party_group_name == unit_name
    assert not target["unit"].departments.filter(name="Fremmed avdeling").exists()


@pytest.mark.parametrize("url_name", ["unit_detail", "union_presence_add", "union_presence_remove"])
def test_employee_of_other_municipality_gets_404_on_unit(target, other_municipality, url_name):
    other_unit = UnitFactory(municipality=other_municipality)
    stranger = person_with_role(Role.EMPLOYEE, other_unit)
    (row,) = [r for r in object_urls(target) if r[0] == url_name]
    _name, method, url, data = row
    assert request(client_for(stranger), method, url, data).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.MUNICIPAL_ADMIN, Role.EMPLOYEE, Role.CHIEF_UNION_REP], ids=str
)
def test_user_of_other_municipality_cannot_tell_whether_object_exists(
    target, other_municipality, role
):
    """Same answer for another municipality's object as for an id that does not exist (rule 3)."""
    other_unit = UnitFactory(municipality=other_municipality)
    stranger = holder_of(role, other_unit, other_municipality)
    client = client_for(stranger)
    existing = object_urls(target)
    missing = object_urls(target, missing=True)
    for (name, method, url, data), (_n, _m, missing_url, _d) in zip(existing, missing, strict=True):
        status = request(client, method, url, data).status_code
        assert status == request(client, method, missing_url, data).status_code, name
        assert status in (403, 404), name


def test_tenant_pages_show_only_own_municipality(target, other_municipality):
    foreign_unit = UnitFactory(municipality=other_municipality, name="Fremmed skole")
    person_with_role(Role.CHIEF_UNION_REP, municipality=other_municipality)
    viewer = person_with_role(Role.MUNICIPAL_ADMIN, municipality=target["unit"].municipality)
    client = client_for(viewer)
    for name, _method, url, _data in tenant_urls(target):
        response = client.get(url)
        assert response.status_code == 200, name
        assert foreign_unit.name not in response.content.decode(), name
    people = client.get(reverse("organisation:people")).content.decode()
    assert target["person"].full_name in people
    assert other_municipality.name not in people


# --- non-admin roles: 403 on every admin page and action ------------------------------------------


@pytest.mark.parametrize("role", NON_ADMIN_ROLES, ids=str)
def test_non_admin_role_gets_403_on_every_admin_page_and_action(target, municipality, role):
    user = holder_of(role, target["unit"], municipality)
    client = client_for(user)
    before = counts()
    for name, method, url, data in admin_urls(target):
        response = request(client, method, url, data)
        assert response.status_code == 403, f"{role} on {name}"
    nothing_written(target, before)


@pytest.mark.parametrize("role", NON_ADMIN_ROLES, ids=str)
def test_non_admin_role_may_see_tenant_pages(target, municipality, role):
    client = client_for(holder_of(role, target["unit"], municipality))
    for name, _method, url, _data in tenant_urls(target):
        assert client.get(url).status_code == 200, f"{role} on {name}"


def test_person_without_any_role_may_see_tenant_pages_but_not_admin_pages(target, municipality):
    client = client_for(UserFactory(municipality=municipality))
    for name, _method, url, _data in tenant_urls(target):
        assert client.get(url).status_code == 200, name
    assert client.get(reverse("organisation:manage")).status_code == 403


def test_ended_municipal_admin_is_no_longer_admin(target, municipality):
    former = person_with_role(
        Role.MUNICIPAL_ADMIN, municipality=municipality, ends_on=datetime.date(2024, 12, 31)
    )
    assert not can_manage_roles(former, municipality)
    assert client_for(former).get(reverse("organisation:manage")).status_code == 403


def test_future_municipal_admin_is_not_yet_admin(target, municipality):
    future = person_with_role(
        Role.MUNICIPAL_ADMIN,
        municipality=municipality,
        starts_on=datetime.date.today() + datetime.timedelta(days=7),
    )
    assert client_for(future).get(reverse("organisation:manage")).status_code == 403


def test_employee_gets_403_on_person_detail_and_role_actions(target, employee):
    client = client_for(employee)
    person = target["person"]
    assert client.get(reverse("organisation:person_detail", args=[person.pk])).status_code == 403
    response = client.post(
        reverse("organisation:role_assign", args=[employee.pk]),
        {"role": Role.MUNICIPAL_ADMIN, "starts_on": "2024-02-01"},
    )
    assert response.status_code == 403, "an employee must not make themselves admin"
    assert not can_manage_roles(employee, employee.municipality)


def test_employee_gets_403_on_import_example(employee):
    client = client_for(employee)
    for fmt in ("csv", "xlsx"):
        url = reverse("organisation:import_example", args=[fmt])
        assert client.get(url).status_code == 403


# --- local union rep: may not manage roles -------------------------------------------------------


def test_local_union_rep_gets_403_on_role_assign(target, local_rep):
    response = client_for(local_rep).post(
        reverse("organisation:role_assign", args=[target["person"].pk]),
        {"role": Role.SAFETY_REP, "unit": target["unit"].pk, "starts_on": "2024-02-01"},
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(role=Role.SAFETY_REP).exists()


def test_local_union_rep_gets_403_on_role_end(target, local_rep):
    response = client_for(local_rep).post(
        reverse("organisation:role_end", args=[target["assignment"].pk]),
        {"ends_on": "2025-06-30"},
    )
    assert response.status_code == 403
    target["assignment"].refresh_from_db()
    assert target["assignment"].ends_on is None


def test_local_union_rep_cannot_end_own_role(local_rep):
    own = local_rep.role_assignments.get()
    response = client_for(local_rep).post(
        reverse("organisation:role_end", args=[own.pk]), {"ends_on": "2025-06-30"}
    )
    assert response.status_code == 403


def test_local_union_rep_role_assign_service_raises_permission_denied(target, local_rep):
    with pytest.raises(PermissionDenied):
        services.role_assign(
            actor=local_rep,
            municipality=target["unit"].municipality,
            person=target["person"],
            role=Role.SAFETY_REP,
            unit=target["unit"],
            starts_on=STARTS,
        )
    assert not RoleAssignment.objects.filter(role=Role.SAFETY_REP).exists()


def test_local_union_rep_role_end_service_raises_permission_denied(target, local_rep):
    with pytest.raises(PermissionDenied):
        services.role_end(
            actor=local_rep, assignment=target["assignment"], ends_on=datetime.date(2025, 6, 30)
        )
    target["assignment"].refresh_from_db()
    assert target["assignment"].ends_on is None


@pytest.mark.parametrize("role", NON_ADMIN_ROLES, ids=str)
def test_non_admin_role_services_raise_permission_denied(target, municipality, role):
    """Services check again, whatever the view did (rule 2)."""
    actor = holder_of(role, target["unit"], municipality)
    unit = target["unit"]
    calls = [
        lambda: services.role_assign(
            actor=actor,
            municipality=municipality,
            person=target["person"],
            role=Role.SAFETY_REP,
            unit=unit,
            starts_on=STARTS,
        ),
        lambda: services.role_end(
            actor=actor, assignment=target["assignment"], ends_on=datetime.date(2025, 6, 30)
        ),
        lambda: services.person_create(
            actor=actor, municipality=municipality, full_name="Ny", email="ny@example.test"
        ),
        lambda: services.adoption_decision_record(
            actor=actor,
            municipality=municipality,
            body="council",
            decided_on=STARTS,
            summary="x",
        ),
        lambda: services.union_presence_set(actor=actor, unit=unit, union=union("Delta")),
        lambda: services.union_presence_remove(actor=actor, unit=unit, union=union("NSF")),
    ]
    before = counts()
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    nothing_written(target, before)


# --- municipal admin: may do everything in their own municipality ----------------------------------


def test_municipal_admin_may_open_every_admin_page(target, admin_user):
    client = client_for(admin_user)
    for name, method, url, _data in admin_urls(target):
        if method == "get":
            assert client.get(url).status_code == 200, name


def test_municipal_admin_assigns_role(target, admin_user):
    person, unit = target["person"], target["unit"]
    response = client_for(admin_user).post(
        reverse("organisation:role_assign", args=[person.pk]),
        {"role": Role.SAFETY_REP, "unit": unit.pk, "starts_on": "2024-02-01"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:person_detail", args=[person.pk])
    assignment = RoleAssignment.objects.get(person=person, role=Role.SAFETY_REP)
    assert assignment.unit == unit
    assert assignment.municipality == unit.municipality
    assert assignment.starts_on == datetime.date(2024, 2, 1)
    assert assignment.ends_on is None
    assert assignment.created_by == admin_user


def test_municipal_admin_ends_role_and_history_is_kept(target, admin_user):
    assignment = target["assignment"]
    client = client_for(admin_user)
    response = client.post(
        reverse("organisation:role_end", args=[assignment.pk]), {"ends_on": "2025-06-30"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()  # still exists: history is kept (R5)
    assert assignment.ends_on == datetime.date(2025, 6, 30)
    assert assignment.ended_by == admin_user
    assert assignment.ended_at is not None
    assert not assignment.is_current()
    page = client.get(reverse("organisation:person_detail", args=[target["person"].pk]))
    assert page.context["past"] == [assignment]
    assert page.context["current"] == []


def test_municipal_admin_cannot_end_role_before_it_started(target, admin_user):
    assignment = target["assignment"]
    response = client_for(admin_user).post(
        reverse("organisation:role_end", args=[assignment.pk]),
        {"ends_on": "2023-12-31"},
        follow=True,
    )
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.ends_on is None
    with translation.override("nb"):
        message = gettext("The end date cannot be before the start date.")
    assert escape(message) in response.content.decode()


def test_municipal_admin_cannot_end_role_that_already_ended(target, admin_user):
    assignment = target["assignment"]
    services.role_end(actor=admin_user, assignment=assignment, ends_on=datetime.date(2025, 1, 31))
    with pytest.raises(ValidationError):
        services.role_end(
            actor=admin_user, assignment=assignment, ends_on=datetime.date(2025, 6, 30)
        )
    assignment.refresh_from_db()
    assert assignment.ends_on == datetime.date(2025, 1, 31)


def test_municipal_admin_adds_and_removes_union_presence(target, admin_user):
    unit = target["unit"]
    client = client_for(admin_user)
    response = client.post(
        reverse("organisation:union_presence_add", args=[unit.pk]),
        {"union": union("Delta").pk, "member_count": 4},
    )
    assert response.status_code == 302
    assert UnionPresence.objects.get(unit=unit, union=union("Delta")).member_count == 4
    response = client.post(
        reverse("organisation:union_presence_remove", args=[unit.pk, union("Delta").pk])
    )
    assert response.status_code == 302
    assert not UnionPresence.objects.filter(unit=unit, union=union("Delta")).exists()


def test_municipal_admin_cannot_use_other_municipalitys_own_union(
    target, admin_user, other_municipality
):
    from trepart.organisation.models import Union

    foreign = Union.objects.create(
        municipality=other_municipality, name="Annenby lokallag", short_name="ALL"
    )
    client = client_for(admin_user)
    unit = target["unit"]
    client.post(reverse("organisation:union_presence_add", args=[unit.pk]), {"union": foreign.pk})
    assert not UnionPresence.objects.filter(union=foreign).exists()
    response = client.post(
        reverse("organisation:union_presence_remove", args=[unit.pk, foreign.pk])
    )
    assert response.status_code == 404


def test_municipal_admin_records_adoption_decision(admin_user):
    response = client_for(admin_user).post(
        reverse("organisation:adoption_decision"),
        {"body": "council", "decided_on": "2024-05-01", "summary": "Vedtatt i kommunestyret."},
    )
    assert response.status_code == 302
    decision = AdoptionDecision.objects.get()
    assert decision.municipality == admin_user.municipality
    assert decision.recorded_by == admin_user


def test_municipal_admin_creates_person_in_own_municipality(admin_user):
    response = client_for(admin_user).post(
        reverse("organisation:person_create"),
        {"full_name": "Ola Nordmann", "email": "Ola@Example.test"},
    )
    assert response.status_code == 302
    person = admin_user.municipality.people.get(full_name="Ola Nordmann")
    assert person.email == "ola@example.test"
    assert not person.has_usable_password()


# --- services refuse other municipalities' objects ---------------------------------------------------


def test_role_assign_service_rejects_person_of_other_municipality(
    admin_user, unit, other_municipality
):
    stranger = UserFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as exc:
        services.role_assign(
            actor=admin_user,
            municipality=admin_user.municipality,
            person=stranger,
            role=Role.EMPLOYEE,
            unit=unit,
            starts_on=STARTS,
        )
    assert "person" in exc.value.error_dict
    assert not stranger.role_assignments.exists()


def test_role_assign_service_rejects_unit_of_other_municipality(
    admin_user, target, other_municipality
):
    foreign_unit = UnitFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as exc:
        services.role_assign(
            actor=admin_user,
            municipality=admin_user.municipality,
            person=target["person"],
            role=Role.SAFETY_REP,
            unit=foreign_unit,
            starts_on=STARTS,
        )
    assert "unit" in exc.value.error_dict
    assert not RoleAssignment.objects.filter(unit=foreign_unit).exists()


def test_role_assign_service_rejects_union_of_other_municipality(
    admin_user, target, other_municipality
):
    from trepart.organisation.models import Union

    foreign = Union.objects.create(
        municipality=other_municipality, name="Annenby lokallag", short_name="ALL"
    )
    with pytest.raises(ValidationError) as exc:
        services.role_assign(
            actor=admin_user,
            municipality=admin_user.municipality,
            person=target["person"],
            role=Role.LOCAL_UNION_REP,
            unit=target["unit"],
            union=foreign,
            starts_on=STARTS,
        )
    assert "union" in exc.value.error_dict


def test_role_assign_service_rejects_department_of_other_municipality(
    admin_user, target, other_municipality
):
    """A department carries its unit's municipality; even without a unit it must be our own."""
    foreign_department = DepartmentFactory(unit=UnitFactory(municipality=other_municipality))
    with pytest.raises(ValidationError) as exc:
        services.role_assign(
            actor=admin_user,
            municipality=admin_user.municipality,
            person=target["person"],
            role=Role.POLITICIAN,
            side="position",
            department=foreign_department,
            starts_on=STARTS,
        )
    assert "department" in exc.value.error_dict
    assert not RoleAssignment.objects.filter(department=foreign_department).exists()


def test_role_assign_service_rejects_admin_of_other_municipality(target, other_admin):
    with pytest.raises(PermissionDenied):
        services.role_assign(
            actor=other_admin,
            municipality=target["unit"].municipality,
            person=target["person"],
            role=Role.SAFETY_REP,
            unit=target["unit"],
            starts_on=STARTS,
        )


def test_role_end_service_rejects_admin_of_other_municipality(target, other_admin):
    with pytest.raises(PermissionDenied):
        services.role_end(
            actor=other_admin, assignment=target["assignment"], ends_on=datetime.date(2025, 6, 30)
        )
    target["assignment"].refresh_from_db()
    assert target["assignment"].ends_on is None


def test_union_presence_services_reject_admin_of_other_municipality(target, other_admin):
    with pytest.raises(PermissionDenied):
        services.union_presence_set(actor=other_admin, unit=target["unit"], union=union("Delta"))
    with pytest.raises(PermissionDenied):
        services.union_presence_remove(actor=other_admin, unit=target["unit"], union=union("NSF"))
    assert UnionPresence.objects.filter(unit=target["unit"], union=union("NSF")).exists()


def test_person_create_and_adoption_services_reject_admin_of_other_municipality(
    municipality, other_admin
):
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=other_admin, municipality=municipality, full_name="X", email="x@example.test"
        )
    with pytest.raises(PermissionDenied):
        services.adoption_decision_record(
            actor=other_admin,
            municipality=municipality,
            body="council",
            decided_on=STARTS,
            summary="x",
        )


def test_role_assign_view_refuses_unit_of_other_municipality(
    target, admin_user, other_municipality
):
    foreign_unit = UnitFactory(municipality=other_municipality)
    response = client_for(admin_user).post(
        reverse("organisation:role_assign", args=[target["person"].pk]),
        {"role": Role.SAFETY_REP, "unit": foreign_unit.pk, "starts_on": "2024-02-01"},
    )
    assert response.status_code == 400
    assert response.context["assign_form"].errors["unit"]
    assert not RoleAssignment.objects.filter(unit=foreign_unit).exists()


# --- overlapping assignments (R5) ---------------------------------------------------------------


def test_role_assign_service_refuses_overlapping_duplicate(target, admin_user):
    with pytest.raises(ValidationError) as exc:
        services.role_assign(
            actor=admin_user,
            municipality=admin_user.municipality,
            person=target["person"],
            role=Role.EMPLOYEE,
            unit=target["unit"],
            starts_on=datetime.date(2024, 6, 1),
        )
    with translation.override("nb"):
        message = gettext("%(person)s already holds this role in an overlapping period.") % {
            "person": target["person"]
        }
    assert exc.value.messages == [message]
    assert RoleAssignment.objects.filter(person=target["person"]).count() == 1


def test_role_assign_service_allows_same_role_after_previous_ended(target, admin_user):
    services.role_end(
        actor=admin_user, assignment=target["assignment"], ends_on=datetime.date(2024, 5, 31)
    )
    services.role_assign(
        actor=admin_user,
        municipality=admin_user.municipality,
        person=target["person"],
        role=Role.EMPLOYEE,
        unit=target["unit"],
        starts_on=datetime.date(2024, 6, 1),
    )
    assert RoleAssignment.objects.filter(person=target["person"]).count() == 2


def test_municipal_admin_overlapping_duplicate_is_refused_with_message(target, admin_user):
    person = target["person"]
    response = client_for(admin_user).post(
        reverse("organisation:role_assign", args=[person.pk]),
        {"role": Role.EMPLOYEE, "unit": target["unit"].pk, "starts_on": "2024-06-01"},
    )
    assert response.status_code == 400
    with translation.override("nb"):
        message = gettext("%(person)s already holds this role in an overlapping period.") % {
            "person": person
        }
    assert escape(message) in response.content.decode()
    assert RoleAssignment.objects.filter(person=person).count() == 1


# --- role-assign form errors ------------------------------------------------------------------------


def test_municipal_admin_role_assign_without_unit_shows_error_and_keeps_values(target, admin_user):
    person = target["person"]
    response = client_for(admin_user).post(
        reverse("organisation:role_assign", args=[person.pk]),
        {"role": Role.UNIT_LEADER, "unit": "", "starts_on": "2024-03-15", "ends_on": "2026-03-14"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    with translation.override("nb"):
        message = gettext("This role belongs to a unit. Choose the unit.")
    assert escape(message) in html
    form = response.context["assign_form"]
    assert form.errors["unit"] == [message]
    # The entered values are kept in the page.
    assert f'<option value="{Role.UNIT_LEADER}" selected>' in html
    assert 'value="2024-03-15"' in html
    assert 'value="2026-03-14"' in html
    assert 'aria-invalid="true"' in html
    assert not RoleAssignment.objects.filter(role=Role.UNIT_LEADER).exists()


def test_municipal_admin_role_assign_union_rep_without_union_shows_error(target, admin_user):
    response = client_for(admin_user).post(
        reverse("organisation:role_assign", args=[target["person"].pk]),
        {"role": Role.LOCAL_UNION_REP, "unit": target["unit"].pk, "starts_on": "2024-03-15"},
    )
    assert response.status_code == 400
    assert response.context["assign_form"].errors["union"]
    assert f'<option value="{target["unit"].pk}" selected>' in response.content.decode()


# --- union affiliation visibility (GDPR art. 9, P8) -------------------------------------------------


def _section(html: str, labelled_by: str) -> str:
    start = html.index(f'aria-labelledby="{labelled_by}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def rep_unit(municipality, unit):
    """The unit has a current NSF rep and an earlier Delta rep; no union presence is recorded."""
    person_with_role(Role.LOCAL_UNION_REP, unit, union=union("NSF"))
    person_with_role(
        Role.LOCAL_UNION_REP, unit, union=union("Delta"), ends_on=datetime.date(2024, 12, 31)
    )
    return unit


def _unit_page(user, unit):
    response = client_for(user).get(reverse("organisation:unit_detail", args=[unit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _assert_sees_unions(user, unit):
    html = _unit_page(user, unit)
    assert "NSF" in _section(html, "party-group")
    assert "Delta" in _section(html, "history")
    assert can_see_union_affiliations(user, unit)


def _assert_does_not_see_unions(user, unit):
    html = _unit_page(user, unit)
    assert "NSF" not in html
    assert "Delta" not in html
    assert not can_see_union_affiliations(user, unit)


def test_unit_employee_sees_union_affiliations(rep_unit, employee):
    _assert_sees_unions(employee, rep_unit)


def test_unit_leader_sees_union_affiliations(rep_unit):
    _assert_sees_unions(person_with_role(Role.UNIT_LEADER, rep_unit), rep_unit)


def test_municipal_admin_sees_union_affiliations(rep_unit, admin_user):
    _assert_sees_unions(admin_user, rep_unit)


def test_chief_union_rep_sees_union_affiliations(rep_unit, municipality):
    chief = person_with_role(Role.CHIEF_UNION_REP, municipality=municipality)
    _assert_sees_unions(chief, rep_unit)


def test_chief_safety_rep_sees_union_affiliations(rep_unit, municipality):
    _assert_sees_unions(
        person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality), rep_unit
    )


def test_administration_sees_union_affiliations(rep_unit, municipality):
    _assert_sees_unions(person_with_role(Role.ADMINISTRATION, municipality=municipality), rep_unit)


def test_employee_of_other_unit_does_not_see_union_affiliations(rep_unit, municipality):
    other_unit = UnitFactory(municipality=municipality, name="Bakken barnehage")
    _assert_does_not_see_unions(person_with_role(Role.EMPLOYEE, other_unit), rep_unit)


def test_local_union_rep_of_other_unit_does_not_see_union_affiliations(rep_unit, municipality):
    other_unit = UnitFactory(municipality=municipality, name="Bakken barnehage")
    rep = person_with_role(Role.LOCAL_UNION_REP, other_unit, union=union("Fagforbundet"))
    _assert_does_not_see_unions(rep, rep_unit)


def test_politician_does_not_see_union_affiliations(rep_unit, municipality):
    _assert_does_not_see_unions(
        person_with_role(Role.POLITICIAN, municipality=municipality), rep_unit
    )


def test_person_without_role_does_not_see_union_affiliations(rep_unit, municipality):
    _assert_does_not_see_unions(UserFactory(municipality=municipality), rep_unit)


def test_former_unit_employee_does_not_see_union_affiliations(rep_unit):
    former = person_with_role(Role.EMPLOYEE, rep_unit, ends_on=datetime.date(2024, 12, 31))
    _assert_does_not_see_unions(former, rep_unit)


def test_chief_union_rep_of_other_municipality_cannot_see_union_affiliations(
    rep_unit, other_municipality
):
    chief = person_with_role(Role.CHIEF_UNION_REP, municipality=other_municipality)
    assert not can_see_union_affiliations(chief, rep_unit)
    response = client_for(chief).get(reverse("organisation:unit_detail", args=[rep_unit.pk]))
    assert response.status_code == 404
