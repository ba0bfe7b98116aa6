"""The API's lists use a fixed number of queries, whatever the number of rows (ARCHITECTURE
rule 4): the same count with the small world and with many more rows."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import api_for
from tests.factories import UnitFactory, person_with_role, presence
from tests.measures.conftest import measure_at
from tests.meetings.conftest import make_meeting, publishable
from trepart.organisation.models import Role

LISTS = ["/units", "/party-groups", "/meetings", "/minutes", "/inputs", "/measures", "/reports"]


def _counts(client) -> dict[str, int]:
    counts = {}
    for path in LISTS:
        assert client.get(path, limit=100).status_code == 200  # warm
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, limit=100)
        assert response.status_code == 200, path
        counts[path] = len(ctx.captured_queries)
    return counts


def _more(world, n=4):
    from trepart.inputs import services as input_services
    from trepart.measures.models import Stage
    from trepart.meetings import services as meeting_services
    from trepart.reporting import services_reports as report_services

    people, unit = world["people"], world["unit"]
    leader = people["leader"]
    today = timezone.localdate()
    for i in range(n):
        other = UnitFactory(municipality=unit.municipality, name=f"Ekstra {i}")
        presence(other, "NSF")
        person_with_role(Role.UNIT_LEADER, other)
        person_with_role(Role.SAFETY_REP, other)
        meeting = make_meeting(leader, unit, day=today - datetime.timedelta(days=20 + i))
        publishable(leader, meeting, [leader])
        meeting_services.minutes_publish(actor=leader, meeting=meeting, notify=False)
        make_meeting(leader, unit, day=today + datetime.timedelta(days=20 + i), title=f"M{i}")
        input_services.input_submit(unit=unit, text=f"Innspill nummer {i} om turnus")
        input_services.input_submit(
            unit=unit, text=f"Navngitt innspill {i}", author=people["employee"]
        )
        measure_at(
            {"leader": leader, "rep": people["rep"], "safety": people["safety"]},
            unit,
            Stage.IDEA,
            title=f"Tiltak {i}",
        )
        start = datetime.date(2020 + i, 1, 1)
        report = report_services.report_draft_create(unit, start, datetime.date(2020 + i, 3, 31))
        report_services.report_save(actor=leader, report=report, went_well="Ok", hard="", need="")
        report_services.report_send(actor=leader, report=report)


def test_lists_do_not_grow_with_the_data(world):
    clients = {role: api_for(world["people"][role]) for role in ("leader", "admin", "employee")}
    few = {role: _counts(c) for role, c in clients.items()}
    _more(world)
    many = {role: _counts(c) for role, c in clients.items()}
    assert many == few
