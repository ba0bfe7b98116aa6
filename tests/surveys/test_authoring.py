"""Making and running a staff survey (P7; R17, R22, R25): templates, editing questions until
the first answer, opening and closing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import person_with_role
from tests.surveys.surveys_fixtures import answer, logged_in, make_survey, trial
from trepart.measures.models import Stage
from trepart.organisation.models import Role
from trepart.surveys import services_surveys as authoring
from trepart.surveys.models import Question, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(unit):
    return person_with_role(Role.UNIT_LEADER, unit)


def test_work_on_template_r17(unit, leader):
    """R17: ask all staff what the group should work on: a choice of themes and free text."""
    client = logged_in(leader)
    response = client.post(
        reverse("surveys:survey_create"), {"kind": "work_on", "scope": unit.pk, "audience": "link"}
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and response.url == f"/surveys/{survey.pk}/"
    kinds = list(survey.questions.values_list("kind", flat=True))
    assert kinds == ["choice", "text", "text"]
    assert survey.status == "draft" and survey.unit == unit and survey.created_by == leader


def test_trial_evaluation_linked_to_measure_r25(unit, leader):
    measure = trial(unit, leader)
    client = logged_in(leader)
    page = client.get(reverse("surveys:survey_create") + f"?measure={measure.pk}")
    assert (
        'value="trial_evaluation" id' in page.content.decode() or "checked" in page.content.decode()
    )
    response = client.post(
        reverse("surveys:survey_create"),
        {"kind": "trial_evaluation", "scope": unit.pk, "measure": measure.pk, "audience": "staff"},
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.measure == measure and survey.unit == unit
    assert "Færre vakter" in survey.intro  # the success criteria
    assert survey.questions.filter(kind="likert").count() == 3


def test_trial_evaluation_needs_a_running_trial(unit, leader):
    measure = trial(unit, leader)
    measure.stage = Stage.IDEA
    measure.save()
    response = logged_in(leader).post(
        reverse("surveys:survey_create"),
        {"kind": "trial_evaluation", "scope": unit.pk, "measure": measure.pk, "audience": "link"},
    )
    assert response.status_code == 400 and not Survey.objects.exists()
    response = logged_in(leader).post(
        reverse("surveys:survey_create"),
        {"kind": "trial_evaluation", "scope": unit.pk, "audience": "link"},
    )
    assert response.status_code == 400 and "Choose the trial" in response.content.decode()


def test_staff_pulse_and_blank(unit, leader):
    pulse = authoring.survey_create(actor=leader, kind="staff_pulse", unit=unit, audience="link")
    assert pulse.questions.filter(kind="likert").count() == 4
    blank = authoring.survey_create(actor=leader, kind="other", unit=unit, audience="link")
    assert not blank.questions.exists()
    with pytest.raises(ValidationError):
        authoring.survey_open(actor=leader, survey=blank)


def test_edit_questions_until_first_answer(unit, leader):
    survey = authoring.survey_create(actor=leader, kind="other", unit=unit, audience="link")
    client = logged_in(leader)
    add = reverse("surveys:question_add", args=[survey.pk])
    bad = client.post(
        add, {"new-kind": "choice", "new-text": "Hvilken dag?", "new-choices": "Mandag"}
    )
    assert bad.status_code == 400 and "at least two choices" in bad.content.decode()
    assert "Hvilken dag?" in bad.content.decode()  # what was typed is kept
    ok = client.post(
        add, {"new-kind": "choice", "new-text": "Hvilken dag?", "new-choices": "Mandag\nTirsdag\n"}
    )
    assert ok.status_code == 302
    q = Question.objects.get()
    assert q.choices == ["Mandag", "Tirsdag"]
    edit = reverse("surveys:question_edit", args=[survey.pk, q.pk])
    assert client.post(edit, {f"q{q.pk}-kind": "text", f"q{q.pk}-text": "Hva?"}).status_code == 302
    q.refresh_from_db()
    assert q.kind == "text" and q.choices == []
    status = reverse("surveys:survey_status", args=[survey.pk])
    assert client.post(status, {"action": "open"}).status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"
    answer(survey, 1)
    # After the first answer the questions cannot change.
    client.post(edit, {f"q{q.pk}-kind": "likert", f"q{q.pk}-text": "Endret"})
    client.post(add, {"new-kind": "text", "new-text": "Ny"})
    client.post(edit, {"delete": "1"})
    assert list(Question.objects.values_list("text", "kind")) == [("Hva?", "text")]
    assert (
        "cannot change after the first answer"
        in client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
    )
    assert client.post(status, {"action": "close"}).status_code == 302
    survey.refresh_from_db()
    assert survey.status == "closed"


def test_dates_checked_and_kept(unit, leader):
    survey = make_survey(leader, unit)
    response = logged_in(leader).post(
        reverse("surveys:survey_detail", args=[survey.pk]),
        {
            "title": "Ny tittel",
            "intro": "",
            "audience": "link",
            "opens_on": "2026-12-10",
            "closes_on": "2026-12-01",
        },
    )
    assert response.status_code == 400
    assert "must close after it opens" in response.content.decode()
    assert "Ny tittel" in response.content.decode()


def test_odd_status_action(unit, leader):
    survey = make_survey(leader, unit)
    response = logged_in(leader).post(
        reverse("surveys:survey_status", args=[survey.pk]), {"action": "<script>"}
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"


def test_measure_page_offers_an_evaluation_survey_while_in_trial(unit, leader, employee):
    measure = trial(unit, leader)
    url = reverse("measures:measure_detail", args=[measure.pk])
    start = f"/surveys/new/?measure={measure.pk}&amp;kind=trial_evaluation"
    assert start in logged_in(leader).get(url).content.decode()
    assert start not in logged_in(employee).get(url).content.decode()
    survey = make_survey(leader, unit, Survey.Kind.TRIAL_EVALUATION, measure=measure)
    body = logged_in(leader).get(url).content.decode()
    assert start not in body and survey.title in body  # one running evaluation at a time
    body = logged_in(employee).get(url).content.decode()
    assert f"/surveys/{survey.pk}/answer/" in body


def test_the_service_refuses_an_unknown_kind_of_question(unit, leader):
    """The form offers three kinds; the service refuses any other from any caller (it stored
    an unknown kind silently before)."""
    survey = authoring.survey_create(
        actor=leader, kind=Survey.Kind.OTHER, unit=unit, audience=Survey.Audience.STAFF
    )
    with pytest.raises(ValidationError) as refusal:
        authoring.question_add(
            actor=leader, survey=survey, kind="single", text="Hvordan går det?", choices=[]
        )
    assert "kind" in refusal.value.message_dict
    assert not survey.questions.exists()
