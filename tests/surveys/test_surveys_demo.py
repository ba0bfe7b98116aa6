"""The demo surveys (P7): at Fjordtun, one with results shown and a trial evaluation below the
threshold; idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from trepart.demo import surveys as demo_surveys
from trepart.organisation.models import Municipality
from trepart.surveys import selectors
from trepart.surveys.models import Respondent, Survey

pytestmark = pytest.mark.django_db


def test_demo_surveys():
    call_command("load_demo", stdout=io.StringIO())
    fjordvik = Municipality.objects.get(name="Fjordvik kommune")
    made = demo_surveys.load(fjordvik)
    assert made in (0, 2)  # 0 once load_demo calls it itself
    assert demo_surveys.load(fjordvik) == 0
    work_on = Survey.objects.get(kind=Survey.Kind.WORK_ON, unit__name="Fjordtun sykehjem")
    evaluation = Survey.objects.get(kind=Survey.Kind.TRIAL_EVALUATION)
    assert selectors.survey_results(work_on)["shown"] is True
    assert work_on.responses.count() >= 5 and not Respondent.objects.filter(survey=work_on)
    assert evaluation.measure.title == "Langvakter i helg"
    assert 3 <= evaluation.responses.count() <= 4
    assert evaluation.respondents.count() == evaluation.responses.count()
    assert selectors.survey_results(evaluation)["shown"] is False
