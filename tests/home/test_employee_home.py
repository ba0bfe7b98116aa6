"""Issue 10, P3, R20: an employee's home page shows their world: the unit's next meetings (as
dates, not links they cannot open), the latest published minutes, answers to their own
inputs, the trials running at their unit, and the unit's anonymous link."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for as _client_for
from tests.measures.conftest import measure_at
from tests.meetings.conftest import make_meeting, publishable
from tests.query_counts import assert_same_counts, measure
from trepart.inputs import selectors as input_selectors
from trepart.inputs import services as input_services
from trepart.measures.models import Stage
from trepart.meetings import services as meeting_services

HOME = reverse("home:home")


def client_for(user):
    client = _client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def plan_meetings(leader, unit, n, start=1):
    today = timezone.localdate()
    return [
        make_meeting(leader, unit, day=today + datetime.timedelta(days=7 * i), title=f"Møte {i}")
        for i in range(start, start + n)
    ]


@pytest.fixture
def world(unit, party_group, employee):
    leader = party_group["leader"]
    coming = plan_meetings(leader, unit, 3)
    held = make_meeting(leader, unit, day=timezone.localdate() - datetime.timedelta(days=14))
    publishable(leader, held, list(party_group.values()))
    meeting_services.minutes_publish(actor=leader, meeting=held, notify=False)
    mine, _ = input_services.input_submit(
        unit=unit, text="Kan vi få flere hvilestoler på pauserommet?", author=employee
    )
    input_services.input_close(
        actor=leader, item=mine, status="answered", answer="Ja, to nye stoler er bestilt."
    )
    trial = measure_at(party_group, unit, Stage.IN_TRIAL, title="Faste pauser på kveldsvakt")
    return {"coming": coming, "held": held, "trial": trial, "leader": leader}


def test_employee_sees_their_world(world, unit, employee):
    response = client_for(employee).get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    # The unit's next meetings, as dates and titles; no link to a draft they cannot open.
    for m in world["coming"]:
        assert m.title in html
        assert reverse("meetings:meeting_detail", args=[m.pk]) not in html
    assert "None are planned yet" not in html
    # The latest published minutes, linked.
    assert reverse("meetings:meeting_detail", args=[world["held"].pk]) in html
    # The answer to their own input.
    assert "Ja, to nye stoler er bestilt." in html
    # The trial running at their unit.
    assert "Faste pauser på kveldsvakt" in html
    # The unit's anonymous link.
    link = input_selectors.input_link(unit)
    assert reverse("inputs:anonymous_form", args=[link.token]) in html


def test_every_link_on_the_employee_home_page_opens(world, employee):
    client = client_for(employee)
    html = client.get(HOME).content.decode()
    for href in set(re.findall(r'href="(/[^"#]*)"', html)):
        if href.startswith(("/static/", "/i/")):
            continue
        assert client.get(href).status_code == 200, href


def test_the_group_page_lists_the_coming_meetings_for_staff(world, unit, employee):
    html = client_for(employee).get(reverse("meetings:unit_group", args=[unit.pk]))
    html = html.content.decode()
    upcoming = html[html.index('id="upcoming"') : html.index('id="earlier"')]
    for m in world["coming"]:
        assert m.title in upcoming


def test_another_units_meetings_are_not_shown(world, municipality, employee):
    from tests.factories import UnitFactory, person_with_role
    from trepart.organisation.models import Role

    other = UnitFactory(municipality=municipality, name="Annen enhet")
    plan_meetings(person_with_role(Role.UNIT_LEADER, other), other, 1)
    html = client_for(employee).get(HOME).content.decode()
    assert "Annen enhet" not in html


def test_home_query_count_does_not_grow_with_meetings(world, unit, employee):
    clients = {"employee": client_for(employee)}
    pages = [("employee", "home", HOME)]
    few = measure(clients, pages)
    plan_meetings(world["leader"], unit, 9, start=10)
    assert_same_counts(few, measure(clients, pages))
