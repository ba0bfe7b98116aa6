"""Autosave and conflicts through the view (P2 item 5): nobody silently overwrites anybody."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role
from trepart.meetings import services
from trepart.organisation.models import Role


@pytest.fixture
def setup(db):
    unit = UnitFactory()
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Anne Leder")
    rep = person_with_role(Role.LOCAL_UNION_REP, unit, full_name="Tor Tillitsvalgt")
    meeting = services.meeting_create(
        actor=leader,
        municipality=unit.municipality,
        unit=unit,
        title="Møte",
        kind="development",
        day=datetime.date(2030, 3, 5),
        start_time=datetime.time(14),
        end_time=datetime.time(15),
    )
    return meeting.items.first(), leader, rep


def _post(client, item, revision, summary, htmx=False, **extra):
    prefix = f"item{item.pk}-"
    data = {
        prefix + "revision": revision,
        prefix + "summary": summary,
        prefix + "way_forward": "",
        **extra,
    }
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("meetings:item_minutes", args=[item.pk]), data, headers=headers)


def test_autosave_returns_status_and_new_revision(setup):
    item, leader, rep = setup
    response = _post(client_for(leader), item, 0, "Første utkast", htmx=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in body and 'value="1"' in body
    item.refresh_from_db()
    assert item.summary == "Første utkast" and item.revision == 1


def test_stale_autosave_shows_conflict_and_keeps_both_texts(setup):
    item, leader, rep = setup
    _post(client_for(leader), item, 0, "Leders tekst", htmx=True)
    response = _post(client_for(rep), item, 0, "Tillitsvalgts tekst", htmx=True)
    body = response.content.decode()
    assert "Anne Leder" in body and "Leders tekst" in body  # the other version is shown
    item.refresh_from_db()
    assert item.summary == "Leders tekst"  # not overwritten
    # The rep chooses to keep their text, knowingly.
    _post(client_for(rep), item, 0, "Tillitsvalgts tekst", htmx=True, keep_mine=str(item.revision))
    item.refresh_from_db()
    assert item.summary == "Tillitsvalgts tekst"


def test_stale_save_without_javascript_keeps_what_was_typed(setup):
    item, leader, rep = setup
    _post(client_for(leader), item, 0, "Leders tekst")
    response = _post(client_for(rep), item, 0, "Tillitsvalgts tekst som ikke må forsvinne")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Tillitsvalgts tekst som ikke må forsvinne" in body  # still in the textarea
    assert "Leders tekst" in body
