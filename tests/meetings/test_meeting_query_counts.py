"""Reads have a fixed number of queries (ARCHITECTURE rule 4).

The group page is rendered with 1 and with 30 meetings, the meeting page with 1 and with 15
agenda items (each with actions and referrals), for a member, an employee who reads published
minutes and an administrator. The counts are compared, not hard-coded.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import person_with_role
from tests.meetings.conftest import make_meeting, publishable
from tests.query_counts import assert_same_counts, measure
from trepart.meetings import services
from trepart.organisation.models import Role

MANY_MEETINGS = 30
MANY_ITEMS = 15


@pytest.fixture
def viewers(party_group, employee, admin_user):
    return {
        "member": party_group["leader"],
        "rep": party_group["rep_nsf"],
        "employee": employee,
        "admin": admin_user,
    }


def full_meeting(leader, members, unit, day, n_items, employee):
    """A meeting with `n_items` items, each with two actions and a referral (one with an
    outcome), attendance and a guest, published once and being corrected."""
    meeting = make_meeting(leader, unit, day=day)
    meeting.items.all().delete()
    for i in range(n_items):
        item = services.agenda_item_propose(
            actor=members[i % len(members)],
            meeting=meeting,
            title=f"Sak {i + 1}",
            description="Bakgrunn",
            kind="consultation" if i % 3 == 0 else "development",
        )
        item = services.item_minutes_save(
            actor=leader,
            item=item,
            revision=item.revision,
            summary=f"Referat {i}",
            way_forward="Videre",
            decisions="Besluttet" if i % 2 else "",
        )
        for assignee in (members[i % len(members)], employee):
            services.action_add(
                actor=leader,
                meeting=meeting,
                item=item,
                description=f"Oppgave {i}",
                assignee=assignee,
                due_on=day + datetime.timedelta(days=14),
            )
        referral = services.referral_add(
            actor=leader, item=item, body="AMU", referred_on=day, note="Til behandling"
        )
        if i % 2:
            services.referral_outcome(
                actor=leader, referral=referral, outcome="Vedtatt", outcome_on=day
            )
    services.action_add(
        actor=leader,
        meeting=meeting,
        item=None,
        description="Uten sak",
        assignee=leader,
        due_on=day + datetime.timedelta(days=7),
    )
    services.attendance_record(
        actor=leader,
        meeting=meeting,
        statuses={p: ("present" if i % 2 else "absent", "Rolle") for i, p in enumerate(members)},
        guests=["Gjest Gjestesen"],
    )
    publishable(leader, meeting, members)
    services.minutes_publish(actor=leader, meeting=meeting, notify=False)
    services.minutes_correction_start(actor=leader, meeting=meeting)
    meeting.refresh_from_db()
    services.minutes_publish(actor=leader, meeting=meeting, change_note="Rettet", notify=False)
    services.minutes_correction_start(actor=leader, meeting=meeting)
    return meeting


def test_meeting_page_same_queries_with_1_and_15_items(viewers, party_group, unit):
    leader = party_group["leader"]
    members = list(party_group.values())
    today = timezone.localdate()
    small = full_meeting(
        leader, members, unit, today - datetime.timedelta(days=20), 1, viewers["employee"]
    )
    big = full_meeting(
        leader, members, unit, today - datetime.timedelta(days=10), MANY_ITEMS, viewers["employee"]
    )
    assert big.items.count() == MANY_ITEMS and small.items.count() == 1
    clients = {role: client_for(user) for role, user in viewers.items()}

    def pages(meeting):
        url = reverse("meetings:meeting_detail", args=[meeting.pk])
        versions = reverse("meetings:minutes_versions", args=[meeting.pk])
        return [
            ("member", "detail", url),
            ("rep", "detail", url),
            ("employee", "detail", url),
            ("admin", "detail", url),
            ("member", "versions", versions),
            ("employee", "versions", versions),
        ]

    assert_same_counts(measure(clients, pages(small)), measure(clients, pages(big)))


def test_group_page_same_queries_with_1_and_30_meetings(viewers, party_group, unit):
    leader = party_group["leader"]
    members = list(party_group.values())
    today = timezone.localdate()
    clients = {role: client_for(user) for role, user in viewers.items()}

    def add_meeting(i):
        day = today + datetime.timedelta(days=7 * (i - MANY_MEETINGS // 2))
        meeting = make_meeting(leader, unit, day=day, title=f"Møte {i}")
        services.chair_set(actor=leader, meeting=meeting, person=members[i % len(members)])
        if day < today:
            if i % 5 == 0:
                services.meeting_cancel(actor=leader, meeting=meeting, reason="Sykdom")
                return
            publishable(leader, meeting, members)
            services.minutes_publish(actor=leader, meeting=meeting, notify=False)
            if i % 4 == 0:
                services.minutes_correction_start(actor=leader, meeting=meeting)

    add_meeting(1)  # one earlier, published meeting
    url = reverse("meetings:unit_group", args=[unit.pk])
    steering = reverse("meetings:steering_group")
    index = reverse("meetings:index")
    my_actions = reverse("meetings:my_actions")
    pages = [
        ("member", "group", url),
        ("employee", "group", url),
        ("admin", "group", url),
        ("member", "steering", steering),
        ("member", "index", index),
        ("employee", "index", index),
        ("member", "my_actions", my_actions),
    ]
    few = measure(clients, pages)
    for i in range(2, MANY_MEETINGS + 1):
        add_meeting(i)
    # More people at the unit, and actions for the member.
    for _ in range(5):
        person_with_role(Role.EMPLOYEE, unit)
    for meeting in unit.meetings.filter(minutes_status="draft", status="planned")[:5]:
        services.action_add(
            actor=leader,
            meeting=meeting,
            item=None,
            description="Oppgave",
            assignee=leader,
            due_on=today,
        )
    assert unit.meetings.count() == MANY_MEETINGS
    many = measure(clients, pages)
    assert_same_counts(few, many)
