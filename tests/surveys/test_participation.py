"""R23: participation per quarter, counts only, with suggestions when it is low."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, person_with_role
from tests.surveys.surveys_fixtures import likert_survey, logged_in
from trepart.inputs.models import Input
from trepart.organisation.models import Role
from trepart.surveys import selectors
from trepart.surveys.services import response_submit

pytestmark = pytest.mark.django_db

D = datetime.date


def _input(unit, day):
    return Input.objects.create(
        municipality=unit.municipality,
        unit=unit,
        text="Hemmelig innhold om turnus",
        submitted_on=day,
        status_changed_on=day,
    )


def test_last_quarters():
    quarters = selectors.last_quarters(D(2026, 2, 10))
    assert [(y, q) for y, q, _f, _l in quarters] == [(2025, 2), (2025, 3), (2025, 4), (2026, 1)]
    assert quarters[-1][2:] == (D(2026, 1, 1), D(2026, 3, 31))


def test_counts_per_quarter(unit):
    leader = person_with_role(Role.UNIT_LEADER, unit)
    _input(unit, D(2026, 11, 2))
    _input(unit, D(2026, 8, 2))
    _input(unit, D(2025, 8, 2))  # older than four quarters
    survey = likert_survey(leader, unit)
    q = survey.questions.first()
    response_submit(survey=survey, answers={q.pk: 3}, today=D(2026, 10, 5))
    response_submit(survey=survey, answers={q.pk: 3}, today=D(2026, 10, 6))
    other = UnitFactory(municipality=unit.municipality)
    _input(other, D(2026, 11, 2))
    data = selectors.participation(unit, D(2026, 11, 20))
    # P7: two survey answers in Q4 are below the threshold (5): not given, only "fewer than".
    assert [(r["label"], r["inputs"], r["answers"]) for r in data["rows"]] == [
        ("Q1 2026", 0, 0),
        ("Q2 2026", 0, 0),
        ("Q3 2026", 1, 0),
        ("Q4 2026", 1, None),
    ]
    assert [r["answers_below"] for r in data["rows"]] == [False, False, False, True]
    assert data["chart"]["series"][1]["data"] == [0, 0, 0, None]
    assert data["low"] is True
    for i in range(3):
        response_submit(survey=survey, answers={q.pk: 3}, today=D(2026, 10, 7 + i))
    data = selectors.participation(unit, D(2026, 11, 20))
    assert data["rows"][-1]["answers"] == 5 and data["rows"][-1]["answers_below"] is False


def test_answers_below_the_threshold_are_not_counted_on_the_pages(unit, employee):
    """P7: the only survey of the quarter had 4 answers: every member of staff at the unit sees
    participation, and must not learn the 4 that the results page hides."""
    leader = person_with_role(Role.UNIT_LEADER, unit)
    survey = likert_survey(leader, unit)
    q = survey.questions.first()
    for _i in range(4):
        response_submit(survey=survey, answers={q.pk: 3})
    client = logged_in(employee)
    for url in (
        reverse("surveys:participation", args=[unit.pk]),
        reverse("organisation:unit_detail", args=[unit.pk]),
    ):
        body = client.get(url).content.decode()
        assert "fewer than 5" in body
        assert '<td class="num">4</td>' not in body
    body = client.get(reverse("surveys:participation", args=[unit.pk])).content.decode()
    assert "4]" not in body and "4, " not in body.split('"participation-chart"')[1][:400]


def test_page_shows_counts_and_no_content(unit, employee):
    _input(unit, datetime.date.today())
    body = (
        logged_in(employee).get(reverse("surveys:participation", args=[unit.pk])).content.decode()
    )
    assert "Hemmelig innhold" not in body
    assert "staff meeting" in body  # suggestions when low
    assert '"series"' in body  # chart data next to the table


def test_unit_page_panel(unit, employee):
    body = (
        logged_in(employee)
        .get(reverse("organisation:unit_detail", args=[unit.pk]))
        .content.decode()
    )
    assert "Participation" in body and f"/units/{unit.pk}/participation/" in body
