"""P7 (KS practice): nothing below the threshold — not on the results page, in the charts'
data, the free text, the breakdown by unit, the measure panel or the Excel export; the
threshold can never be set below 3."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import UnitFactory, person_with_role
from tests.surveys.surveys_fixtures import answer, likert_survey, logged_in, make_survey, trial
from trepart.organisation.models import Role
from trepart.surveys import selectors
from trepart.surveys.forms import SurveySettingsForm
from trepart.surveys.models import Survey, SurveySettings

pytestmark = pytest.mark.django_db

SECRET = "Avdelingsleder Hansen er urettferdig"


@pytest.fixture
def leader(unit):
    return person_with_role(Role.UNIT_LEADER, unit)


def _results(client, survey):
    return client.get(reverse("surveys:survey_results", args=[survey.pk]))


def _xlsx_text(client, survey) -> str:
    response = client.get(reverse("surveys:survey_export", args=[survey.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return "\n".join(
        " ".join(str(c) for c in row if c is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def test_four_answers_show_nothing(unit, leader):
    survey = likert_survey(leader, unit)
    answer(survey, 4, text=SECRET)
    client = logged_in(leader)
    body = _results(client, survey).content.decode()
    assert "Too few answers yet: results are shown from 5 answers." in body
    assert SECRET not in body
    assert "<canvas" not in body and "survey-chart-" not in body
    assert "4 answers" not in body and ">4<" not in body
    text = _xlsx_text(client, survey)  # workbooks are in bokmål or nynorsk, like the overview's
    assert (
        "For få svar ennå" in text
        and SECRET not in text
        and "Svar\t" not in text
        and "\nSvar " not in text
    )
    data = selectors.survey_results(survey)
    assert data["shown"] is False and set(data) == {"survey", "threshold", "shown"}


def test_five_answers_show_charts_tables_and_free_text(unit, leader):
    survey = likert_survey(leader, unit)
    answer(survey, 5, text=SECRET)
    client = logged_in(leader)
    body = _results(client, survey).content.decode()
    assert "Too few answers yet" not in body
    assert body.count("<canvas") == 4  # the four Likert questions
    assert SECRET in body
    q = survey.questions.filter(kind="likert").first()
    start = body.index(f'id="survey-chart-{q.pk}"')
    chart = json.loads(body[body.index(">", start) + 1 : body.index("</script>", start)])
    assert chart["series"][0]["data"] == [0, 0, 0, 5, 0]
    assert SECRET not in _xlsx_text(client, survey)  # free text is never exported
    assert "5" in _xlsx_text(client, survey)


def test_free_text_has_no_date_and_its_own_threshold(unit, leader):
    survey = likert_survey(leader, unit)
    answer(survey, 5, text="")  # five answers, nobody wrote free text …
    answer(survey, 2, text=SECRET)  # … then two did: fewer than five texts
    body = _results(logged_in(leader), survey).content.decode()
    assert SECRET not in body
    assert "Too few answers to this question" in body


def test_optional_question_below_threshold_is_hidden(unit, leader):
    survey = make_survey(leader, unit, Survey.Kind.TRIAL_EVALUATION, measure=trial(unit, leader))
    from trepart.surveys.services import response_submit

    likert = list(survey.questions.filter(kind="likert"))
    for i in range(6):
        answers = {likert[0].pk: 4}
        if i < 2:
            answers[likert[1].pk] = 1
        response_submit(survey=survey, answers=answers)
    data = selectors.survey_results(survey)
    by_q = {it["question"].pk: it for it in data["items"]}
    assert by_q[likert[0].pk]["shown"] and not by_q[likert[1].pk]["shown"]
    assert "rows" not in by_q[likert[1].pk] and "chart" not in by_q[likert[1].pk]


def test_raised_threshold_applies(unit, leader):
    SurveySettings.objects.create(municipality=unit.municipality, threshold=8)
    survey = likert_survey(leader, unit)
    answer(survey, 7)
    assert (
        "results are shown from 8 answers" in _results(logged_in(leader), survey).content.decode()
    )


# --- breakdown by unit (surveys for the whole municipality) ----------------------------------


def _municipal(admin_user, sizes: dict):
    survey = likert_survey(admin_user, None)
    units = {}
    for name, n in sizes.items():
        units[name] = UnitFactory(municipality=admin_user.municipality, name=name)
        answer(survey, n, unit=units[name])
    return survey


def _rows(survey):
    data = selectors.survey_results(survey)
    return (
        None
        if data["breakdown"] is None
        else {r["label"]: r["answers"] for r in data["breakdown"]["rows"]}
    )


def test_breakdown_merges_small_units_into_other(admin_user):
    survey = _municipal(admin_user, {"Alfa": 6, "Beta": 7, "Gamma": 3, "Delta": 2})
    assert _rows(survey) == {"Beta": 7, "Alfa": 6, "Other units": 5}


def test_breakdown_never_allows_subtraction(admin_user):
    """Alfa 6, Beta 7, Gamma 2: "Other units" would be 2 — below the threshold. Showing the total
    (15) with Alfa and Beta would reveal Gamma by subtraction, so the smallest shown unit is
    merged in as well: Beta 7, Other units 8."""
    survey = _municipal(admin_user, {"Alfa": 6, "Beta": 7, "Gamma": 2})
    rows = _rows(survey)
    assert rows == {"Beta": 7, "Other units": 8}
    assert sum(rows.values()) == 15  # every answer is in a shown group


def test_breakdown_hidden_when_it_would_be_the_total_again(admin_user):
    survey = _municipal(admin_user, {"Alfa": 6, "Gamma": 2})
    assert _rows(survey) is None


def test_breakdown_absent_below_threshold_everywhere(admin_user):
    survey = _municipal(admin_user, {"Alfa": 2, "Beta": 2})
    data = selectors.survey_results(survey)
    assert data["shown"] is False and "breakdown" not in data
    body = _results(logged_in(admin_user), survey).content.decode()
    assert "Alfa" not in body and "By unit" not in body


def test_breakdown_in_page_and_export(admin_user):
    survey = _municipal(admin_user, {"Alfa": 6, "Beta": 5, "Gamma": 1})
    # Gamma (1) is merged with the smallest shown unit (Beta, 5): Other units 6.
    client = logged_in(admin_user)
    body = _results(client, survey).content.decode()
    assert "Gamma" not in body and "Other units" in body
    text = _xlsx_text(client, survey)
    assert "Gamma" not in text and "Beta" not in text and "Alfa" in text


def test_breakdown_average_hidden_when_a_group_is_small_for_that_question(admin_user):
    from trepart.surveys.services import response_submit

    survey = likert_survey(admin_user, None)
    q1, q2 = list(survey.questions.filter(kind="likert"))[:2]
    a = UnitFactory(municipality=admin_user.municipality, name="Alfa")
    b = UnitFactory(municipality=admin_user.municipality, name="Beta")
    for unit in (a, b):
        for i in range(5):
            answers = {q1.pk: 4}
            if unit == a or i < 2:
                answers[q2.pk] = 2
            response_submit(survey=survey, answers=answers, unit=unit)
    breakdown = selectors.survey_results(survey)["breakdown"]
    assert [q.pk for q in breakdown["columns"]] == [q1.pk]


# --- the floor --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 1, 2])
def test_threshold_never_below_three_in_form(value):
    form = SurveySettingsForm({"threshold": value})
    assert not form.is_valid()
    assert "never be lower than 3" in form.errors["threshold"][0]


def test_threshold_three_is_accepted():
    assert SurveySettingsForm({"threshold": 3}).is_valid()


def test_threshold_never_below_three_in_model(municipality):
    with pytest.raises(ValidationError):
        SurveySettings(municipality=municipality, threshold=2).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveySettings.objects.create(municipality=municipality, threshold=2)


def test_settings_page_refuses_two_and_keeps_it(admin_user):
    client = logged_in(admin_user)
    response = client.post(reverse("surveys:survey_settings"), {"threshold": "2"})
    assert response.status_code == 400
    assert "never be lower than 3" in response.content.decode()
    assert 'value="2"' in response.content.decode()
    assert not SurveySettings.objects.exists()
    assert client.post(reverse("surveys:survey_settings"), {"threshold": "6"}).status_code == 302
    assert SurveySettings.objects.get().threshold == 6


def test_measure_panel_respects_threshold(unit, leader):
    measure = trial(unit, leader)
    survey = make_survey(leader, unit, Survey.Kind.TRIAL_EVALUATION, measure=measure)
    answer(survey, 4)
    client = logged_in(leader)
    body = client.get(reverse("measures:measure_detail", args=[measure.pk])).content.decode()
    assert "Too few answers yet" in body and "Average" not in body
    answer(survey, 1)
    body = client.get(reverse("measures:measure_detail", args=[measure.pk])).content.decode()
    assert "Average: 4.0 of 5" in body or "Average: 4,0 of 5" in body
