"""Issue 14 (P8): the steering overview's vacancy panel is computed once per cached overview
(kept with the municipality object of trepart.reporting.overview_cache, valid while the
municipality's freshness token is unchanged); a new vacancy still shows at once, and the panel
runs a fixed number of queries whatever the number of units."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.continuity.conftest import days
from tests.factories import MunicipalityFactory, ServiceAreaFactory, person_with_role
from trepart.continuity import selectors
from trepart.continuity.contrib_handover import _steering_vacancies_of
from trepart.organisation import services as organisation_services
from trepart.organisation.models import Role, RoleAssignment, Unit

URL = reverse("reporting:overview")


def _panel(page) -> dict:
    return next(p for p in page.context["page_panels"] if "flag_days" in p)


def _seat_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "continuity_handover" in q["sql"]]


def test_a_role_ended_shows_as_vacancy_at_once(world, django_capture_on_commit_callbacks):
    client = client_for(world["politician"])
    before = _panel(client.get(URL))
    with CaptureQueriesContext(connection) as ctx:
        again = _panel(client.get(URL))
    assert not _seat_queries(ctx), "an unchanged overview does not compute the seats again"
    assert again["total"] == before["total"]
    assignment = RoleAssignment.objects.get(person=world["ff_rep"], role=Role.LOCAL_UNION_REP)
    with django_capture_on_commit_callbacks(execute=True):  # as at the commit
        organisation_services.role_end(
            actor=world["admin"], assignment=assignment, ends_on=days(-1)
        )
    after = _panel(client.get(URL))
    assert after["total"] == before["total"] + 1


def test_a_recorded_handover_changes_the_panel_at_once(world, django_capture_on_commit_callbacks):
    """A vacancy whose start is unknown is flagged from the day the product noticed it (the
    handover row): recording one must not leave the cached panel behind."""
    from trepart.continuity import services

    client = client_for(world["politician"])
    RoleAssignment.objects.filter(person=world["ff_rep"]).delete()  # never held: start unknown
    first = _panel(client.get(URL))
    assert not first["long"]
    with django_capture_on_commit_callbacks(execute=True):  # as at the commit
        services.handovers_sync(world["municipality"], on=days(-40))
    assert _panel(client.get(URL))["long"]


def test_figures_are_kept_per_municipality_object_and_day(world, monkeypatch):
    m = world["municipality"]
    first = _steering_vacancies_of(m)
    with CaptureQueriesContext(connection) as ctx:
        assert _steering_vacancies_of(m) is first
    assert not ctx.captured_queries
    monkeypatch.setattr(selectors, "today", lambda: days(1))
    assert _steering_vacancies_of(m) is not first  # a new day is counted again


def _municipality_with_units(n: int):
    m = MunicipalityFactory(name=f"Teller {n} kommune")
    area = ServiceAreaFactory(municipality=m)
    units = Unit.objects.bulk_create(
        Unit(municipality=m, service_area=area, name=f"Enhet {i:03}") for i in range(n)
    )
    for u in units[::2]:
        person_with_role(Role.UNIT_LEADER, u, starts_on=datetime.date(2020, 1, 1))
    return m


def _queries(municipality) -> int:
    with CaptureQueriesContext(connection) as ctx:
        data = selectors.steering_vacancies(municipality.pk)
    assert data["total"] > 0
    return len(ctx.captured_queries)


def test_panel_queries_do_not_grow_with_units(db):
    assert _queries(_municipality_with_units(3)) == _queries(_municipality_with_units(30))
