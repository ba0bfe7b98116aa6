"""Composition findings lead somewhere (issue 10, point 9; R1, R4, R6).

A finding that says "register the safety rep" links administrators to the role form pre-filled
with the unit and the role (GET parameters, validated: bad values are ignored, never a 500);
the unit page has "Add person" for administrators; summary counts are made from the same list
of findings that is shown under them. Also the union field of the role form says when it is
required (point 5).
"""

import re
from html import escape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import client_for
from tests.factories import (
    MunicipalityFactory,
    UnitFactory,
    UserFactory,
    complete_party_group,
    person_with_role,
    presence,
    union,
)
from trepart.organisation import composition
from trepart.organisation.models import Role, RoleAssignment

NEW = reverse("organisation:role_assign_new")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def selected(html, name) -> list[str]:
    """The selected option values of the <select name=…> in the page."""
    match = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert match, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', match.group(0))


# --- links from the findings ------------------------------------------------------------------------


def test_missing_safety_rep_links_admins_to_the_prefilled_form(admin_user, unit):
    person_with_role(Role.UNIT_LEADER, unit)
    link = f"{NEW}?role=safety_rep&amp;unit={unit.pk}"
    for url in (
        reverse("organisation:manage"),
        reverse("organisation:unit_detail", args=[unit.pk]),
    ):
        assert link in client_for(admin_user).get(url).content.decode(), url

    response = client_for(admin_user).get(f"{NEW}?role=safety_rep&unit={unit.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert selected(html, "role") == ["safety_rep"]
    assert selected(html, "unit") == [str(unit.pk)]


def test_a_union_without_rep_prefills_the_union(admin_user, unit):
    presence(unit, "Delta")
    delta = union("Delta")
    [finding] = [
        f
        for f in composition.unit_findings(composition.unit_snapshots(unit.municipality)[0])
        if f.rule == "union_without_rep"
    ]
    assert finding.register_query == f"role=local_union_rep&unit={unit.pk}&union={delta.pk}"
    html = client_for(admin_user).get(f"{NEW}?{finding.register_query}").content.decode()
    assert selected(html, "union") == [str(delta.pk)]


def test_steering_group_findings_link_to_the_missing_chief_safety_rep(admin_user):
    html = client_for(admin_user).get(reverse("organisation:steering_group")).content.decode()
    assert f"{NEW}?role=chief_safety_rep" in html


def test_others_see_the_findings_without_the_links(unit):
    leader = person_with_role(Role.UNIT_LEADER, unit)
    html = client_for(leader).get(reverse("organisation:unit_detail", args=[unit.pk]))
    html = html.content.decode()
    assert NEW not in html
    assert reverse("organisation:person_create") not in html


def test_home_page_links_admins_only(admin_user, unit):
    leader = person_with_role(Role.UNIT_LEADER, unit)
    assert NEW not in client_for(leader).get(reverse("home:home")).content.decode()
    give_admin = person_with_role(Role.UNIT_LEADER, unit)
    from tests.factories import give_role

    give_role(give_admin, Role.MUNICIPAL_ADMIN)
    assert (
        f"{NEW}?role=safety_rep"
        in client_for(give_admin).get(reverse("home:home")).content.decode()
    )


@pytest.mark.parametrize(
    "query",
    [
        "role=bogus&unit=abc&union=x&side=sideways",
        "role=&unit=-1&union=99999999999999999999999&side=",
        "unit=%00&role=%00",
        "role=safety_rep&unit=999999",
    ],
)
def test_bad_prefill_values_are_ignored(admin_user, unit, query):
    response = client_for(admin_user).get(f"{NEW}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert selected(html, "unit") == [""]


def test_another_municipality_unit_is_not_prefilled(admin_user, unit):
    foreign = UnitFactory(municipality=MunicipalityFactory(), name="Fremmed barnehage")
    html = client_for(admin_user).get(f"{NEW}?role=safety_rep&unit={foreign.pk}").content.decode()
    assert selected(html, "unit") == [""]
    assert "Fremmed barnehage" not in html


# --- registering through the form -------------------------------------------------------------------


def test_registering_from_the_finding_fixes_it(admin_user, unit):
    person_with_role(Role.UNIT_LEADER, unit)
    candidate = person_with_role(Role.EMPLOYEE, unit, full_name="Sara Verneombud")
    response = client_for(admin_user).post(
        f"{NEW}?role=safety_rep&unit={unit.pk}",
        {
            "person": candidate.pk,
            "person_search": "Sara Verneombud",
            "role": "safety_rep",
            "unit": unit.pk,
            "starts_on": "2025-01-01",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("organisation:unit_detail", args=[unit.pk])
    assignment = RoleAssignment.objects.get(role=Role.SAFETY_REP)
    assert (assignment.person, assignment.unit, assignment.created_by) == (
        candidate,
        unit,
        admin_user,
    )
    rules = {
        f.rule for f in composition.unit_findings(composition.unit_snapshots(unit.municipality)[0])
    }
    assert "unit_without_safety_rep" not in rules


def test_person_typed_without_javascript_is_resolved_and_errors_keep_input(admin_user, unit):
    person_with_role(Role.EMPLOYEE, unit, full_name="Sara Verneombud")
    response = client_for(admin_user).post(
        NEW,
        {
            "person_search": "Sara",
            "role": "local_union_rep",
            "unit": unit.pk,
            "starts_on": "2025-01-01",
        },
    )
    assert response.status_code == 400  # a union rep needs a union
    html = response.content.decode()
    with translation.override("nb"):
        message = gettext(
            "Choose the union the rep represents: a union rep is always registered with their union."
        )
    assert escape(message) in html
    assert 'value="Sara"' in html
    assert selected(html, "role") == ["local_union_rep"]
    assert not RoleAssignment.objects.filter(role=Role.LOCAL_UNION_REP).exists()


def test_a_person_of_another_municipality_cannot_be_chosen(admin_user, unit):
    stranger = UserFactory(municipality=MunicipalityFactory(), full_name="Fremmed Person")
    response = client_for(admin_user).post(
        NEW, {"person": stranger.pk, "role": "employee", "unit": unit.pk, "starts_on": "2025-01-01"}
    )
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(person=stranger).exists()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.UNIT_LEADER, Role.ADMINISTRATION])
def test_only_admins_may_open_the_role_form(role, unit):
    someone = person_with_role(
        role, unit if role != Role.ADMINISTRATION else None, municipality=unit.municipality
    )
    client = client_for(someone)
    assert client.get(f"{NEW}?role=safety_rep&unit={unit.pk}").status_code == 403
    assert (
        client.post(
            NEW,
            {
                "person": someone.pk,
                "role": "safety_rep",
                "unit": unit.pk,
                "starts_on": "2025-01-01",
            },
        ).status_code
        == 403
    )
    assert not RoleAssignment.objects.filter(role=Role.SAFETY_REP).exists()
    assert Client().get(NEW).status_code == 302  # anonymous: to the login page


# --- "Add person" from the unit page ------------------------------------------------------------------


def test_unit_page_has_add_person_for_admins_and_it_carries_the_unit(admin_user, unit):
    client = client_for(admin_user)
    html = client.get(reverse("organisation:unit_detail", args=[unit.pk])).content.decode()
    create = reverse("organisation:person_create")
    assert f'href="{create}?unit={unit.pk}"' in html
    assert f'href="{NEW}?unit={unit.pk}"' in html

    response = client.post(
        f"{create}?unit={unit.pk}&role=safety_rep",
        {"full_name": "Nils Ny", "email": "nils.ny@example.test"},
    )
    assert response.status_code == 302
    person = admin_user.municipality.people.get(email="nils.ny@example.test")
    detail = reverse("organisation:person_detail", args=[person.pk])
    assert response.url == f"{detail}?role=safety_rep&unit={unit.pk}#assign"
    html = client.get(response.url).content.decode()
    assert selected(html, "role") == ["safety_rep"]
    assert selected(html, "unit") == [str(unit.pk)]


# --- summary counts agree with the findings listed under them ------------------------------------------


def _finding_cards(html: str, section_id: str) -> list[str]:
    start = html.index(f'id="{section_id}"')
    end = html.find("</section>", start)
    return re.findall(r'class="ds-card finding" data-color="(\w+)"', html[start:end])


def test_home_summary_counts_are_the_findings_listed_on_the_administration_page(admin_user):
    municipality = admin_user.municipality
    complete_party_group(UnitFactory(municipality=municipality, name="Ferdig barnehage"))
    lacking = UnitFactory(municipality=municipality, name="Tom barnehage")
    presence(lacking, "Fagforbundet")
    two = UnitFactory(municipality=municipality, name="To personer")
    person_with_role(Role.UNIT_LEADER, two)
    person_with_role(Role.SAFETY_REP, two)

    client = client_for(admin_user)
    home = client.get(reverse("home:home"))
    [panel] = [p for p in home.context["panels"] if "sections" in p]
    [summary] = [s["summary"] for s in panel["sections"] if "summary" in s]

    manage = client.get(reverse("organisation:manage")).content.decode()
    cards = _finding_cards(manage, "unit-findings")
    colours = {"danger": "errors", "warning": "warnings", "info": "advice"}
    listed = {key: sum(1 for c in cards if colours[c] == key) for key in colours.values()}
    assert summary == {**listed, "total": len(cards)}
    assert summary["total"] > 0 and summary["errors"] > 0

    # The numbers shown are those counts, with the same words as the findings' tags.
    with translation.override("nb"):
        missing = gettext("Missing")
    assert f"{missing}: {summary['errors']}" in home.content.decode()
    assert f"{missing}: {summary['errors']}" in manage


def test_severity_counts_is_the_one_way_to_count():
    counts = composition.severity_counts([])
    assert counts == {"errors": 0, "warnings": 0, "advice": 0, "total": 0}


def test_chief_union_rep_follows_up_only_their_own_unions_vacancies(municipality):
    """R6: a chief rep of Fagforbundet is not shown NSF's vacancy at the same unit."""
    unit = UnitFactory(municipality=municipality)
    presence(unit, "Fagforbundet")
    presence(unit, "NSF")
    chief = person_with_role(
        Role.CHIEF_UNION_REP, municipality=municipality, union=union("Fagforbundet")
    )
    home = client_for(chief).get(reverse("home:home"))
    [panel] = [p for p in home.context["panels"] if "sections" in p]
    [followups] = [
        s["findings"]
        for s in panel["sections"]
        if "empty" in s
        and "findings" in s
        and s["findings"]
        and s["findings"][0].rule == "union_without_rep"
    ]
    assert [f.union_id for f in followups] == [union("Fagforbundet").pk]


# --- the union field says when it is required (point 5) ------------------------------------------------


def test_union_field_label_says_required_for_union_reps(admin_user, unit):
    person = person_with_role(Role.EMPLOYEE, unit)
    html = (
        client_for(admin_user)
        .get(reverse("organisation:person_detail", args=[person.pk]))
        .content.decode()
    )
    label = re.search(r'<label class="ds-label" for="id_union">(.*?)</label>', html, re.S).group(1)
    with translation.override("nb"):
        assert gettext("required for union reps") in label
        assert gettext("optional") not in label


def test_union_rep_without_union_gets_a_clear_error_on_the_union_field(admin_user, unit):
    person = person_with_role(Role.EMPLOYEE, unit)
    response = client_for(admin_user).post(
        reverse("organisation:role_assign", args=[person.pk]),
        {"role": Role.CHIEF_UNION_REP, "starts_on": "2025-01-01"},
    )
    assert response.status_code == 400
    with translation.override("nb"):
        message = gettext(
            "Choose the union the rep represents: a union rep is always registered with their union."
        )
    assert response.context["assign_form"].errors["union"] == [message]
    assert 'id="id_union_error"' in response.content.decode()
