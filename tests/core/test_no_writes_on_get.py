"""No writes on GET: viewing a page never creates or changes a row.

The rows a unit needs (its anonymous input link, its party group's default standing items, R11)
are made when the unit is created (the UNIT_CREATED extension point) or by a data migration for
old units; a page that finds one missing shows so and writes nothing."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role
from tests.meetings.conftest import make_meeting
from trepart.inputs.models import InputLink
from trepart.meetings.models import StandingItem
from trepart.organisation import services as organisation_services
from trepart.organisation.models import Role

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Bookkeeping tables a GET may touch (the session, login throttling, rate limits).
IGNORED_TABLES = ("django_session", "axes_", "core_ratelimit")


def writes_during(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if WRITE.match(q["sql"]) and not any(t in q["sql"] for t in IGNORED_TABLES)
    ]
    return response.status_code, writes


def pages(unit, meeting):
    return [
        reverse("home:home"),
        reverse("organisation:unit_detail", args=[unit.pk]),
        reverse("organisation:steering_group"),
        reverse("meetings:index"),
        reverse("meetings:unit_group", args=[unit.pk]),
        reverse("meetings:steering_group"),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("inputs:index"),
        reverse("inputs:unit_inputs", args=[unit.pk]),
        reverse("inputs:poster_pdf", args=[unit.pk]),
        reverse("measures:index"),
        reverse("measures:board", args=[unit.pk]),
    ]


def group_of(unit):
    leader = person_with_role(Role.UNIT_LEADER, unit)
    person_with_role(Role.SAFETY_REP, unit)
    return leader


@pytest.mark.parametrize("old_data", [False, True], ids=["new unit", "unit from before"])
def test_main_pages_write_nothing_on_get(municipality, old_data):
    unit = UnitFactory(municipality=municipality, with_defaults=not old_data)
    leader = group_of(unit)
    meeting = make_meeting(leader, unit)  # a write (POST-side): may store the standing items
    if old_data:
        InputLink.objects.filter(unit=unit).delete()
    clients = {
        "leader": client_for(leader),
        "admin": client_for(person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)),
        "employee": client_for(person_with_role(Role.EMPLOYEE, unit)),
    }
    for who, client in clients.items():
        for url in pages(unit, meeting):
            status, writes = writes_during(client, url)
            assert status in (200, 403, 404, 503), (who, url, status)
            assert not writes, (who, url, writes)


def test_unit_gets_its_link_and_standing_items_when_created(municipality):
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)
    unit = organisation_services.unit_create(
        actor=admin, municipality=municipality, name="Ny enhet", new_service_area="Helse"
    )
    assert InputLink.objects.filter(unit=unit).exists()
    assert StandingItem.objects.filter(unit=unit, active=True).count() == 4


def test_unit_without_link_shows_none_and_writes_nothing(municipality):
    unit = UnitFactory(municipality=municipality, with_defaults=False)
    leader = group_of(unit)
    client = client_for(leader)
    status, writes = writes_during(client, reverse("inputs:unit_inputs", args=[unit.pk]))
    assert status == 200 and not writes
    assert not InputLink.objects.filter(unit=unit).exists()
    assert client.get(reverse("inputs:poster_pdf", args=[unit.pk])).status_code == 404
    # Making the link is a POST.
    client.post(reverse("inputs:link_renew", args=[unit.pk]))
    assert InputLink.objects.filter(unit=unit).exists()


def test_group_without_standing_items_shows_the_defaults_and_writes_nothing(municipality):
    unit = UnitFactory(municipality=municipality, with_defaults=False)
    client = client_for(group_of(unit))
    status, writes = writes_during(client, reverse("meetings:unit_group", args=[unit.pk]))
    assert status == 200 and not writes
    assert not StandingItem.objects.filter(unit=unit).exists()
    # The first write that needs them stores them (here: a new standing item).
    client.post(reverse("meetings:unit_standing_add", args=[unit.pk]), {"title": "Runde"})
    assert StandingItem.objects.filter(unit=unit).count() == 5
