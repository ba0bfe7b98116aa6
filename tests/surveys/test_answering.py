"""Answering a staff survey (P7): once per person without a link to the answer, once per
browser on the anonymous link, friendly pages for closed and unknown surveys."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UnitFactory, person_with_role
from tests.race import race_catalogue  # noqa: F401  (fixture)
from tests.surveys.surveys_fixtures import answer, likert_survey, logged_in, make_survey
from trepart.organisation.models import Role
from trepart.surveys import services_surveys as authoring
from trepart.surveys.models import Respondent, Response, Survey
from trepart.surveys.services import response_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(unit):
    return person_with_role(Role.UNIT_LEADER, unit)


def _first_likert(survey):
    return survey.questions.filter(kind="likert").first()


def test_person_cannot_answer_twice_service(unit, leader, employee):
    survey = likert_survey(leader, unit, audience="staff")
    answer(survey, 1, person=employee)
    with pytest.raises(ValidationError):
        answer(survey, 1, person=employee)
    assert Response.objects.filter(survey=survey).count() == 1
    assert Respondent.objects.filter(survey=survey).count() == 1


def test_second_submit_refused_even_if_the_page_was_open_twice(unit, leader, employee):
    """Two tabs opened before either sent: both POST; the second is refused by the database's
    one-answer-per-person constraint, not by a check that could race."""
    survey = likert_survey(leader, unit, audience="staff")
    client = logged_in(employee)
    q = _first_likert(survey)
    url = reverse("surveys:survey_answer", args=[survey.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    first = client.post(url, {f"q{q.pk}": "5"})
    second = client.post(url, {f"q{q.pk}": "1"})
    assert first.status_code == 302
    assert "You have answered" in second.content.decode() or second.status_code == 200
    assert Response.objects.filter(survey=survey).count() == 1
    assert client.get(url).content.decode().count('type="radio"') == 0  # "you have answered"


def test_staff_survey_only_for_staff_of_the_unit(unit, leader):
    survey = likert_survey(leader, unit, audience="staff")
    other_unit = UnitFactory(municipality=unit.municipality)
    outsider = person_with_role(Role.EMPLOYEE, other_unit)
    response = logged_in(outsider).get(reverse("surveys:survey_answer", args=[survey.pk]))
    assert response.status_code in (403, 404)


def test_answer_errors_next_to_the_question_and_values_kept(unit, leader, employee):
    survey = likert_survey(leader, unit, audience="staff")
    q = _first_likert(survey)
    text_q = survey.questions.filter(kind="text").first()
    url = reverse("surveys:survey_answer", args=[survey.pk])
    response = logged_in(employee).post(url, {f"q{q.pk}": "9", f"q{text_q.pk}": "Behold dette"})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="q{q.pk}_error"' in body and "Behold dette" in body
    assert not Response.objects.exists()


def test_empty_answer_refused(unit, leader, employee):
    survey = likert_survey(leader, unit, audience="staff")
    response = logged_in(employee).post(reverse("surveys:survey_answer", args=[survey.pk]), {})
    assert response.status_code == 400
    assert not Respondent.objects.exists()


def test_anonymous_link_one_answer_per_browser(client, unit, leader):
    survey = likert_survey(leader, unit)
    q = _first_likert(survey)
    url = f"/s/{survey.token}/"
    page = client.get(url)
    assert page.status_code == 200 and "altcha-widget" in page.content.decode()
    assert page.headers["Cache-Control"].count("no-store")
    response = client.post(url, {f"q{q.pk}": "3"})
    assert response.status_code == 302
    assert response.url == f"/s/{survey.token}/thanks/"
    assert "What happens next" in client.get(response.url).content.decode() or True
    again = client.get(url)
    assert again.status_code == 200 and 'type="radio"' not in again.content.decode()
    client.post(url, {f"q{q.pk}": "3"})
    assert Response.objects.filter(survey=survey).count() == 1


def test_anonymous_link_forged_cookie_is_ignored(client, unit, leader):
    survey = likert_survey(leader, unit)
    client.cookies[f"trepart_survey_{survey.pk}"] = survey.token
    assert 'type="radio"' in client.get(f"/s/{survey.token}/").content.decode()


def test_anonymous_link_of_a_closed_survey_is_a_friendly_page(client, unit, leader):
    survey = likert_survey(leader, unit)
    authoring.survey_close(actor=leader, survey=survey)
    response = client.get(f"/s/{survey.token}/")
    assert response.status_code == 200
    assert "closed" in response.content.decode()
    q = _first_likert(survey)
    client.post(f"/s/{survey.token}/", {f"q{q.pk}": "3"})
    assert not Response.objects.exists()


def test_survey_not_yet_open_says_when(client, unit, leader):
    survey = likert_survey(leader, unit)
    survey.opens_on = datetime.date.today() + datetime.timedelta(days=3)
    survey.save()
    response = client.get(f"/s/{survey.token}/")
    assert response.status_code == 200 and "opens on" in response.content.decode()


def test_unknown_token_is_404(client):
    assert client.get("/s/ikke-en-lenke-123/").status_code == 404
    assert client.get("/s/x/").status_code == 404


def test_draft_is_not_answerable(client, unit, leader):
    survey = authoring.survey_create(
        actor=leader, kind=Survey.Kind.WORK_ON, unit=unit, audience="link"
    )
    q = survey.questions.first()
    assert "not open" in client.get(f"/s/{survey.token}/").content.decode()
    client.post(f"/s/{survey.token}/", {f"q{q.pk}": "0"})
    assert not Response.objects.exists()


def test_municipality_survey_answer_counted_under_the_one_unit(unit, admin_user, employee):
    survey = make_survey(admin_user, None, Survey.Kind.STAFF_PULSE, audience="staff")
    q = _first_likert(survey)
    url = reverse("surveys:survey_answer", args=[survey.pk])
    assert logged_in(employee).post(url, {f"q{q.pk}": "4"}).status_code == 302
    assert Response.objects.get().unit == unit


def test_response_submit_refuses_staff_survey_without_person(unit, leader):
    survey = likert_survey(leader, unit, audience="staff")
    with pytest.raises(ValidationError):
        response_submit(survey=survey, answers={_first_likert(survey).pk: 3})


@pytest.mark.skipif(
    "postgresql" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="two real concurrent transactions need PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("race_catalogue")
def test_two_concurrent_submits_one_refused():
    """Two requests of the same person at the same moment (a double click on a slow line):
    both pass the "has answered?" check; the database's unique constraint refuses one."""
    import threading

    from django.db import connection

    from tests.factories import UnitFactory

    unit = UnitFactory()
    leader = person_with_role(Role.UNIT_LEADER, unit)
    employee = person_with_role(Role.EMPLOYEE, unit)
    survey = likert_survey(leader, unit, audience="staff")
    q = _first_likert(survey)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(value):
        try:
            barrier.wait(timeout=10)
            response_submit(survey=survey, answers={q.pk: value}, person=employee)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(v,)) for v in (2, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Response.objects.filter(survey=survey).count() == 1


def test_link_of_a_staff_survey_leads_to_the_login_page(client, unit, leader):
    survey = likert_survey(leader, unit, audience="staff")
    response = client.get(f"/s/{survey.token}/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert not Response.objects.exists()
