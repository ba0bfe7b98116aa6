"""P7 (KS practice): nothing below the threshold — not on the results page, in the charts'
data, the free text, the breakdown by unit, the measure panel or the Excel export; the
threshold can never be set below 3."""

from __future__ import annotations

import datetime
import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import UnitFactory, give_role, person_with_role
from tests.surveys.surveys_fixtures import (
    answer,
    close,
    likert_survey,
    logged_in,
    make_survey,
    trial,
)
from trepart.organisation.models import Role, RoleAssignment
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
    close(survey)
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
    assert data["shown"] is False and set(data) == {"survey", "threshold", "ended", "shown"}


def test_five_answers_show_charts_tables_and_free_text(unit, leader):
    survey = likert_survey(leader, unit)
    answer(survey, 5, text=SECRET)
    close(survey)
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
    close(survey)
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
    data = selectors.survey_results(close(survey))
    by_q = {it["question"].pk: it for it in data["items"]}
    assert by_q[likert[0].pk]["shown"] and not by_q[likert[1].pk]["shown"]
    assert "rows" not in by_q[likert[1].pk] and "chart" not in by_q[likert[1].pk]


def test_raised_threshold_applies(unit, leader):
    SurveySettings.objects.create(municipality=unit.municipality, threshold=8)
    survey = likert_survey(leader, unit)
    answer(survey, 7)
    close(survey)
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
    return close(survey)


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
    breakdown = selectors.survey_results(close(survey))["breakdown"]
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
    url = reverse("measures:measure_detail", args=[measure.pk])
    body = client.get(url).content.decode()
    assert "The survey is open. Results are shown when it closes" in body
    assert "Average" not in body and "Too few answers yet" not in body
    answer(survey, 1)
    body = client.get(url).content.decode()  # enough answers, but still open: nothing
    assert "The survey is open. Results are shown when it closes" in body
    assert "Average:" not in body and ">5 answers.</p>" not in body
    close(survey)
    body = client.get(url).content.decode()
    assert "Average: 4.0 of 5" in body or "Average: 4,0 of 5" in body


def test_measure_panel_closed_below_threshold(unit, leader):
    measure = trial(unit, leader)
    survey = make_survey(leader, unit, Survey.Kind.TRIAL_EVALUATION, measure=measure)
    answer(survey, 4)
    close(survey)
    body = logged_in(leader).get(reverse("measures:measure_detail", args=[measure.pk]))
    body = body.content.decode()
    assert "Too few answers yet" in body and "Average" not in body


# --- results only once the survey has ended ----------------------------------------------------


def test_open_survey_shows_nothing_even_above_the_threshold(unit, leader):
    """P7: while answers can still come in, a reader who reloads as a colleague answers could
    tell that colleague's answer from the difference: nothing is shown, not even the count."""
    survey = likert_survey(leader, unit)
    answer(survey, 7, text=SECRET)
    client = logged_in(leader)
    body = _results(client, survey).content.decode()
    assert "The survey is open. Results are shown when it closes — from 5 answers." in body
    assert SECRET not in body and "<canvas" not in body and "7 answers" not in body
    assert "Too few answers yet" not in body  # not even whether the threshold is met
    # Those who run it are told how to get the results, with a link to the survey's page.
    assert reverse("surveys:survey_detail", args=[survey.pk]) in body
    assert "Go to the survey to close it" in body
    text = _xlsx_text(client, survey)
    # (nb once the translations are in; the English text until then)
    assert "Undersøkelsen er åpen" in text or "The survey is open." in text
    assert SECRET not in text and "\nSvar 7" not in text and "\nAnswers 7" not in text
    data = selectors.survey_results(survey)
    assert data == {"survey": survey, "threshold": 5, "ended": False, "shown": False}
    # The survey list does not link the results while it runs.
    listing = client.get(reverse("surveys:survey_list")).content.decode()
    assert reverse("surveys:survey_results", args=[survey.pk]) not in listing
    close(survey)
    body = _results(client, survey).content.decode()
    assert SECRET in body and "7 answers" in body


def test_survey_past_its_closing_date_has_ended(unit, leader):
    survey = likert_survey(leader, unit)
    answer(survey, 5)
    today = datetime.date(2026, 11, 20)
    Survey.objects.filter(pk=survey.pk).update(closes_on=today)
    survey.refresh_from_db()
    assert selectors.survey_results(survey, today=today)["shown"] is False
    assert selectors.survey_results(survey, today=today)["ended"] is False
    later = selectors.survey_results(survey, today=today + datetime.timedelta(days=1))
    assert later["ended"] is True and later["shown"] is True and later["total"] == 5


def test_results_reader_who_cannot_run_sees_no_close_link(unit, leader):
    """The maker who is no longer in the party group reads results but cannot close."""
    survey = likert_survey(leader, unit)
    RoleAssignment.objects.filter(person=leader).delete()
    give_role(leader, Role.EMPLOYEE, unit)
    body = _results(logged_in(leader), survey).content.decode()
    assert "The survey is open" in body
    assert f'href="{reverse("surveys:survey_detail", args=[survey.pk])}"' not in body
    assert "Go to the survey to close it" not in body


def test_closing_date_cannot_be_moved_once_results_are_shown(unit, leader):
    """P7: past its closing date with enough answers, the results have been shown; moving the
    date would reopen the survey and let a reader compare before and after a few answers."""
    survey = likert_survey(leader, unit)
    answer(survey, 5)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    Survey.objects.filter(pk=survey.pk).update(closes_on=yesterday)
    survey.refresh_from_db()
    client = logged_in(leader)
    data = {"title": survey.title, "intro": "", "audience": survey.audience, "opens_on": ""}
    url = reverse("surveys:survey_detail", args=[survey.pk])
    response = client.post(url, {**data, "closes_on": ""})
    assert response.status_code == 400
    assert "can no longer be moved" in response.content.decode()
    survey.refresh_from_db()
    assert survey.closes_on == yesterday
    # Below the threshold nothing was shown: the date may still be moved.
    low = likert_survey(leader, unit)
    answer(low, 4)
    Survey.objects.filter(pk=low.pk).update(closes_on=yesterday)
    url = reverse("surveys:survey_detail", args=[low.pk])
    assert client.post(url, {**data, "title": low.title, "closes_on": ""}).status_code == 302
