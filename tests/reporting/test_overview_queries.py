"""ARCHITECTURE rule 4: the steering overview's query count is the same for 5 and for 200
units, each with its roles, meetings, inputs, measures, reports and questions (the page and
the Excel file, with and without the service-area filter)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import (
    MunicipalityFactory,
    ServiceAreaFactory,
    UserFactory,
    person_with_role,
    union,
)
from tests.query_counts import assert_same_counts, measure
from trepart.inputs.models import Input, Status
from trepart.measures.models import Measure, Stage
from trepart.meetings.models import Meeting
from trepart.organisation.models import Role, RoleAssignment, UnionPresence, Unit
from trepart.reporting.models import ReportVersion, SteeringQuestion, UnitReport


def _world(n_units: int):
    today = timezone.localdate()
    municipality = MunicipalityFactory(name=f"Teller {n_units} kommune")
    areas = [ServiceAreaFactory(municipality=municipality, name=f"Område {i}") for i in (1, 2)]
    units = Unit.objects.bulk_create(
        Unit(municipality=municipality, service_area=areas[i % 2], name=f"Enhet {i:03}")
        for i in range(n_units)
    )
    politician = person_with_role(Role.POLITICIAN, municipality=municipality)
    leader = UserFactory(municipality=municipality)
    ff = union("Fagforbundet")
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            person=leader,
            municipality=municipality,
            role=role,
            unit=u,
            starts_on=datetime.date(2024, 1, 1),
            **({"union": ff} if role == Role.LOCAL_UNION_REP else {}),
        )
        for u in units
        for role in (Role.UNIT_LEADER, Role.LOCAL_UNION_REP)
    )
    UnionPresence.objects.bulk_create(
        UnionPresence(unit=u, union=union("NSF"), member_count=3) for u in units
    )
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    meetings = []
    for u in units:
        for days in (3, 40, 100, 400):
            at = start - datetime.timedelta(days=days)
            meetings.append(
                Meeting(
                    municipality=municipality,
                    unit=u,
                    title="Møte",
                    kind="development",
                    starts_at=at,
                    ends_at=at + datetime.timedelta(hours=1),
                    status=Meeting.Status.HELD,
                )
            )
    Meeting.objects.bulk_create(meetings)
    inputs = []
    for u in units:
        for days in (2, 20, 200):
            submitted = today - datetime.timedelta(days=days)
            inputs.append(
                Input(
                    municipality=municipality,
                    unit=u,
                    text="x",
                    submitted_on=submitted,
                    status=Status.ANSWERED,
                    status_changed_on=submitted,
                    answer="Svar",
                    answered_on=submitted + datetime.timedelta(days=1),
                )
            )
        inputs.append(
            Input(
                municipality=municipality,
                unit=u,
                text="y",
                submitted_on=today - datetime.timedelta(days=90),
                status_changed_on=today,
            )
        )
    Input.objects.bulk_create(inputs)
    Measure.objects.bulk_create(
        Measure(
            municipality=municipality,
            unit=u,
            title="T",
            stage=stage,
            trial_started_on=today - datetime.timedelta(days=30),
            decided_on=today - datetime.timedelta(days=10) if stage == Stage.DONE else None,
            is_win=stage == Stage.DONE,
            win_marked_on=today - datetime.timedelta(days=5) if stage == Stage.DONE else None,
        )
        for u in units
        for stage in (Stage.IDEA, Stage.IN_TRIAL, Stage.DONE)
    )
    reports = UnitReport.objects.bulk_create(
        UnitReport(
            municipality=municipality,
            unit=u,
            period_start=datetime.date(2025, month, 1),
            period_end=datetime.date(2025, month + 2, 28),
            due_on=datetime.date(2025, month + 2, 28) + datetime.timedelta(days=21),
            status=UnitReport.Status.SENT,
            first_sent_at=start - datetime.timedelta(days=30 * (12 - month)),
        )
        for u in units
        for month in (1, 4)
    )
    ReportVersion.objects.bulk_create(
        ReportVersion(report=r, number=1, content={}) for r in reports
    )
    SteeringQuestion.objects.bulk_create(
        SteeringQuestion(municipality=municipality, unit=u, asked_by=politician, text="?")
        for u in units
    )
    return politician, areas[0]


@pytest.mark.django_db
def test_overview_query_count_does_not_grow_with_units():
    few_user, few_area = _world(5)
    many_user, many_area = _world(200)
    clients = {"few": client_for(few_user), "many": client_for(many_user)}

    def pages(viewer, area):
        return [
            (viewer, "page", "/steering-group/overview/"),
            (viewer, "page filtered", f"/steering-group/overview/?area={area.pk}"),
            (viewer, "xlsx", "/steering-group/overview.xlsx"),
            (viewer, "xlsx filtered", f"/steering-group/overview.xlsx?area={area.pk}"),
        ]

    few = measure(clients, pages("few", few_area))
    many = measure(clients, pages("many", many_area))
    assert_same_counts(
        {page: q for (_v, page), q in few.items()},
        {page: q for (_v, page), q in many.items()},
    )
    # And the page says how many units it counted; issue 14: the unit tables show 50 units
    # a page, so the last unit is on the fourth page.
    body = clients["many"].get("/steering-group/overview/").content.decode()
    assert "Enhet 049" in body and "Enhet 050" not in body
    assert "av 200" in body or "of 200" in body
    body = clients["many"].get("/steering-group/overview/?page=4").content.decode()
    assert "Enhet 199" in body and "Enhet 149" not in body
