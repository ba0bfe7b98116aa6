"""Reads have a fixed number of queries (ARCHITECTURE rule 4): the survey list, the results
page, the participation page and the unit and measure pages' panels do not grow with the
number of surveys, questions' answers or units."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role
from tests.query_counts import assert_same_counts, measure
from tests.surveys.surveys_fixtures import answer, likert_survey, make_survey, trial
from trepart.organisation.models import Role
from trepart.surveys.models import Survey

pytestmark = pytest.mark.django_db


def _pages(unit, survey, municipal, measure_):
    return [
        ("leader", "list", reverse("surveys:survey_list")),
        ("employee", "list", reverse("surveys:survey_list")),
        ("leader", "results", reverse("surveys:survey_results", args=[survey.pk])),
        ("admin", "results_municipal", reverse("surveys:survey_results", args=[municipal.pk])),
        ("leader", "detail", reverse("surveys:survey_detail", args=[survey.pk])),
        ("leader", "participation", reverse("surveys:participation", args=[unit.pk])),
        ("leader", "measure", reverse("measures:measure_detail", args=[measure_.pk])),
        ("leader", "unit", reverse("organisation:unit_detail", args=[unit.pk])),
    ]


def test_query_counts_do_not_grow(unit, admin_user):
    leader = person_with_role(Role.UNIT_LEADER, unit)
    employee = person_with_role(Role.EMPLOYEE, unit)
    clients = {
        "leader": client_for(leader),
        "employee": client_for(employee),
        "admin": client_for(admin_user),
    }
    survey = likert_survey(leader, unit)
    answer(survey, 5)
    municipal = likert_survey(admin_user, None)
    a = UnitFactory(municipality=unit.municipality, name="Alfa")
    answer(municipal, 5, unit=a)
    answer(municipal, 5, unit=unit)
    measure_ = trial(unit, leader)
    evaluation = make_survey(leader, unit, Survey.Kind.TRIAL_EVALUATION, measure=measure_)
    answer(evaluation, 5)
    few = measure(clients, _pages(unit, survey, municipal, measure_))

    for _i in range(4):
        more = likert_survey(leader, unit)
        answer(more, 6)
        answer(make_survey(leader, unit, Survey.Kind.TRIAL_EVALUATION, measure=measure_), 7)
    answer(survey, 20, text="Mer tid")
    for name in ("Beta", "Gamma", "Delta"):
        answer(municipal, 6, unit=UnitFactory(municipality=unit.municipality, name=name))
    answer(evaluation, 10)
    many = measure(clients, _pages(unit, survey, municipal, measure_))
    assert_same_counts(few, many)
