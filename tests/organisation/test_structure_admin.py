"""Municipal admins set up units, departments, names and settings from the UI (P1)."""

import datetime

from django.urls import reverse

from tests.conftest import client_for
from tests.factories import ServiceAreaFactory, person_with_role
from trepart.organisation.models import Department, Municipality, Role, Unit


def test_admin_creates_unit_in_new_service_area(admin_user, municipality):
    response = client_for(admin_user).post(
        reverse("organisation:unit_create"),
        {"name": "Havbris barnehage", "new_service_area": "Oppvekst", "party_group_name": ""},
    )
    unit = Unit.objects.get(name="Havbris barnehage")
    assert response.status_code == 302
    assert unit.municipality == municipality
    assert unit.service_area.name == "Oppvekst"


def test_unit_create_requires_a_service_area_and_keeps_input(admin_user):
    response = client_for(admin_user).post(
        reverse("organisation:unit_create"), {"name": "Havbris barnehage"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Havbris barnehage"' in html
    assert 'aria-invalid="true"' in html
    assert not Unit.objects.filter(name="Havbris barnehage").exists()


def test_unit_create_refuses_duplicate_name(admin_user, unit):
    response = client_for(admin_user).post(
        reverse("organisation:unit_create"),
        {"name": unit.name.upper(), "service_area": unit.service_area_id},
    )
    assert response.status_code == 200
    assert Unit.objects.filter(municipality=unit.municipality).count() == 1


def test_unit_create_rejects_service_area_of_other_municipality(admin_user, other_municipality):
    foreign = ServiceAreaFactory(municipality=other_municipality)
    response = client_for(admin_user).post(
        reverse("organisation:unit_create"), {"name": "X", "service_area": foreign.pk}
    )
    assert response.status_code == 200  # not a valid choice
    assert not Unit.objects.filter(name="X").exists()


def test_admin_names_party_group_and_adds_department(admin_user, unit):
    c = client_for(admin_user)
    c.post(reverse("organisation:unit_update", args=[unit.pk]), {"party_group_name": "HMS-gruppa"})
    c.post(reverse("organisation:department_add", args=[unit.pk]), {"name": "Avdeling Sør"})
    c.post(reverse("organisation:department_add", args=[unit.pk]), {"name": "avdeling sør"})
    unit.refresh_from_db()
    assert unit.party_group_label() == "HMS-gruppa"
    assert Department.objects.filter(unit=unit).count() == 1
    page = c.get(reverse("organisation:unit_detail", args=[unit.pk])).content.decode()
    assert "HMS-gruppa" in page and "Avdeling Sør" in page


def test_admin_changes_municipality_settings(admin_user, municipality):
    response = client_for(admin_user).post(
        reverse("organisation:municipality_settings"),
        {
            "steering_group_name": "TriPart",
            "party_group_name": "Partsgruppa",
            "default_language": "nn",
            "accessibility_statement_url": "https://uustatus.no/nb/erklaringer/1",
            "input_answer_days": "21",
        },
    )
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.steering_group_label == "TriPart"
    assert municipality.default_language == "nn"
    assert municipality.input_answer_days == 21  # P3: the municipality's own answer time


def test_non_admins_cannot_change_structure(employee, local_rep, unit):
    for user in (employee, local_rep):
        c = client_for(user)
        assert c.get(reverse("organisation:unit_create")).status_code == 403
        assert c.get(reverse("organisation:municipality_settings")).status_code == 403
        assert (
            c.post(
                reverse("organisation:unit_update", args=[unit.pk]), {"party_group_name": "X"}
            ).status_code
            == 403
        )
        assert (
            c.post(
                reverse("organisation:department_add", args=[unit.pk]), {"name": "X"}
            ).status_code
            == 403
        )
    unit.refresh_from_db()
    assert unit.party_group_name == ""


def test_other_municipality_gets_404_on_unit_settings(unit, other_municipality):
    foreign_admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    c = client_for(foreign_admin)
    assert (
        c.post(
            reverse("organisation:unit_update", args=[unit.pk]), {"party_group_name": "X"}
        ).status_code
        == 404
    )
    assert (
        c.post(reverse("organisation:department_add", args=[unit.pk]), {"name": "X"}).status_code
        == 404
    )


def test_unit_page_shows_group_as_it_was_on_a_date(employee, unit):
    """R5: who was in the party group on a given day."""
    former = person_with_role(
        Role.SAFETY_REP,
        unit,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2024, 6, 30),
    )
    c = client_for(employee)
    url = reverse("organisation:unit_detail", args=[unit.pk])
    today = c.get(url).content.decode()
    march_2024 = c.get(url, {"on": "2024-03-01"}).content.decode()
    party_group_today = today.split('id="composition"')[0]
    party_group_then = march_2024.split('id="composition"')[0]
    assert former.full_name not in party_group_today
    assert former.full_name in party_group_then
    # A malformed date falls back to today instead of failing.
    assert c.get(url, {"on": "not-a-date"}).status_code == 200


def test_municipality_settings_page_is_scoped(admin_user, other_municipality):
    client_for(admin_user).post(
        reverse("organisation:municipality_settings"),
        {
            "steering_group_name": "Trepartsorganet",
            "party_group_name": "",
            "default_language": "nb",
        },
    )
    assert Municipality.objects.get(pk=other_municipality.pk).steering_group_name == ""
