"""R14: personnel cases and wage negotiations are never topics for the party group. The form
explains where the matter belongs and offers to send it privately to the unit leader; such a
message is seen by the leader only and can never be made public or put on the agenda."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.inputs.conftest import (
    future_meeting,
    link_url,
    logged_in,
    phone,
    submit,
    with_version,
)
from trepart.inputs import selectors, services
from trepart.inputs.models import Audience, Input

WAGES = "Jeg vil ta opp lønnsforhandlingene mine"


def test_input_out_of_scope_explains_and_offers_the_leader(unit):
    """R14: nothing is stored; the explanation and a 'to_leader' button are shown; the text
    stays in the form."""
    response = phone().post(link_url(unit), {"text": WAGES})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This looks like a wage matter" in body
    assert "negotiation line" in body
    assert 'name="to_leader" value="1"' in body
    assert WAGES in body
    assert not Input.objects.exists()


def test_input_out_of_scope_personnel_case_is_refused_too(unit, employee):
    with pytest.raises(services.OutOfScope) as exc:
        submit(unit, "Advarsel til en ansatt på nattevakt", author=employee)
    assert exc.value.code == "out_of_scope_personnel"
    assert not Input.objects.exists()


def test_input_to_leader_is_stored_for_the_leader(unit, leader):
    client = phone()
    client.post(link_url(unit), {"text": WAGES})
    response = client.post(link_url(unit), {"text": WAGES, "to_leader": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/r/")
    item = Input.objects.get()
    assert item.audience == Audience.LEADER and item.author is None
    receipt = client.get(response["Location"]).content.decode()
    assert "Your message to the leader" in receipt


def test_input_to_leader_refused_when_the_unit_has_no_leader(unit, local_rep):
    """R14: a private message needs a registered unit leader to read it; nothing is stored and
    the person is pointed to the reps."""
    response = phone().post(link_url(unit), {"text": WAGES, "to_leader": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The unit has no registered leader" in body and WAGES in body
    assert not Input.objects.exists()
    with pytest.raises(ValidationError) as exc:
        submit(unit, WAGES, to_leader=True)
    assert exc.value.code == "no_leader"


@pytest.fixture
def leader_message(unit, party_group):
    item, _code = submit(unit, WAGES, to_leader=True)
    return item


def test_input_to_leader_is_seen_by_the_leader_only(leader_message, party_group, unit):
    """R14: only the unit leader sees and answers it: not the union reps, not the safety rep,
    not in their list or counts."""
    detail = reverse("inputs:input_detail", args=[leader_message.pk])
    listing = reverse("inputs:unit_inputs", args=[unit.pk])
    leader = logged_in(party_group["leader"])
    assert leader.get(detail).status_code == 200
    assert WAGES in leader.get(listing + "?view=leader").content.decode()
    assert selectors.unit_inputs(party_group["leader"], unit)["counts"]["leader"] == 1

    for role in ("rep_ff", "rep_nsf", "safety"):
        person = party_group[role]
        client = logged_in(person)
        assert client.get(detail).status_code == 404, role
        for view in ("open", "closed", "hidden", "leader"):
            response = client.get(listing + f"?view={view}")
            assert response.status_code == 200
            assert WAGES not in response.content.decode(), (role, view)
        data = selectors.unit_inputs(person, unit, "leader")
        assert data["items"] == [] and data["counts"]["leader"] == 0 and not data["is_leader"]
        assert WAGES not in client.get(reverse("inputs:index")).content.decode()
        with pytest.raises(PermissionDenied):
            services.input_consider(actor=person, item=leader_message)
        with pytest.raises(PermissionDenied):
            services.input_close(actor=person, item=leader_message, status="answered", answer="x")
    for summary in selectors.group_summaries(party_group["rep_ff"]):
        assert summary["leader_open"] == 0
    (summary,) = selectors.group_summaries(party_group["leader"])
    assert summary["leader_open"] == 1 and summary["open"] == 0


def test_input_to_leader_cannot_be_made_public(leader_message, leader):
    with pytest.raises(ValidationError):
        services.input_set_public(actor=leader, item=leader_message, public=True)
    response = logged_in(leader).post(
        reverse("inputs:input_public", args=[leader_message.pk]),
        with_version(leader_message, {"public": "1"}),
    )
    # Issue 10: refused where the triage forms are, announced (role=alert).
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert" id="conflict"' in html
    leader_message.refresh_from_db()
    assert not leader_message.public


def test_input_to_leader_cannot_be_taken_up(leader_message, leader, unit):
    """R14: a private message is never put on the group's agenda."""
    meeting = future_meeting(leader, unit)
    with pytest.raises(ValidationError) as exc:
        services.input_close(
            actor=leader, item=leader_message, status="taken_up", answer="Ja", meeting=meeting
        )
    assert "status" in exc.value.error_dict
    leader_message.refresh_from_db()
    assert leader_message.is_open and leader_message.agenda_item is None
    assert not meeting.items.filter(description=WAGES).exists()


def test_input_to_leader_is_answered_by_the_leader(leader_message, leader):
    services.input_close(
        actor=leader, item=leader_message, status="answered", answer="Kom innom kontoret mitt."
    )
    leader_message.refresh_from_db()
    assert leader_message.status == "answered"
