"""R30: published minutes are immutable. Every change to published content — the order of the
agenda included — goes through a correction and shows up in the next version's history."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import client_for as _client_for
from tests.meetings.conftest import make_meeting, publishable
from trepart.meetings import services
from trepart.meetings.models import AgendaItem, Attendance, Meeting, MinutesVersion
from trepart.meetings.selectors import version_changes


@pytest.fixture
def members(party_group):
    return list(party_group.values())


@pytest.fixture
def published(leader, unit, members):
    meeting = make_meeting(leader, unit)
    publishable(leader, meeting, members)
    services.minutes_publish(actor=leader, meeting=meeting, notify=False)
    meeting.refresh_from_db()
    return meeting


def client_for(user):
    client = _client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def order(meeting) -> list[int]:
    return list(meeting.items.order_by("order", "id").values_list("pk", flat=True))


def live_state(meeting) -> dict:
    return {
        "meeting": Meeting.objects.filter(pk=meeting.pk).values().get(),
        "items": list(AgendaItem.objects.filter(meeting=meeting).order_by("pk").values()),
        "attendance": list(Attendance.objects.filter(meeting=meeting).order_by("pk").values()),
        "versions": list(
            MinutesVersion.objects.filter(meeting=meeting)
            .order_by("pk")
            .values("number", "content")
        ),
    }


def test_r30_reorder_after_publishing_is_refused_by_the_service(published, leader):
    before = order(published)
    item = published.items.get(pk=before[0])
    with pytest.raises(ValidationError):
        services.agenda_item_move(actor=leader, item=item, direction=1)
    assert order(published) == before


def test_r30_reorder_after_publishing_is_refused_with_a_plain_message(published, leader):
    before = order(published)
    snapshot = published.versions.get().content
    client = client_for(leader)
    page = client.get(reverse("meetings:meeting_detail", args=[published.pk]))
    # No reorder buttons on published minutes.
    assert reverse("meetings:item_move", args=[before[0], "down"]) not in page.content.decode()
    response = client.post(reverse("meetings:item_move", args=[before[0], "down"]))
    assert response.status_code == 400
    html = response.content.decode()
    # Issue 10: the refusal is shown at the item refused, announced to screen readers.
    refusal = html.index(f'id="refusal-item-{before[0]}"')
    assert html.index(f'id="item-{before[0]}"') < refusal
    assert 'role="alert"' in html[refusal - 200 : refusal]
    assert "Start a correction" in html[refusal:]
    assert order(published) == before
    assert published.versions.get().content == snapshot


def test_r30_no_post_changes_published_minutes_outside_a_correction(published, leader, party_group):
    """Every POST that edits a meeting's content is refused on published minutes."""
    item = published.items.order_by("order", "id").first()
    guest_free = party_group["rep_ff"]
    before = live_state(published)
    client = client_for(leader)
    posts = [
        (reverse("meetings:item_move", args=[item.pk, "down"]), {}),
        (reverse("meetings:item_move", args=[item.pk, "up"]), {}),
        (reverse("meetings:item_propose", args=[published.pk]), {"title": "Nytt punkt"}),
        (reverse("meetings:item_remove", args=[item.pk]), {}),
        (
            reverse("meetings:item_minutes", args=[item.pk]),
            {
                f"item{item.pk}-revision": item.revision,
                f"item{item.pk}-summary": "Endret i ettertid",
                f"item{item.pk}-way_forward": "Endret",
            },
        ),
        (reverse("meetings:item_close", args=[item.pk]), {"reopen": "1"}),
        (
            reverse("meetings:attendance_save", args=[published.pk]),
            {f"attendance-{guest_free.pk}": "absent", "guests": "Gjest Gjestesen"},
        ),
        (reverse("meetings:chair_set", args=[published.pk]), {"chair": guest_free.pk}),
        (
            reverse("meetings:action_add", args=[published.pk]),
            {"description": "Noe", "assignee": leader.pk, "due_on": "2026-04-01"},
        ),
        (
            reverse("meetings:referral_add", args=[item.pk]),
            {"body": "AMU", "referred_on": "2026-03-04"},
        ),
        (
            reverse("meetings:meeting_edit", args=[published.pk]),
            {
                "action": "move",
                "day": "2026-03-10",
                "start_time": "10:00",
                "end_time": "11:00",
                "location": "Et annet sted",
            },
        ),
        (
            reverse("meetings:meeting_edit", args=[published.pk]),
            {"action": "cancel", "reason": "x"},
        ),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403), url
        assert live_state(published) == before, url


def test_r30_reorder_in_a_correction_is_in_the_next_version_and_the_history(published, leader):
    first = published.versions.get()
    snapshot = first.content
    before = order(published)
    services.minutes_correction_start(actor=leader, meeting=published)
    client = client_for(leader)
    page = client.get(reverse("meetings:meeting_detail", args=[published.pk])).content.decode()
    assert reverse("meetings:item_move", args=[before[0], "down"]) in page
    response = client.post(reverse("meetings:item_move", args=[before[0], "down"]))
    assert response.status_code == 302
    after = order(published)
    assert after == [before[1], before[0], *before[2:]]
    # The published snapshot did not change while the correction is open.
    first.refresh_from_db()
    assert first.content == snapshot

    published.refresh_from_db()
    second = services.minutes_publish(
        actor=leader, meeting=published, change_note="Rekkefølgen rettet", notify=False
    )
    assert [it["id"] for it in second.content["items"]] == after
    first.refresh_from_db()
    assert first.content == snapshot
    changes = version_changes(first, second)
    assert [c["field"] for c in changes] == ["Order changed"]

    history = client.get(reverse("meetings:minutes_versions", args=[published.pk]))
    assert history.status_code == 200
    assert "Order changed" in history.content.decode()
