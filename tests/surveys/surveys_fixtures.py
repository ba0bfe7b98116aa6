"""Shared by the staff-survey tests (P7): people at a unit, surveys with answers."""

from __future__ import annotations

import datetime

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role
from trepart.measures.models import Measure, Stage
from trepart.organisation.models import Role
from trepart.surveys import services_surveys as authoring
from trepart.surveys.models import Question, Survey
from trepart.surveys.services import response_submit

TODAY = datetime.date(2026, 11, 20)


logged_in = client_for  # a client logged in as the user


def make_survey(actor, unit=None, kind=Survey.Kind.WORK_ON, audience="link", measure=None):
    survey = authoring.survey_create(
        actor=actor, kind=kind, unit=unit, measure=measure, audience=audience
    )
    authoring.survey_open(actor=actor, survey=survey)
    survey.refresh_from_db()
    return survey


def likert_survey(actor, unit=None, audience="link") -> Survey:
    """A staff pulse: four Likert questions and one free text."""
    return make_survey(actor, unit, Survey.Kind.STAFF_PULSE, audience)


def answer(survey, n, *, unit=None, value=4, text="Mer tid til opplæring", person=None):
    """n answers to every question (Likert `value`, first choice, the text)."""
    for _i in range(n):
        answers = {}
        for q in survey.questions.all():
            if q.kind == Question.Kind.LIKERT:
                answers[q.pk] = value
            elif q.kind == Question.Kind.CHOICE:
                answers[q.pk] = 0
            else:
                answers[q.pk] = text
        response_submit(survey=survey, answers=answers, unit=unit, person=person)


def trial(unit, leader, title="Faste turnusgrupper") -> Measure:
    return Measure.objects.create(
        municipality=unit.municipality,
        unit=unit,
        title=title,
        stage=Stage.IN_TRIAL,
        created_by=leader,
        success_criteria="Færre vakter byttes på kort varsel.",
        trial_started_on=datetime.date(2026, 6, 1),
        trial_ends_on=datetime.date(2026, 12, 1),
    )


def second_unit(municipality, name="Lia barnehage"):
    return UnitFactory(municipality=municipality, name=name)


def leader_of(unit):
    return person_with_role(Role.UNIT_LEADER, unit)


def close(survey) -> Survey:
    """P7: results are shown only once a survey has ended; close it (as its runner would)."""
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    survey.refresh_from_db()
    return survey
