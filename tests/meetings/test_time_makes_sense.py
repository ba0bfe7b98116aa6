"""Issue 10: minutes cannot be published before the meeting has started (before then a change is
an agenda change), and a meeting with published minutes is listed with the minutes, not as
upcoming."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import client_for as _client_for
from tests.meetings.conftest import make_meeting, publishable
from trepart.meetings import services
from trepart.meetings.models import Meeting


def client_for(user):
    client = _client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def members(party_group):
    return list(party_group.values())


def test_minutes_cannot_be_published_before_the_meeting_starts(leader, unit, members):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    meeting = make_meeting(leader, unit, day=tomorrow)
    publishable(leader, meeting, members)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.minutes_publish(actor=leader, meeting=meeting, notify=False)
    assert "has not started yet" in exc.value.messages[0]
    client = client_for(leader)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:minutes_publish", args=[meeting.pk]) not in page
    assert "can be published once the meeting has started" in page
    # A posted publish is refused next to the publish section.
    response = client.post(reverse("meetings:minutes_publish", args=[meeting.pk]))
    assert response.status_code == 400
    html = response.content.decode()
    assert html.index('id="publish"') < html.index('id="refusal-publish"')
    meeting.refresh_from_db()
    assert meeting.minutes_status != Meeting.MinutesStatus.PUBLISHED


def test_a_meeting_published_on_its_own_day_is_listed_with_the_minutes(leader, unit, members):
    now = timezone.localtime()
    meeting = make_meeting(leader, unit, day=now.date())
    # It started an hour ago and runs for another hour.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=1)
    )
    meeting.refresh_from_db()
    publishable(leader, meeting, members)
    services.minutes_publish(actor=leader, meeting=meeting, notify=False)
    html = client_for(leader).get(reverse("meetings:unit_group", args=[unit.pk])).content.decode()
    link = reverse("meetings:meeting_detail", args=[meeting.pk])
    upcoming = html[html.index('id="upcoming"') : html.index('id="earlier"')]
    earlier = html[html.index('id="earlier"') :]
    assert link not in upcoming
    assert link in earlier
