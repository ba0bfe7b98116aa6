"""Who may see and do what with staff input (P3, P8, ARCHITECTURE rules 2 and 3): every role ×
action, including every denial. Another municipality's objects are 404, never 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.factories import UnitFactory, person_with_role
from tests.inputs.conftest import TEXT, link_url, logged_in, phone, submit
from trepart.inputs import services, urls
from trepart.inputs.models import Input, InputLink
from trepart.organisation.models import Role

GET_WITH_ID = {"unit_inputs", "poster_pdf", "input_detail"}
POST_WITH_ID = {
    "link_renew",
    "input_consider",
    "input_answer",
    "input_reopen",
    "input_public",
    "input_hide",
    "input_unhide",
}
TRIAGE = POST_WITH_ID - {"link_renew"}
ANONYMOUS_PAGES = {"anonymous_form", "receipt_lookup", "receipt"}
POST_DATA = {
    "input_answer": {"action": "close", "status": "answered", "answer": "Svar"},
    "input_public": {"public": "1"},
    "input_hide": {"reason": "Grunn"},
}


def _names_with_ids():
    return {
        p.name for p in urls.urlpatterns if {"pk", "unit_pk"} & set(p.pattern.converters.keys())
    }


def _url(name, item, unit):
    if name in ("unit_inputs", "poster_pdf", "link_renew"):
        return reverse(f"inputs:{name}", args=[unit.pk])
    return reverse(f"inputs:{name}", args=[item.pk])


def _request(client, name, item, unit):
    url = _url(name, item, unit)
    if name in POST_WITH_ID:
        return client.post(url, POST_DATA.get(name, {}))
    return client.get(url)


def test_every_inputs_url_with_an_id_is_covered_here():
    """A new URL with an id must be added to the permission tests below."""
    assert _names_with_ids() == GET_WITH_ID | POST_WITH_ID
    all_names = {p.name for p in urls.urlpatterns}
    assert all_names - _names_with_ids() == ANONYMOUS_PAGES | {"index", "input_new"}


@pytest.fixture
def inputs(unit, employee, party_group):
    """A named input of `employee`, another colleague's named input, an anonymous input, and
    a public anonymous one with an answer."""
    colleague = person_with_role(Role.EMPLOYEE, unit, full_name="Kari Kollega")
    own, _ = submit(unit, "Mitt eget innspill", author=employee)
    colleagues, _ = submit(unit, "Kollegaens innspill", author=colleague)
    anonymous, _ = submit(unit, "Et anonymt innspill")
    public, _ = submit(unit, "Et offentlig innspill")
    services.input_close(
        actor=party_group["leader"], item=public, status="answered", answer="Svar til alle"
    )
    services.input_set_public(actor=party_group["leader"], item=public, public=True)
    public.refresh_from_db()
    return {
        "own": own,
        "colleagues": colleagues,
        "anonymous": anonymous,
        "public": public,
        "colleague": colleague,
    }


# --- not logged in ------------------------------------------------------------------------------


def test_inputs_logged_in_pages_redirect_to_login(unit, inputs):
    client = Client()
    login = reverse("accounts:login")
    for name in sorted(GET_WITH_ID | POST_WITH_ID):
        response = _request(client, name, inputs["anonymous"], unit)
        assert response.status_code == 302, name
        assert response["Location"].startswith(login), name
    for name in ("index", "input_new"):
        response = client.get(reverse(f"inputs:{name}"))
        assert response.status_code == 302 and response["Location"].startswith(login), name
    assert Input.objects.get(pk=inputs["anonymous"].pk).status == "new"


# --- another municipality -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.UNIT_LEADER, Role.MUNICIPAL_ADMIN])
def test_inputs_of_another_municipality_are_404_everywhere(unit, inputs, other_municipality, role):
    """ARCHITECTURE rule 3: every URL with an id is a 404 for a person of another municipality,
    even one with full rights there."""
    other_unit = UnitFactory(municipality=other_municipality)
    outsider = person_with_role(
        role, other_unit if role == Role.UNIT_LEADER else None, municipality=other_municipality
    )
    client = logged_in(outsider)
    token = services.input_link_for(unit).token
    for item in inputs.values():
        if not isinstance(item, Input):
            continue
        for name in sorted(GET_WITH_ID | POST_WITH_ID):
            response = _request(client, name, item, unit)
            assert response.status_code == 404, (name, item.text)
    assert InputLink.objects.get(unit=unit).token == token  # not renewed
    assert not Input.objects.filter(hidden=True).exists()
    assert Input.objects.filter(status="answered").count() == 1
    assert not Input.objects.filter(status="considering").exists()


def test_inputs_index_of_another_municipality_shows_nothing(inputs, other_municipality):
    outsider = person_with_role(Role.EMPLOYEE, UnitFactory(municipality=other_municipality))
    body = logged_in(outsider).get(reverse("inputs:index")).content.decode()
    for text in ("Mitt eget innspill", "Et offentlig innspill", "Svar til alle"):
        assert text not in body


# --- an employee of the unit --------------------------------------------------------------------


def test_input_employee_cannot_open_the_unit_list_poster_or_renew(unit, employee, inputs):
    client = logged_in(employee)
    assert client.get(reverse("inputs:unit_inputs", args=[unit.pk])).status_code == 403
    assert client.get(reverse("inputs:poster_pdf", args=[unit.pk])).status_code == 403
    token = services.input_link_for(unit).token
    assert client.post(reverse("inputs:link_renew", args=[unit.pk])).status_code == 403
    assert services.input_link_for(unit).token == token


@pytest.mark.parametrize("which", ["public", "own"])
def test_input_employee_cannot_triage_what_they_can_see(unit, employee, inputs, which):
    """Triage is the party group's: 403 on every triage POST, nothing changes."""
    item = inputs[which]
    client = logged_in(employee)
    for name in sorted(TRIAGE):
        assert _request(client, name, item, unit).status_code == 403, name
    fresh = Input.objects.get(pk=item.pk)
    assert (fresh.status, fresh.public, fresh.hidden, fresh.answer) == (
        item.status,
        item.public,
        item.hidden,
        item.answer,
    )


@pytest.mark.parametrize("which", ["colleagues", "anonymous"])
def test_input_employee_cannot_see_others_non_public_input(unit, employee, inputs, which):
    client = logged_in(employee)
    for name in sorted({"input_detail"} | TRIAGE):
        assert _request(client, name, inputs[which], unit).status_code == 404, name


def test_input_employee_sees_own_and_public_input(unit, employee, inputs):
    client = logged_in(employee)
    own = client.get(reverse("inputs:input_detail", args=[inputs["own"].pk]))
    assert own.status_code == 200
    assert employee.full_name in own.content.decode()
    public = client.get(reverse("inputs:input_detail", args=[inputs["public"].pk]))
    assert public.status_code == 200 and "Svar til alle" in public.content.decode()
    index = client.get(reverse("inputs:index")).content.decode()
    assert "Mitt eget innspill" in index and "Et offentlig innspill" in index
    assert "Kollegaens innspill" not in index and "Et anonymt innspill" not in index


def test_input_public_never_shows_the_submitters_name(unit, employee, inputs, leader):
    services.input_close(actor=leader, item=inputs["colleagues"], status="answered", answer="Svar")
    services.input_set_public(actor=leader, item=inputs["colleagues"], public=True)
    client = logged_in(employee)
    detail = client.get(reverse("inputs:input_detail", args=[inputs["colleagues"].pk]))
    assert detail.status_code == 200
    assert "Kari Kollega" not in detail.content.decode()
    assert "Kari Kollega" not in client.get(reverse("inputs:index")).content.decode()
    # The group sees the name.
    group = logged_in(leader).get(reverse("inputs:input_detail", args=[inputs["colleagues"].pk]))
    assert "Kari Kollega" in group.content.decode()


def test_input_employee_of_another_unit_gets_404(unit, municipality, inputs):
    other_unit = UnitFactory(municipality=municipality)
    neighbour = person_with_role(Role.EMPLOYEE, other_unit)
    client = logged_in(neighbour)
    for which in ("own", "anonymous", "public"):
        response = client.get(reverse("inputs:input_detail", args=[inputs[which].pk]))
        assert response.status_code == 404, which
    assert client.get(reverse("inputs:unit_inputs", args=[unit.pk])).status_code == 403


def test_input_municipal_admin_sees_no_texts(unit, admin_user, inputs):
    """Administrators and the steering group see counts, not texts."""
    client = logged_in(admin_user)
    assert client.get(reverse("inputs:input_detail", args=[inputs["public"].pk])).status_code == 404
    assert client.get(reverse("inputs:unit_inputs", args=[unit.pk])).status_code == 403
    assert client.get(reverse("inputs:input_new")).status_code == 403


def test_input_services_refuse_non_members(unit, employee, inputs):
    item = inputs["own"]
    for call in (
        lambda: services.input_consider(actor=employee, item=item),
        lambda: services.input_draft_save(actor=employee, item=item, answer="x"),
        lambda: services.input_close(actor=employee, item=item, status="answered", answer="x"),
        lambda: services.input_set_public(actor=employee, item=item, public=True),
        lambda: services.input_hide(actor=employee, item=item, reason="x"),
        lambda: services.input_unhide(actor=employee, item=item),
        lambda: services.input_reopen(actor=employee, item=inputs["public"]),
        lambda: services.input_link_renew(actor=employee, unit=unit),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_input_submit_only_for_people_of_the_unit(unit, municipality, employee):
    other_unit = UnitFactory(municipality=municipality)
    with pytest.raises(PermissionDenied):
        submit(other_unit, author=employee)
    response = logged_in(employee).post(
        reverse("inputs:input_new"), {"unit": other_unit.pk, "text": TEXT}
    )
    assert response.status_code == 200  # the unit is not a choice
    assert not Input.objects.exists()


# --- the party group: poster and link -----------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "rep_ff", "safety"])
def test_input_link_renew_by_party_group_retires_the_old_link(unit, party_group, role):
    member = party_group[role]
    old_url = link_url(unit)
    assert phone().get(old_url).status_code == 200
    response = logged_in(member).post(reverse("inputs:link_renew", args=[unit.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("inputs:unit_inputs", args=[unit.pk])
    link = InputLink.objects.get(unit=unit)
    assert link.renewed_by == member
    new_url = link_url(unit)
    assert new_url != old_url
    old = phone().get(old_url)
    assert old.status_code == 404 and "The link is not in use" in old.content.decode()
    assert phone().post(old_url, {"text": TEXT}).status_code == 404
    assert phone().get(new_url).status_code == 200
    assert not Input.objects.exists()


def test_input_link_renew_is_post_only(unit, leader):
    assert logged_in(leader).get(reverse("inputs:link_renew", args=[unit.pk])).status_code == 405


@pytest.mark.parametrize("role", ["rep_nsf", "safety"])
def test_input_party_group_members_open_the_unit_list(unit, party_group, role, inputs):
    response = logged_in(party_group[role]).get(reverse("inputs:unit_inputs", args=[unit.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Et anonymt innspill" in body
    assert reverse("inputs:poster_pdf", args=[unit.pk]) in body
