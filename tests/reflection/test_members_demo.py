"""The demo of a disagreement handled over time (R15) and of telling the members (R19)."""

import pytest

from tests.demo.test_tenancy_consistency import tenancy_mismatches
from trepart.demo.disagreement import TITLE, load
from trepart.meetings.models import AgendaItem
from trepart.reflection.models import MemberBrief

pytestmark = pytest.mark.django_db


def test_an_item_not_agreed_is_carried_tried_as_a_measure_and_loading_again_adds_nothing():
    from trepart.demo.measures import load_measures_demo
    from trepart.demo.meetings import load_meetings_demo
    from trepart.demo.organisation import load_demo

    municipality = load_demo()
    load_meetings_demo(municipality)
    load_measures_demo(municipality)
    carried = load(municipality)

    first = carried.carried_from
    assert first.not_agreed and first.positions.count() == 3 and first.in_between
    assert carried.carried_count == 1 and carried.status == "closed" and carried.way_forward
    assert carried.meeting.starts_at > first.meeting.starts_at
    assert carried.measures.get().stage == "in_trial"
    # The published snapshots show it, without any correction note.
    version = first.meeting.versions.order_by("-number").first()
    item = next(it for it in version.content["items"] if it["title"] == TITLE)
    assert item["not_agreed"] and item["continued_on"]
    assert first.meeting.versions.count() == 1 and carried.meeting.versions.count() == 1
    briefs = MemberBrief.objects.filter(meeting=carried.meeting)
    assert briefs.count() >= 2 and briefs.filter(shared_at__isnull=False).count() == 1
    assert not tenancy_mismatches()

    assert load(municipality) is None
    assert AgendaItem.objects.filter(title=TITLE).count() == 2
