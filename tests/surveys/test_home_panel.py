"""Staff find the surveys they can answer on their home page (R23: the channel must be easy to
find); a survey they answered, a draft, or another unit's survey is not offered."""

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, person_with_role
from tests.query_counts import assert_same_counts, measure
from tests.surveys.surveys_fixtures import answer, likert_survey, logged_in, make_survey
from trepart.organisation.models import Role
from trepart.surveys import services_surveys as authoring
from trepart.surveys.models import Survey

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture
def leader(unit):
    return person_with_role(Role.UNIT_LEADER, unit)


def test_employee_sees_an_open_staff_survey_until_answering_it(unit, leader, employee):
    survey = likert_survey(leader, unit, audience="staff")
    page = logged_in(employee).get(HOME).content.decode()
    assert reverse("surveys:survey_answer", args=[survey.pk]) in page
    answer(survey, 1, person=employee)
    page = logged_in(employee).get(HOME).content.decode()
    assert reverse("surveys:survey_answer", args=[survey.pk]) not in page


def test_anonymous_link_survey_is_offered_through_its_link(unit, leader, employee):
    survey = make_survey(leader, unit, audience="link")
    page = logged_in(employee).get(HOME).content.decode()
    assert reverse("surveys:survey_answer_link", args=[survey.token]) in page


def test_drafts_closed_and_other_units_surveys_are_not_offered(unit, leader, employee):
    draft = authoring.survey_create(
        actor=leader, kind=Survey.Kind.STAFF_PULSE, unit=unit, audience="staff"
    )
    closed = likert_survey(leader, unit, audience="staff")
    authoring.survey_close(actor=leader, survey=closed)
    other = UnitFactory(municipality=unit.municipality)
    elsewhere = likert_survey(person_with_role(Role.UNIT_LEADER, other), other, audience="staff")
    page = logged_in(employee).get(HOME).content.decode()
    for survey in (draft, closed, elsewhere):
        assert reverse("surveys:survey_answer", args=[survey.pk]) not in page


def test_home_panel_queries_do_not_grow_with_surveys(unit, leader, employee):
    likert_survey(leader, unit, audience="staff")
    clients = {"employee": logged_in(employee)}
    pages = [("employee", "home", HOME)]
    few = measure(clients, pages)
    for _ in range(4):
        answer(likert_survey(leader, unit, audience="staff"), 1, person=employee)
        likert_survey(leader, unit, audience="staff")
        make_survey(leader, unit, audience="link")
    assert_same_counts(few, measure(clients, pages))
