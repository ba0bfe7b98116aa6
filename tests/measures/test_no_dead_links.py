"""A person is never shown a link they cannot follow (P8).

Agenda items link to the staff input they came from and to the measure they became; measures
link to the input and the meeting they came from. Each link is rendered only when the reader may
open the target (decided in the selectors with the target app's visibility rules, through the
AGENDA_ITEM_SOURCES extension point on the meeting page); otherwise the text stays, unlinked.
Every link on these pages answers 200 for the reader who sees it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import person_with_role
from tests.inputs.conftest import submit
from tests.measures.conftest import logged_in, text_of
from tests.meetings.conftest import make_meeting, publishable
from trepart.inputs import services as input_services
from trepart.measures import services
from trepart.meetings import services as meeting_services
from trepart.organisation.models import Role

HREF = re.compile(r'href="([^"]+)"')
# Not pages: files and assets, and links whose target is outside the app.
SKIP = ("/static/", "#", "mailto:", "http://", "https://", "/django-admin/")


@pytest.fixture
def world(unit, party_group, employee, admin_user):
    leader = party_group["leader"]
    day = timezone.localdate() + datetime.timedelta(days=7)
    meeting = make_meeting(leader, unit, day=day)
    # A staff input for the group only (not public): the group takes it up on the agenda.
    item, _code = submit(unit, "Vi trenger en bedre pauseordning på kveldsvakt")
    item = input_services.input_close(
        actor=leader, item=item, status="taken_up", answer="Vi tar det opp.", meeting=meeting
    )
    agenda_item = item.agenda_item
    from_item = services.measure_create_from_agenda_item(actor=leader, item=agenda_item)
    from_input = services.measure_create(
        actor=leader, unit=unit, title="Pauseordning", source_input=item
    )
    # The meeting is held (minutes are published only after it has started).
    now = timezone.now()
    type(meeting).objects.filter(pk=meeting.pk).update(
        starts_at=now - datetime.timedelta(hours=2), ends_at=now - datetime.timedelta(hours=1)
    )
    meeting.refresh_from_db()
    publishable(leader, meeting, list(party_group.values()))
    meeting_services.minutes_publish(actor=leader, meeting=meeting, notify=False)
    return {
        "meeting": meeting,
        "input": item,
        "agenda_item": agenda_item,
        "measures": [from_item, from_input],
        "readers": {
            "leader": leader,
            "local rep": party_group["rep_ff"],
            "admin": admin_user,
            "employee": employee,
            "steering member": person_with_role(
                Role.ADMINISTRATION, municipality=unit.municipality
            ),
        },
    }


def links(body: str) -> list[str]:
    return sorted(
        {
            url.replace("&amp;", "&")
            for url in HREF.findall(body)
            if not url.startswith(SKIP) and not url.startswith("?") and url.startswith("/")
        }
    )


def assert_every_link_opens(client, page_url, who):
    page = client.get(page_url)
    assert page.status_code == 200, (who, page_url)
    for url in links(page.content.decode()):
        response = client.get(url)
        # 503: an export whose converter is missing on this machine is still not a dead link.
        assert response.status_code in (200, 503), (who, page_url, url, response.status_code)
    return text_of(page)


def test_agenda_item_links_to_its_input_only_for_readers_who_may_open_it(world):
    meeting, item = world["meeting"], world["input"]
    input_url = reverse("inputs:input_detail", args=[item.pk])
    page_url = reverse("meetings:meeting_detail", args=[meeting.pk])
    for who in ("leader", "local rep"):
        body = text_of(logged_in(world["readers"][who]).get(page_url))
        assert f'href="{input_url}"' in body, who
        assert "From staff input" in body, who
    # The admin reads the whole meeting page but not the group's staff input: text, no link.
    admin_body = text_of(logged_in(world["readers"]["admin"]).get(page_url))
    assert "From staff input" in admin_body
    assert input_url not in admin_body
    assert logged_in(world["readers"]["admin"]).get(input_url).status_code == 404
    # An employee reads the published minutes and sees no link to the input either.
    employee_body = text_of(logged_in(world["readers"]["employee"]).get(page_url))
    assert input_url not in employee_body
    assert logged_in(world["readers"]["employee"]).get(input_url).status_code == 404


def test_every_link_on_the_meeting_page_opens_for_each_reader(world):
    page_url = reverse("meetings:meeting_detail", args=[world["meeting"].pk])
    for who, person in world["readers"].items():
        client = logged_in(person)
        if client.get(page_url).status_code == 404:
            assert who == "steering member"  # another unit's meeting: not theirs to read
            continue
        assert_every_link_opens(client, page_url, who)


def test_every_link_on_the_measure_pages_opens_for_each_reader(world):
    input_url = reverse("inputs:input_detail", args=[world["input"].pk])
    for measure in world["measures"]:
        page_url = reverse("measures:measure_detail", args=[measure.pk])
        for who, person in world["readers"].items():
            client = logged_in(person)
            if client.get(page_url).status_code == 404:
                assert who == "steering member"
                continue
            body = assert_every_link_opens(client, page_url, who)
            assert "Where it came from" in body
            if measure.source_input_id and who in ("admin", "employee"):
                assert input_url not in body, who
                assert "Staff input of" in body, who


def test_measure_links_to_draft_minutes_only_for_readers_who_may_open_them(
    unit, party_group, employee
):
    leader = party_group["leader"]
    meeting = make_meeting(leader, unit, title="Utkast")
    agenda_item = meeting_services.agenda_item_propose(
        actor=leader, meeting=meeting, title="Turnus"
    )
    measure = services.measure_create_from_agenda_item(actor=leader, item=agenda_item)
    page_url = reverse("measures:measure_detail", args=[measure.pk])
    meeting_url = reverse("meetings:meeting_detail", args=[meeting.pk])
    assert f'href="{meeting_url}"' in text_of(logged_in(leader).get(page_url))
    body = assert_every_link_opens(logged_in(employee), page_url, "employee")
    assert meeting_url not in body  # draft minutes: the employee may not open them
    assert "Agenda item “Turnus”" in body
