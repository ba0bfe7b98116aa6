"""Bad input on the meeting page answers with the form and an error, never a 500 (issue 9).

Found by tests/test_fuzz_post.py: an incomplete minutes post raised ValidationError("bad form"),
and a junk `item` in the action form reached the database as a ValueError/OverflowError.
"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role, union
from trepart.meetings import services
from trepart.meetings.models import ActionItem
from trepart.organisation.models import Role, UnionPresence

NOT_SAVED = "The minutes were not saved: the form was incomplete."


@pytest.fixture
def setup(db):
    unit = UnitFactory()
    leader = person_with_role(Role.UNIT_LEADER, unit)
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
    client = client_for(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return meeting, meeting.items.first(), leader, client


@pytest.mark.parametrize(
    "revision", [None, "", "abc", "1e309"], ids=["missing", "empty", "junk", "float"]
)
def test_item_minutes_without_a_usable_revision_keeps_the_text(setup, revision):
    meeting, item, _leader, client = setup
    data = {f"item{item.pk}-summary": "Vi snakket om turnus <script>x</script>"}
    if revision is not None:
        data[f"item{item.pk}-revision"] = revision
    response = client.post(reverse("meetings:item_minutes", args=[item.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert NOT_SAVED in body
    assert "Vi snakket om turnus &lt;script&gt;x&lt;/script&gt;" in body  # kept, escaped
    item.refresh_from_db()
    assert item.summary == ""


def test_item_minutes_autosave_without_revision_is_a_400_with_the_status(setup):
    _meeting, item, _leader, client = setup
    response = client.post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {f"item{item.pk}-summary": "Tekst"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert NOT_SAVED in response.content.decode()


def test_item_minutes_error_is_in_norwegian(setup):
    _meeting, item, _leader, client = setup
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    response = client.post(reverse("meetings:item_minutes", args=[item.pk]), {})
    assert response.status_code == 400
    assert "Referatet ble ikke lagret" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-1", "١٢", "0"])
def test_action_with_a_junk_item_is_a_form_error(setup, value):
    meeting, _item, leader, client = setup
    response = client.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {
            "item": value,
            "description": "Følg opp",
            "assignee": leader.pk,
            "due_on": "2030-04-01",
        },
    )
    assert response.status_code == 400
    assert "Unknown item." in response.content.decode()
    assert not ActionItem.objects.exists()


def test_action_with_an_item_of_another_meeting_is_a_form_error(setup):
    meeting, _item, leader, client = setup
    other = services.meeting_create(
        actor=leader,
        municipality=meeting.municipality,
        unit=meeting.unit,
        title="Annet møte",
        kind="development",
        day=datetime.date(2030, 4, 2),
        start_time=datetime.time(14),
        end_time=datetime.time(15),
    )
    response = client.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {
            "item": other.items.first().pk,
            "description": "Følg opp",
            "assignee": leader.pk,
            "due_on": "2030-04-01",
        },
    )
    assert response.status_code == 400
    assert not ActionItem.objects.exists()


def test_union_presence_with_an_oversized_count_is_refused(db):
    unit = UnitFactory()
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=unit.municipality)
    response = client_for(admin).post(
        reverse("organisation:union_presence_add", args=[unit.pk]),
        {"union": union("Fagforbundet").pk, "member_count": "9" * 30},
    )
    assert response.status_code == 302
    assert not UnionPresence.objects.filter(unit=unit).exists()
