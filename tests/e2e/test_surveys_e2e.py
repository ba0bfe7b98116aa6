"""Staff surveys in a browser (P7): answered on a phone through the anonymous link; the results
page shows nothing while the survey is open, "too few answers" with 4 answers once closed, and
charts with tables with 5 answers once closed. Every page is
checked with axe (disclosures opened) and for sideways scrolling."""

from __future__ import annotations

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    check_page,
    login,
    new_page,
)
from tests.factories import PASSWORD, UnitFactory, person_with_role
from tests.surveys.surveys_fixtures import answer
from trepart.organisation.models import Role
from trepart.surveys import services_surveys as authoring
from trepart.surveys.models import Respondent, Response, Survey


def _answer_on_phone(browser, live_server, survey, name=None):
    page = new_page(browser, live_server, PHONE)
    page.goto(f"{page.base_url}/s/{survey.token}/")
    questions = list(survey.questions.order_by("order", "id"))
    page.check(f"#q{questions[0].pk}_2")  # the third theme
    page.fill(f"#q{questions[1].pk}", "Turnusen i helgene")
    if name:
        check_page(page, name)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(f"/s/{survey.token}/thanks/")
    if name:
        check_page(page, f"{name}-thanks")
    page.goto(f"{page.base_url}/s/{survey.token}/")  # the same browser: already answered
    assert page.locator("main input[type=radio]").count() == 0
    page.context.close()


def test_survey_four_answers_hidden_five_shown(browser, live_server, catalogue):
    unit = UnitFactory(municipality__name="Fjordby kommune", name="Solsiden sykehjem")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder")
    survey = authoring.survey_create(
        actor=leader, kind=Survey.Kind.WORK_ON, unit=unit, audience=Survey.Audience.ANONYMOUS_LINK
    )

    # The leader opens the draft at desktop width and shares the link.
    page = new_page(browser, live_server, DESKTOP)
    login(page, leader.email, PASSWORD)
    page.goto(f"{page.base_url}/surveys/{survey.pk}/")
    check_page(page, "survey-draft-desktop")
    with page.expect_navigation():
        page.locator("form[action$='/status/'] button").click()
    survey.refresh_from_db()
    assert survey.status == "open"
    assert page.locator("#share-link").input_value().endswith(f"/s/{survey.token}/")

    # Three answers already in; the fourth from a phone (no login, nothing about the person).
    answer(survey, 3, text="Mer tid til opplæring")
    _answer_on_phone(browser, live_server, survey, "survey-answer-phone")
    assert Response.objects.filter(survey=survey).count() == 4
    assert not Respondent.objects.exists()

    # Open: nothing at all, not even whether the threshold is met (P7: results only once the
    # survey has ended); the leader is told to close it, with a link to the survey's page.
    page.goto(f"{page.base_url}/surveys/{survey.pk}/results/")
    assert page.locator("#not-ended").is_visible() and page.locator("#too-few").count() == 0
    assert page.locator("canvas").count() == 0 and page.locator("main table").count() == 0
    assert "Turnusen i helgene" not in page.locator("main").inner_text()
    check_page(page, "survey-results-open-desktop")
    with page.expect_navigation():
        page.locator(f"main a[href='/surveys/{survey.pk}/']").last.click()
    with page.expect_navigation():
        page.locator("form[action$='/status/'] button").click()
    survey.refresh_from_db()
    assert survey.status == "closed"

    # Closed with 4 answers: still nothing ("too few answers").
    page.goto(f"{page.base_url}/surveys/{survey.pk}/results/")
    assert page.locator("#too-few").is_visible() and page.locator("#not-ended").count() == 0
    assert page.locator("canvas").count() == 0 and page.locator("main table").count() == 0
    assert "Turnusen i helgene" not in page.locator("main").inner_text()
    check_page(page, "survey-results-too-few-desktop")

    # A second survey: five answers, nothing while open; closed, charts and tables and the
    # free text.
    survey = authoring.survey_create(
        actor=leader, kind=Survey.Kind.WORK_ON, unit=unit, audience=Survey.Audience.ANONYMOUS_LINK
    )
    authoring.survey_open(actor=leader, survey=survey)
    answer(survey, 3, text="Mer tid til opplæring")
    _answer_on_phone(browser, live_server, survey)
    _answer_on_phone(browser, live_server, survey)
    assert Response.objects.filter(survey=survey).count() == 5
    page.goto(f"{page.base_url}/surveys/{survey.pk}/results/")
    assert page.locator("#not-ended").is_visible()
    assert page.locator("main canvas").count() == 0 and page.locator("main table").count() == 0
    authoring.survey_close(actor=leader, survey=survey)
    page.goto(f"{page.base_url}/surveys/{survey.pk}/results/")
    assert page.locator("#too-few").count() == 0 and page.locator("#not-ended").count() == 0
    assert page.locator("main canvas").count() == 1  # the choice question
    page.wait_for_function("() => typeof window.Chart !== 'undefined'")
    assert page.locator("main table").count() == 1
    assert "40 %" in page.locator("main table").inner_text()  # 2 of 5 chose the third theme
    texts = page.locator("main details.survey-free-text")
    assert texts.count() == 1  # the second text question has only 3 answers: hidden
    texts.locator("summary").click()
    page.wait_for_timeout(300)
    assert "Turnusen i helgene" in texts.inner_text()
    check_page(page, "survey-results-desktop")
    page.context.close()

    # On a phone too.
    phone = new_page(browser, live_server, PHONE)
    login(phone, leader.email, PASSWORD)
    phone.goto(f"{phone.base_url}/surveys/{survey.pk}/results/")
    check_page(phone, "survey-results-phone")
    phone.goto(f"{phone.base_url}/units/{unit.pk}/participation/")
    check_page(phone, "survey-participation-phone")
    phone.context.close()
