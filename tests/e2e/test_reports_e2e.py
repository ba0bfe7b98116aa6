"""Browser test for unit reports (P5, R30–R32): a party group opens its report, drafted from its
records by the daily job, checks the figures, adds its words and sends it (phone); an
opposition politician reads it and asks the unit a question (desktop); the unit answers from its
home page (phone); the chief union rep of a union present at the unit reads it; a person of
another municipality gets 404.

Selectors use ids, names and URLs, never visible text (the catalogues may lag behind).
"""

from django.utils import timezone

from tests.e2e.conftest import (
    DESKTOP,
    assert_fits,
    assert_no_axe_violations,
    login,
    new_page,
    screenshot,
)
from tests.factories import PASSWORD, MunicipalityFactory, UnitFactory, person_with_role, presence
from tests.factories import union as union_named
from tests.reporting.reports_fixtures import records
from trepart.organisation.models import Role
from trepart.reporting.models import SteeringQuestion, UnitReport
from trepart.reporting.tasks_reports import report_drafts_and_reminders

QUESTION = "Hvordan går det med vikarene i helgene?"
ANSWER = "Bedre: vi har fått tre faste helgevikarer."


def _figure(page, row: int) -> str:
    table = page.locator("section[aria-labelledby='figures-heading'] table").first
    return table.locator("tbody tr").nth(row).locator("td").inner_text()


def test_report_is_drafted_sent_read_asked_and_answered(browser, live_server, catalogue):
    municipality = MunicipalityFactory(name="Fjordby kommune")
    unit = UnitFactory(municipality=municipality, name="Solsiden sykehjem")
    presence(unit, "Fagforbundet")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder")
    rep = person_with_role(
        Role.LOCAL_UNION_REP, unit, union=union_named("Fagforbundet"), full_name="Frida Rep"
    )
    person_with_role(Role.SAFETY_REP, unit, full_name="Vera Verneombud")
    opposition = person_with_role(
        Role.POLITICIAN, municipality=municipality, side="opposition", full_name="Oda Opposisjon"
    )
    chief = person_with_role(
        Role.CHIEF_UNION_REP,
        municipality=municipality,
        union=union_named("Fagforbundet"),
        full_name="Hanne Hovedtillitsvalgt",
    )
    stranger = person_with_role(
        Role.MUNICIPAL_ADMIN, municipality=MunicipalityFactory(name="Annenby kommune")
    )
    records(unit, leader)
    # The daily job drafts the report for the period just ended (R30).
    report_drafts_and_reminders.call(today=timezone.localdate().isoformat())
    report = UnitReport.objects.get(unit=unit)

    # The leader, on a phone: the unit's reports, the drafted figures, the group's words, send.
    phone = new_page(browser, live_server)
    login(phone, leader.email, PASSWORD)
    phone.goto(phone.base_url + f"/units/{unit.pk}/reports/")
    assert_no_axe_violations(phone, "unit reports (phone)")
    assert_fits(phone, "unit reports")
    screenshot(phone, "reports-unit-phone")
    phone.locator(f"a[href='/reports/{report.pk}/']").click()
    phone.wait_for_url(f"**/reports/{report.pk}/")
    assert _figure(phone, 0) == "2"  # meetings held, as in the records
    assert _figure(phone, 2) == "4"  # inputs received
    assert _figure(phone, 4) == "12"  # median days to answer
    assert_no_axe_violations(phone, "draft report (phone)")
    assert_fits(phone, "draft report")
    phone.locator(f"a[href='/reports/{report.pk}/edit/']").click()
    phone.fill("#id_went_well", "Langvaktene fungerer godt.")
    phone.fill("#id_hard", "Mange vikarer i helgene.")
    phone.fill("#id_need", "Hjelp til å rekruttere.")
    assert_no_axe_violations(phone, "report form (phone)")
    assert_fits(phone, "report form")
    with phone.expect_navigation():
        phone.locator("button[name=send]").click()
    report.refresh_from_db()
    assert report.status == "sent" and report.versions.count() == 1
    screenshot(phone, "reports-sent-phone")
    phone.context.close()

    # The opposition politician, on a desktop: the list, the report, a question to the unit.
    desk = new_page(browser, live_server, DESKTOP)
    login(desk, opposition.email, PASSWORD)
    desk.goto(desk.base_url + "/steering-group/reports/")
    assert_no_axe_violations(desk, "steering reports")
    screenshot(desk, "reports-steering-desktop")
    # Issue 11: the politician finds it in the steering overview (the last report, linked).
    desk.goto(desk.base_url + "/steering-group/overview/")
    desk.locator(f"main a[href='/reports/{report.pk}/']").first.click()
    desk.wait_for_url(f"**/reports/{report.pk}/")
    desk.fill("form[action$='/ask/'] textarea[name=text]", QUESTION)
    with desk.expect_navigation():
        desk.locator("form[action$='/ask/'] button[type=submit]").click()
    question = SteeringQuestion.objects.get()
    assert question.text == QUESTION and question.report_id == report.pk
    assert_no_axe_violations(desk, "sent report (desktop)")
    screenshot(desk, "reports-detail-desktop")
    desk.context.close()

    # The union rep of the party group, on a phone: the question is on the home page.
    phone = new_page(browser, live_server)
    login(phone, rep.email, PASSWORD)
    phone.goto(phone.base_url + "/")
    phone.locator(f"a[href='/questions/{question.pk}/']").first.click()
    phone.wait_for_url(f"**/questions/{question.pk}/")
    phone.fill("#id_answer", ANSWER)
    assert_no_axe_violations(phone, "question (phone)")
    assert_fits(phone, "question")
    with phone.expect_navigation():
        phone.locator(f"form[action$='/questions/{question.pk}/answer/'] button").click()
    question.refresh_from_db()
    assert question.answer == ANSWER and question.answered_by_id == rep.pk
    screenshot(phone, "reports-question-answered-phone")
    phone.context.close()

    # The chief union rep of a union present at the unit reads it; another municipality: 404.
    desk = new_page(browser, live_server, DESKTOP)
    login(desk, chief.email, PASSWORD)
    assert desk.goto(desk.base_url + f"/reports/{report.pk}/").status == 200
    desk.context.close()
    desk = new_page(browser, live_server, DESKTOP)
    login(desk, stranger.email, PASSWORD)
    assert desk.goto(desk.base_url + f"/reports/{report.pk}/").status == 404
    desk.context.close()
