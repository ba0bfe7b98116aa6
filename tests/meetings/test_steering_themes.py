"""R3: the steering group's topic catalogue is offered as its default standing themes when it
sets up its meetings; its default standing item is the units' reports and questions (R31)."""

import datetime

from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for as _client_for
from trepart.meetings.models import Meeting, StandingItem
from trepart.meetings.services import steering_topic_catalogue


def client_for(user):
    client = _client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


SERIES = {
    "title": "Møte i TriPart",
    "frequency": "monthly",
    "ordinal": "1",
    "weekday": "2",
    "start_time": "09:00",
    "end_time": "11:00",
    "location": "Kommunestyresalen",
    "starts_on": (datetime.date.today() + datetime.timedelta(days=1)).isoformat(),
}


def test_r3_catalogue_is_offered_all_checked(steering_group):
    html = client_for(steering_group["director"]).get(reverse("meetings:steering_series_create"))
    html = html.content.decode()
    assert html.count('name="themes"') == len(steering_topic_catalogue())
    assert html.count("checked") >= len(steering_topic_catalogue())
    # Stored as standing items in the municipality's language (bokmål here).
    assert "Omstilling og endring" in html


def test_r3_chosen_themes_become_standing_items_on_every_meeting(steering_group, municipality):
    client = client_for(steering_group["director"])
    response = client.post(
        reverse("meetings:steering_series_create"), {**SERIES, "themes": ["budget", "change"]}
    )
    assert response.status_code == 302
    titles = list(
        StandingItem.objects.filter(municipality=municipality, unit=None).values_list(
            "title", "key"
        )
    )
    assert any(k == "unit_reports" for _t, k in titles)  # R31: the steering group's default
    themed = [t for t, k in titles if not k]
    assert len(themed) == 2
    meeting = Meeting.objects.filter(unit=None).order_by("starts_at").first()
    agenda = list(meeting.items.values_list("title", flat=True))
    assert set(themed) <= set(agenda)
    # Offered again, only what the group does not have yet.
    html = client.get(reverse("meetings:steering_series_create")).content.decode()
    assert html.count('name="themes"') == len(steering_topic_catalogue()) - 2


def test_junk_themes_are_ignored_or_refused_never_a_500(steering_group):
    response = client_for(steering_group["director"]).post(
        reverse("meetings:steering_series_create"), {**SERIES, "themes": ["<script>", "x" * 500]}
    )
    assert response.status_code in (200, 400)


def test_party_groups_are_not_offered_the_steering_catalogue(leader, unit):
    html = client_for(leader).get(reverse("meetings:unit_series_create", args=[unit.pk]))
    assert 'name="themes"' not in html.content.decode()
