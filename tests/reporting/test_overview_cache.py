"""Issue 14: the steering overview's aggregates are cached per process, keyed by the
municipality's freshness token, and a change is seen at once — through the services, through
another code path, and from another process (a bumped token in the database)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.factories import MunicipalityFactory, ServiceAreaFactory, UnitFactory, person_with_role
from trepart.inputs import services as input_services
from trepart.inputs.models import Input
from trepart.measures.models import Measure
from trepart.meetings.models import Meeting
from trepart.organisation.models import Role, Unit
from trepart.reporting import overview, overview_cache, views_overview
from trepart.reporting.models import OverviewFreshness, SteeringQuestion

URL = "/steering-group/overview/"


@pytest.fixture
def world(db):
    overview_cache.clear()
    municipality = MunicipalityFactory(name="Cachevik kommune")
    unit = UnitFactory(municipality=municipality, name="Aaa omsorg")
    politician = person_with_role(Role.POLITICIAN, municipality=municipality)
    yield {"municipality": municipality, "unit": unit, "politician": politician}
    overview_cache.clear()


def _row(client, unit):
    response = client.get(URL)
    assert response.status_code == 200
    return next(r for r in response.context["rows"] if r.unit.pk == unit.pk)


def _count_computations(monkeypatch) -> list:
    calls = []
    real = overview.steering_overview

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(overview, "steering_overview", counting)
    return calls


def test_the_figures_are_computed_once_while_nothing_changes(world, monkeypatch):
    calls = _count_computations(monkeypatch)
    client = client_for(world["politician"])
    client.get(URL)
    client.get(URL)
    client.get(URL + "?page=1")
    assert len(calls) == 1


def test_a_new_input_through_the_services_changes_the_overview_at_once(
    world, django_capture_on_commit_callbacks
):
    """Issue 14: a new input changes the overview at once (the same process) — as soon as
    its transaction has committed (the test's own transaction never does: the callbacks run
    at the end of the `with`, as at a commit)."""
    client = client_for(world["politician"])
    before = _row(client, world["unit"])
    assert (before.inputs_received, before.inputs_waiting) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        input_services.input_submit(
            unit=world["unit"], text="Vi trenger bedre rutiner for overlevering mellom vaktene."
        )
    after = _row(client, world["unit"])
    assert (after.inputs_received, after.inputs_waiting) == (1, 1)


def test_a_change_made_elsewhere_is_seen_at_once(world, django_capture_on_commit_callbacks):
    """Another code path (a plain ORM write) and another process (a queryset update that sends
    no signal, with the token bumped in the database as that process's transaction would): the
    next view recomputes."""
    client = client_for(world["politician"])
    assert _row(client, world["unit"]).inputs_waiting == 0

    # Another code path: not the inputs services, but a save() all the same.
    with django_capture_on_commit_callbacks(execute=True):
        item = Input.objects.create(
            municipality=world["municipality"],
            unit=world["unit"],
            text="Skrevet inn av en annen vei.",
            submitted_on=datetime.date.today(),
            status_changed_on=datetime.date.today(),
        )
    assert _row(client, world["unit"]).inputs_waiting == 1

    # Another process on another host: its write and its bump reach only the database.
    Input.objects.filter(pk=item.pk).update(hidden=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reporting_overviewfreshness SET version = version + 1 "
            "WHERE municipality_id = %s",
            [world["municipality"].pk],
        )
    assert _row(client, world["unit"]).inputs_waiting == 0


def test_a_write_without_signal_is_seen_after_the_max_age(world, monkeypatch):
    client = client_for(world["politician"])
    assert _row(client, world["unit"]).inputs_waiting == 0
    Input.objects.bulk_create(
        [
            Input(
                municipality=world["municipality"],
                unit=world["unit"],
                text="Lastet inn i bulk.",
                submitted_on=datetime.date.today(),
                status_changed_on=datetime.date.today(),
            )
        ]
    )
    assert _row(client, world["unit"]).inputs_waiting == 0  # no signal: still the cached figures
    monkeypatch.setattr(overview_cache, "MAX_AGE", 0)
    assert _row(client, world["unit"]).inputs_waiting == 1


def _token(municipality):
    return overview_cache.token(municipality.pk)


def test_writes_that_change_the_figures_bump_the_token(world, django_capture_on_commit_callbacks):
    m, unit = world["municipality"], world["unit"]
    today = datetime.date.today()
    at = datetime.datetime.now(datetime.UTC)
    writes = [
        lambda: Meeting.objects.create(
            municipality=m, unit=unit, title="Møte", kind="development", starts_at=at, ends_at=at
        ),
        lambda: Measure.objects.create(municipality=m, unit=unit, title="Tiltak"),
        lambda: SteeringQuestion.objects.create(
            municipality=m, unit=unit, asked_by=world["politician"], text="Hvordan går det?"
        ),
        lambda: person_with_role(Role.SAFETY_REP, unit),
        lambda: UnitFactory(municipality=m),
        lambda: Unit.objects.filter(municipality=m).exclude(pk=unit.pk).get().delete(),
    ]
    for write in writes:
        before = _token(m)
        with django_capture_on_commit_callbacks(execute=True):
            write()
        assert _token(m) != before, write
    assert today  # the day is part of the cache key, not of the token


def test_logging_in_does_not_bump_the_token(world, client):
    before = _token(world["municipality"])
    client.force_login(world["politician"])
    world["politician"].save(update_fields=["last_login"])
    assert _token(world["municipality"]) == before


def test_another_municipality_keeps_its_cache(world):
    other = MunicipalityFactory(name="Annenvik kommune")
    before = _token(other)
    UnitFactory(municipality=world["municipality"])
    assert _token(other) == before


def test_a_deleted_municipality_leaves_no_token(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        other = MunicipalityFactory(name="Borte kommune")  # its own save bumps its token
    assert OverviewFreshness.objects.filter(municipality_id=other.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    # A bump asked for in the same transaction finds the municipality gone: nothing happens.
    overview_cache._Bump(other.pk, {"done": False})()
    assert not OverviewFreshness.objects.filter(municipality_id=other.pk).exists()


def test_the_counter_moves_after_the_commit_once_per_municipality(
    world, django_capture_on_commit_callbacks
):
    """Bumping inside the writer's transaction would lock the counter row until the commit:
    a long import would hold up every writer of the municipality, and two writers could
    deadlock over it. So the counter moves after the commit, once per transaction."""
    m = world["municipality"]
    before = _token(m)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            for n in range(5):
                UnitFactory(municipality=m, name=f"Enhet {n}")
            assert _token(m) == before  # nothing written to the counter inside
    bumps = [c for c in callbacks if isinstance(c, overview_cache._Bump)]
    assert {b.municipality_id for b in bumps} == {m.pk}
    bumps[0]()  # as at the commit
    after = _token(m)
    assert after != before
    for b in bumps[1:]:
        b()
    assert _token(m) == after  # moved once


def test_the_view_reads_the_token_in_one_query(world):
    client = client_for(world["politician"])
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL)
    freshness = [q for q in ctx.captured_queries if "reporting_overviewfreshness" in q["sql"]]
    assert len(freshness) == 1
    # Warm: none of the aggregates is counted again.
    assert not [q for q in ctx.captured_queries if "inputs_input" in q["sql"]]


def test_unit_tables_are_paginated_and_the_summary_counts_every_unit(world, monkeypatch):
    monkeypatch.setattr(views_overview, "UNITS_PER_PAGE", 2)
    area = ServiceAreaFactory(municipality=world["municipality"])
    for name in ("Bbb skole", "Ccc barnehage"):
        UnitFactory(municipality=world["municipality"], service_area=area, name=name)
    client = client_for(world["politician"])
    first = client.get(URL)
    assert first.context["summary"]["units"] == 3
    body = first.content.decode()
    assert "Aaa omsorg" in body and "Ccc barnehage" not in body
    assert 'aria-current="page"' in body
    second = client.get(URL + "?page=2").content.decode()
    assert "Ccc barnehage" in second and "Aaa omsorg" not in second
    junk = client.get(URL + "?page=x")
    assert junk.status_code == 200 and "Aaa omsorg" in junk.content.decode()
    filtered = client.get(f"{URL}?area={area.pk}&page=1").content.decode()
    assert f"area={area.pk}&amp;page=2" not in filtered  # two units in the area: one page


def test_minutes_written_for_a_started_meeting_mark_it_held_and_move_the_counter(
    world, django_capture_on_commit_callbacks
):
    """The first minutes of a meeting that has started mark it held (a conditional update);
    "held" is what the overview counts, so the counter must move with it."""
    from tests.meetings.conftest import make_meeting
    from trepart.meetings import services as meeting_services

    leader = person_with_role(Role.UNIT_LEADER, world["unit"])
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = make_meeting(leader, world["unit"], day=yesterday)
        item = meeting_services.agenda_item_propose(actor=leader, meeting=meeting, title="Turnus")
    assert meeting.status == Meeting.Status.PLANNED
    before = _token(world["municipality"])
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.item_minutes_save(
            actor=leader,
            item=item,
            revision=item.revision,
            summary="Vi snakket om turnusen.",
            way_forward="Leder lager et forslag.",
        )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert _token(world["municipality"]) != before
