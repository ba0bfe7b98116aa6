"""`{% author_label %}`: an erased author is shown by the role held on the document's date
(review rev2 #2; issue 13 §3, PRODUCT P8, R5), with one query per erased author, not per row."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.archive.conftest import sent_report
from tests.conftest import client_for
from tests.factories import give_role, person_with_role
from tests.meetings.conftest import (  # noqa: F401  (the fixture is used below)
    make_meeting,
    party_group,
    publishable,
)
from trepart.meetings import services as meeting_services
from trepart.organisation.models import Role, RoleAssignment
from trepart.organisation.templatetags.author_label import author_name

D = datetime.date


def _erase(person, name="Former safety rep"):
    """What the erasure does to the person row (the personal data app's service)."""
    person.full_name = name
    person.erased_at = timezone.now()
    person.save(update_fields=["full_name", "erased_at"])


@pytest.fixture
def history(unit):
    """Unit leader in spring, safety rep from the summer: the last role is not the old one."""
    person = person_with_role(
        Role.UNIT_LEADER,
        unit,
        full_name="Kari Hansen",
        starts_on=D(2025, 1, 1),
        ends_on=D(2025, 5, 31),
    )
    give_role(person, Role.SAFETY_REP, unit=unit, starts_on=D(2025, 6, 1))
    return person


def test_the_name_of_someone_not_erased(history):
    assert author_name(history, D(2025, 3, 1)) == "Kari Hansen"
    assert author_name(None, D(2025, 3, 1)) == "—"


def test_an_erased_person_is_the_role_held_on_the_day(history):
    _erase(history)
    with translation.override("en"):
        assert author_name(history, D(2025, 3, 1)) == str(Role.UNIT_LEADER.label)
        moment = timezone.make_aware(datetime.datetime(2025, 8, 1, 12))
        assert author_name(history, moment) == str(Role.SAFETY_REP.label)


def test_one_query_per_erased_author_in_a_list(history, unit):
    _erase(history)
    other = person_with_role(Role.EMPLOYEE, unit, full_name="Ola Ansatt")
    rows = [(history, D(2025, 1, 1) + datetime.timedelta(days=30 * i)) for i in range(8)]
    rows += [(other, D(2025, 3, 1))] * 5
    template = Template(
        "{% load author_label %}{% for p, d in rows %}{% author_label p d %};{% endfor %}"
    )
    with translation.override("en"):
        with CaptureQueriesContext(connection) as ctx:
            html = template.render(Context({"rows": rows}))
        assert str(Role.UNIT_LEADER.label) in html and str(Role.SAFETY_REP.label) in html
    assert len(ctx.captured_queries) == 1
    assert "Ola Ansatt" in html and "Former" not in html


@pytest.mark.django_db
def test_minutes_and_report_pages_show_the_role_held_then(party_group, unit):  # noqa: F811
    leader = party_group["leader"]
    members = list(party_group.values())
    meeting = make_meeting(leader, unit, title="Partsgruppemøte")
    meeting = publishable(leader, meeting, members)
    meeting_services.minutes_publish(actor=leader, meeting=meeting, notify=False)
    report = sent_report(unit, leader)
    # Later the leader became a safety rep only, and was then erased.
    today = timezone.localdate()
    RoleAssignment.objects.filter(person=leader).update(
        starts_on=today - datetime.timedelta(days=400), ends_on=today
    )
    give_role(leader, Role.SAFETY_REP, unit=unit, starts_on=today + datetime.timedelta(days=1))
    _erase(leader)
    with translation.override("nb"):
        role = str(Role.UNIT_LEADER.label)
    viewer = client_for(party_group["safety"])
    pages = [
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:minutes_versions", args=[meeting.pk]),
    ]
    for url in pages:
        html = viewer.get(url).content.decode()
        # The author sentence ("… by Unit leader."); other lists are not this tag's.
        assert f"{role}." in html and "Former safety rep." not in html, url
    reporter = client_for(person_with_role(Role.UNIT_LEADER, unit, full_name="Ny Leder"))
    for url in (
        reverse("reporting:report_detail", args=[report.pk]),
        reverse("reporting:report_versions", args=[report.pk]),
    ):
        response = reporter.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        # The author sentence ("… by Unit leader."); other lists are not this tag's.
        assert f"{role}." in html and "Former safety rep." not in html, url
