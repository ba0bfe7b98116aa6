"""Browser tests for measures and trials (P4, R24–R29): an anonymous input taken up as a measure,
planned with the six questions, refused a trial until the plan and the safety rep's HMS risk
assessment are in place, tried, evaluated with evidence, decided, celebrated as a win – and
read back by the anonymous submitter with the receipt code, by an employee on a phone, and on
paper.

The nb/nn catalogues for these pages may lag behind the code, so selectors use ids, classes,
names, values and URLs, never visible text (or a regex matching both English and Norwegian).
"""

import datetime
import re

from django.utils import timezone

from tests.e2e.conftest import (
    DESKTOP,
    assert_fits,
    assert_no_axe_violations,
    login,
    new_page,
    screenshot,
)
from tests.factories import PASSWORD, UnitFactory, person_with_role, presence, union
from trepart.inputs import services as input_services
from trepart.inputs.models import Input, Status
from trepart.measures import services as measure_services
from trepart.measures.models import Decision, Evidence, Measure, MeasureEvent, Stage
from trepart.measures.services import REQUIRED_PLAN_FIELDS
from trepart.organisation.models import Role

RECEIPT_CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
RISK_ASSESSMENT = re.compile(r"risk assessment|risikovurdering", re.IGNORECASE)

SEND = "form.input-form button[type=submit]:not([name])"
START_FORM = "form[action$='/start/']"
NOTE_FORM = "form[action$='/notes/']"
EVIDENCE_FORM = "form[action$='/evidence/']"
EVALUATE_FORM = "form[action$='/evaluate/']"
DECIDE_FORM = "form[action$='/decide/']"
WIN_FORM = "form[action$='/win/']"

INPUT_TEXT = (
    "Vi som jobber kveld rekker aldri å snakke sammen før nattevakten kommer. "
    "Kan vi prøve en kort, fast overlapp på ti minutter?"
)
ANSWER = "Vi tar det opp som et tiltak og prøver det ut i et halvt år på avdeling A."
WIN_STORY = "Overlappen virker: færre avvik på kveld, og nattevakten føler seg bedre forberedt."

# The plan: the problem comes from the input; these two parts are filled in first (three of
# the required parts answered), the rest afterwards.
PLAN_FIRST = {
    "need_and_purpose": "Viktig informasjon om beboerne går tapt ved vaktskiftet.",
    "goals": "Alle som går av vakt har snakket med den som kommer. Vi sier det på personalmøtet.",
}
PLAN_REST = {
    "anchoring_union": "Fagforbundet er med i partsgruppen og har informert medlemmene.",
    "anchoring_staff": "Personalet foreslo selv tiltaket, og vi spurte alle på personalmøtet.",
    "cooperation": "Partsgruppen følger opp; to ansatte fra kveld og natt er med i arbeidet.",
    "resources": "Ti minutter overlapp per kveld; ingen andre kostnader.",
    "follow_up": "Status på hvert partsgruppemøte under prøvingen.",
    "staff_asked": "På personalmøtet 3. mars: gruppearbeid om hvordan vi gjør det.",
    "responsibilities": "Lederen endrer turnusen; verneombudet følger med på belastningen.",
    "success_criteria": "Færre avvik etter vaktskiftet, og at de ansatte opplever bedre flyt.",
}


# --- helpers (copied in small from test_inputs.py) -------------------------------------------


def _setup():
    """A unit with a party group (leader, union rep, safety rep) and an employee."""
    unit = UnitFactory(municipality__name="Testvik kommune", name="Fjordtun sykehjem")
    presence(unit, "Fagforbundet")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Anne Leder")
    rep = person_with_role(
        Role.LOCAL_UNION_REP, unit, full_name="Tor Tillitsvalgt", union=union("Fagforbundet")
    )
    safety = person_with_role(Role.SAFETY_REP, unit, full_name="Kristin Verneombud")
    employee = person_with_role(Role.EMPLOYEE, unit, full_name="Eva Ansatt")
    token = input_services.input_link_for(unit).token
    return {
        "unit": unit,
        "leader": leader,
        "rep": rep,
        "safety": safety,
        "employee": employee,
        "token": token,
    }


def _post(page, button_selector):
    """Click a submit button and return the response of the page it leads to."""
    with page.expect_navigation() as nav:
        page.locator(button_selector).click()
    return nav.value


def _measure_link(scope, measure):
    """The link to a measure's page inside a page's main part, or inside a located element."""
    inside = "main " if hasattr(scope, "goto") else ""
    return scope.locator(f"{inside}a[href='/measures/{measure.pk}/']")


def _built_measure(ctx, title, *, through="win"):
    """A measure made with the services: planned, risk-assessed, tried and (with through="win")
    evaluated with evidence, kept and celebrated."""
    unit, rep, safety = ctx["unit"], ctx["rep"], ctx["safety"]
    measure = measure_services.measure_create(
        actor=rep,
        unit=unit,
        title=title,
        problem="For lite tid til å snakke sammen ved vaktskiftet.",
    )
    plan = {**PLAN_FIRST, **PLAN_REST}
    plan["evaluation_on"] = timezone.localdate() + datetime.timedelta(days=90)
    measure_services.plan_save(actor=rep, measure=measure, **plan)
    measure_services.risk_assessment_save(
        actor=safety,
        measure=measure,
        summary="Liten risiko totalt.",
        risks=[
            {
                "description": "Kveldsvakten blir ti minutter lenger og mer slitsom.",
                "likelihood": 2,
                "consequence": 2,
                "mitigation": "Turnusen justeres så arbeidstiden blir den samme.",
            }
        ],
    )
    measure_services.trial_start(
        actor=rep,
        measure=measure,
        participants="Avdeling A, kveld og natt",
        ends_on=datetime.date.today() + datetime.timedelta(days=7),  # evaluated in time
    )
    if through == "trial":
        return Measure.objects.get(pk=measure.pk)
    measure_services.note_add(
        actor=rep, measure=measure, text="Første uke: alle har fått overlapp."
    )
    measure_services.evidence_add(
        actor=rep, measure=measure, text="Avvik før: 12 i måneden, nå: 5."
    )
    measure_services.evaluate(
        actor=rep,
        measure=measure,
        findings="Avvikene er mer enn halvert.",
        assessment="Det virker.",
    )
    measure_services.decide(
        actor=rep, measure=measure, decision=Decision.KEEP, note="Vi beholder overlappen."
    )
    measure_services.win_mark(actor=rep, measure=measure, story=WIN_STORY)
    return Measure.objects.get(pk=measure.pk)


# --- 1. the whole life of a measure, from an anonymous input to a win ------------------------


def test_input_becomes_a_measure_that_is_tried_decided_and_celebrated(
    browser, live_server, catalogue
):
    ctx = _setup()
    unit, rep = ctx["unit"], ctx["rep"]

    # 1. An employee sends an anonymous input from the poster's link, on a phone.
    phone = new_page(browser, live_server)
    assert phone.goto(phone.base_url + f"/i/{ctx['token']}/").status == 200
    phone.fill("textarea[name=text]", INPUT_TEXT)
    with phone.expect_navigation():
        phone.locator(SEND).click()
    phone.wait_for_url(re.compile(r"/r/[A-Z0-9]{12}/\?sent=[A-Za-z0-9_-]+$"))
    code = phone.locator("#receipt-code").inner_text().strip()
    assert RECEIPT_CODE.match(code), code
    item = Input.objects.get(unit=unit)
    phone.context.close()

    # 2. The union rep takes it up as a measure, with an answer.
    staff = new_page(browser, live_server, DESKTOP)
    login(staff, rep.email, PASSWORD)
    assert staff.goto(staff.base_url + f"/inputs/{item.pk}/").status == 200
    staff.locator("input[name=status][value=taken_up]").check()
    target = staff.locator("select[name=target]")
    assert target.is_visible()
    target.select_option("measure")
    staff.fill("textarea[name=answer]", ANSWER)
    assert _post(staff, "button[name=action][value=close]").status == 200
    item.refresh_from_db()
    assert item.status == Status.TAKEN_UP and item.answer == ANSWER
    measure = Measure.objects.get(source_input=item)
    assert measure.unit_id == unit.pk and measure.stage == Stage.IDEA
    assert measure.problem == INPUT_TEXT

    link = _measure_link(staff, measure)
    assert link.count() == 1, "the input page links to its measure"
    with staff.expect_navigation():
        link.click()
    assert staff.url.endswith(f"/measures/{measure.pk}/")
    assert staff.locator("h1").inner_text().strip() == measure.title
    assert staff.locator(".stage-path li.is-current[aria-current=step]").count() == 1
    # The source is linked back, and the idea's next step is planning.
    assert staff.locator(f"main a[href='/inputs/{item.pk}/']").count() == 1
    assert staff.locator(f".actions-card a[href='/measures/{measure.pk}/plan/']").count() == 1
    assert staff.locator(START_FORM).count() == 0, "an idea cannot start a trial"
    assert_no_axe_violations(staff, "measure page, idea")
    screenshot(staff, "measure-idea")

    # 3. Plan only some parts, then try to start the trial.
    with staff.expect_navigation():
        staff.locator(f".actions-card a[href='/measures/{measure.pk}/plan/']").click()
    assert staff.url.endswith(f"/measures/{measure.pk}/plan/")
    assert staff.input_value("#id_problem") == INPUT_TEXT, "the input's text is the problem"
    for name, value in PLAN_FIRST.items():
        staff.fill(f"#id_{name}", value)
    assert_no_axe_violations(staff, "plan form")
    screenshot(staff, "measure-plan-form")
    response = _post(staff, "form.plan-form button[type=submit]")
    assert response.status == 200
    assert staff.url.endswith(f"/measures/{measure.pk}/")
    measure.refresh_from_db()
    assert measure.stage == Stage.PLANNED
    assert measure.need_and_purpose == PLAN_FIRST["need_and_purpose"]

    missing = staff.locator("#missing-for-trial li")
    # The unanswered required parts, and the risk assessment.
    assert missing.count() == len(REQUIRED_PLAN_FIELDS) - 3 + 1, missing.all_inner_texts()
    assert RISK_ASSESSMENT.search(staff.locator("#missing-for-trial").inner_text())
    assert staff.locator(START_FORM).is_visible()
    staff.fill(f"{START_FORM} textarea[name=participants]", "Avdeling A, kveld og natt")
    refused = _post(staff, f"{START_FORM} button[type=submit]")
    assert refused.status == 400
    summary = staff.locator(".actions-card #error-summary")
    assert summary.is_visible()
    # The refusal points to the list of what is missing, shown right above the form.
    refused_list = staff.locator(".actions-card #missing-for-trial li").all_inner_texts()
    assert len(refused_list) == len(REQUIRED_PLAN_FIELDS) - 3 + 1, refused_list
    assert any(RISK_ASSESSMENT.search(part) for part in refused_list), refused_list
    measure.refresh_from_db()
    assert measure.stage == Stage.PLANNED and measure.trial_started_on is None
    screenshot(staff, "measure-start-refused-plan")

    # 4. The rest of the plan; still refused: no risk assessment yet.
    staff.goto(staff.base_url + f"/measures/{measure.pk}/plan/")
    for name, value in PLAN_REST.items():
        staff.fill(f"#id_{name}", value)
    evaluation_on = timezone.localdate() + datetime.timedelta(days=120)
    staff.fill("#id_evaluation_on", evaluation_on.isoformat())
    assert _post(staff, "form.plan-form button[type=submit]").status == 200
    measure.refresh_from_db()
    for name in REQUIRED_PLAN_FIELDS:
        assert getattr(measure, name), f"{name} was not saved"
    missing = staff.locator("#missing-for-trial li")
    assert missing.count() == 1, missing.all_inner_texts()
    assert RISK_ASSESSMENT.search(missing.inner_text())
    staff.fill(f"{START_FORM} textarea[name=participants]", "Avdeling A, kveld og natt")
    refused = _post(staff, f"{START_FORM} button[type=submit]")
    assert refused.status == 400
    assert staff.locator(".actions-card #error-summary").is_visible()
    assert RISK_ASSESSMENT.search(staff.locator("#missing-for-trial").inner_text())
    measure.refresh_from_db()
    assert measure.stage == Stage.PLANNED

    # 5. The safety rep records the risk assessment.
    safety = new_page(browser, live_server, DESKTOP)
    login(safety, ctx["safety"].email, PASSWORD)
    assert safety.goto(safety.base_url + f"/measures/{measure.pk}/risk/").status == 200
    # The safety rep is not asked to name the safety rep.
    assert safety.locator("input[name=with_safety_rep]").count() == 0
    safety.fill("#id_risk-0-description", "Kveldsvakten blir ti minutter lenger og mer slitsom.")
    safety.select_option("#id_risk-0-likelihood", "2")
    safety.select_option("#id_risk-0-consequence", "3")
    safety.fill("#id_risk-0-mitigation", "Turnusen justeres så arbeidstiden blir den samme.")
    safety.fill("#id_summary", "Liten risiko når turnusen justeres.")
    # Issue 10: rows are added and removed in place (htmx), keeping what was typed, and the
    # focus moves to the new row.
    safety.evaluate("window.__marker = 'same page'")
    safety.click("button[name=add_row]")
    safety.wait_for_selector("#risk-row-1")
    assert safety.evaluate("window.__marker") == "same page"
    safety.wait_for_function("document.activeElement && document.activeElement.id === 'risk-row-1'")
    assert "ti minutter lenger" in safety.input_value("#id_risk-0-description")
    assert "Liten risiko" in safety.input_value("#id_summary")
    safety.fill("#id_risk-1-description", "Færre på jobb ved vaktskiftet.")
    safety.select_option("#id_risk-1-likelihood", "1")
    safety.select_option("#id_risk-1-consequence", "2")
    safety.click("button[name=add_row]")
    safety.wait_for_selector("#risk-row-2")
    # The focus lands on the new row once htmx has settled; then remove it with the keyboard.
    safety.wait_for_function("document.activeElement && document.activeElement.id === 'risk-row-2'")
    safety.focus("#risk-row-2 button[name=remove_row]")
    safety.keyboard.press("Enter")
    safety.wait_for_selector("#risk-row-2", state="detached")
    assert "Færre på jobb" in safety.input_value("#id_risk-1-description")
    assert_no_axe_violations(safety, "risk form")
    screenshot(safety, "measure-risk-form")
    assert _post(safety, "main form button[data-variant=primary]").status == 200
    assert safety.url.endswith(f"/measures/{measure.pk}/")
    rows = safety.locator("section[aria-labelledby=risk-heading] table tbody tr")
    assert rows.count() == 2
    assert "ti minutter lenger" in rows.first.inner_text()
    assert "Turnusen justeres" in rows.first.inner_text()
    assert measure.risk.by_safety_rep
    assert sorted(r.score for r in measure.risk.risks.all()) == [2, 6]
    # The trial needs nothing more now.
    assert safety.locator("#missing-for-trial").count() == 0
    safety.context.close()

    # 6. The union rep starts the trial, adds a note and evidence, evaluates and decides.
    staff.goto(staff.base_url + f"/measures/{measure.pk}/")
    assert staff.locator("#missing-for-trial").count() == 0
    staff.fill(f"{START_FORM} textarea[name=participants]", "Avdeling A, kveld og natt")
    assert _post(staff, f"{START_FORM} button[type=submit]").status == 200
    measure.refresh_from_db()
    assert measure.stage == Stage.IN_TRIAL
    assert measure.trial_started_on == timezone.localdate()
    assert measure.evaluation_on == evaluation_on, "the plan's evaluation date is kept"
    assert staff.locator("section[aria-labelledby=trial-heading]").is_visible()

    staff.fill(f"{NOTE_FORM} textarea[name=text]", "Første uke: alle på kveld har fått overlapp.")
    assert _post(staff, f"{NOTE_FORM} button[type=submit]").status == 200
    assert measure.events.filter(kind=MeasureEvent.Kind.NOTE).count() == 1

    staff.fill(f"{EVIDENCE_FORM} textarea[name=text]", "Intervju med fire på kveldsvakt.")
    staff.locator(f"{EVIDENCE_FORM} input[name=upload]").set_input_files(
        {
            "name": "intervju.pdf",
            "mimeType": "application/pdf",
            "buffer": b"%PDF-1.4\n% intervju\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
        }
    )
    assert _post(staff, f"{EVIDENCE_FORM} button[type=submit]").status == 200
    evidence = Evidence.objects.get(measure=measure)
    assert evidence.filename == "intervju.pdf" and evidence.content_type == "application/pdf"
    download = staff.locator(f"a[href='/measures/evidence/{evidence.pk}/']")
    assert download.count() == 1
    pdf = staff.request.get(staff.base_url + f"/measures/evidence/{evidence.pk}/")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"

    staff.fill(f"{EVALUATE_FORM} textarea[name=findings]", "Avvikene etter vaktskiftet er halvert.")
    staff.fill(f"{EVALUATE_FORM} textarea[name=assessment]", "Tiltaket virker og bør beholdes.")
    # Issue 10: the trial is planned for six months; evaluating now asks why, and to confirm.
    assert _post(staff, f"{EVALUATE_FORM} button[type=submit]").status == 400
    assert "Avvikene etter vaktskiftet" in staff.input_value(
        f"{EVALUATE_FORM} textarea[name=findings]"
    )
    staff.fill(f"{EVALUATE_FORM} textarea[name=early_reason]", "Alle har prøvd ordningen nok.")
    staff.check(f"{EVALUATE_FORM} input[name=confirm_early]")
    assert _post(staff, f"{EVALUATE_FORM} button[type=submit]").status == 200
    measure.refresh_from_db()
    assert measure.stage == Stage.EVALUATED

    staff.locator(f"{DECIDE_FORM} input[name=decision][value=keep]").check()
    staff.fill(f"{DECIDE_FORM} textarea[name=note]", "Vi beholder overlappen på alle kveldsvakter.")
    assert _post(staff, f"{DECIDE_FORM} button[type=submit]").status == 200
    measure.refresh_from_db()
    assert measure.stage == Stage.DECIDED and measure.decision == Decision.KEEP

    staff.fill(f"{WIN_FORM} textarea[name=story]", WIN_STORY)
    assert _post(staff, f"{WIN_FORM} button[type=submit]").status == 200
    measure.refresh_from_db()
    assert measure.is_win and measure.win_story == WIN_STORY
    assert staff.locator(WIN_FORM).count() == 0, "a win is marked once"
    assert WIN_STORY in staff.locator("section.win-card").inner_text()
    assert staff.locator("section[aria-labelledby=decision-heading]").is_visible()
    assert staff.locator("section[aria-labelledby=evaluation-heading]").is_visible()
    # The timeline: created, planned, risk, in trial, note, evidence, evaluated, decided, win.
    kinds = list(measure.events.values_list("kind", flat=True))
    assert staff.locator(".timeline li").count() == len(kinds) >= 9, kinds
    assert_no_axe_violations(staff, "measure page, decided and a win")
    screenshot(staff, "measure-decided-win")

    # 7. The board: the measure among the decided ones; an overdue trial stands out.
    overdue = _built_measure(ctx, "Fast pauserom for nattevakten", through="trial")
    Measure.objects.filter(pk=overdue.pk).update(
        evaluation_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    assert staff.goto(staff.base_url + f"/measures/unit/{unit.pk}/").status == 200
    decided = staff.locator("section[aria-labelledby=col-decided]")
    assert _measure_link(decided, measure).count() == 1
    overdue_card = staff.locator(".measure-card--overdue")
    assert overdue_card.count() == 1
    assert _measure_link(overdue_card, overdue).count() == 1
    assert (
        staff.locator("section[aria-labelledby=col-in_trial] .measure-card--overdue").count() == 1
    )
    assert staff.locator("main .ds-alert[data-color=danger]").count() == 1
    assert_no_axe_violations(staff, "measures board")
    screenshot(staff, "measure-board")

    assert staff.goto(staff.base_url + f"/units/{unit.pk}/").status == 200
    wins = staff.locator("section[aria-labelledby=wins] .win-card")
    assert wins.count() == 1
    assert WIN_STORY in wins.inner_text()
    assert _measure_link(wins, measure).count() == 1
    staff.context.close()

    # 8. Back on the phone, not logged in: the receipt shows the measure and the win.
    phone = new_page(browser, live_server)
    assert phone.goto(phone.base_url + "/r/").status == 200
    phone.fill("input[name=code]", code)
    with phone.expect_navigation():
        phone.locator("form.form-narrow button[type=submit]").click()
    phone.wait_for_url(re.compile(rf"/r/{code.replace('-', '')}/$"))
    outcome = phone.locator(".answer-box .measure-outcome")
    assert outcome.count() == 1
    outcome_text = outcome.inner_text()
    assert measure.title in outcome_text
    assert WIN_STORY in outcome_text
    assert "Vi beholder overlappen" in outcome_text, "the decision's reason is shown"
    assert ANSWER in phone.locator(".answer-box").inner_text()
    # The anonymous submitter gets no link into the staff pages.
    assert phone.locator("main a[href^='/measures/']").count() == 0
    assert_no_axe_violations(phone, "receipt with the measure (phone)")
    assert_fits(phone, "receipt with the measure (phone)")
    screenshot(phone, "measure-receipt-win-phone")
    phone.context.close()


# --- 2. an employee reads it on a phone --------------------------------------------------------


def test_employee_reads_the_board_and_the_measure_on_a_phone(browser, live_server, catalogue):
    ctx = _setup()
    measure = _built_measure(ctx, "Ti minutters overlapp mellom kveld og natt")
    running = _built_measure(ctx, "Fast pauserom for nattevakten", through="trial")

    phone = new_page(browser, live_server)
    login(phone, ctx["employee"].email, PASSWORD)
    response = phone.goto(phone.base_url + f"/measures/unit/{ctx['unit'].pk}/")
    assert response.status == 200
    assert _measure_link(phone, measure).count() == 1
    assert _measure_link(phone, running).count() == 1
    assert phone.locator(f"main a[href='/measures/unit/{ctx['unit'].pk}/new/']").count() == 0
    assert_no_axe_violations(phone, "measures board, employee (phone)")
    assert_fits(phone, "measures board, employee (phone)")
    screenshot(phone, "measure-board-employee-phone")

    for m, shot in [(measure, "measure-employee-phone"), (running, "measure-trial-employee-phone")]:
        response = phone.goto(phone.base_url + f"/measures/{m.pk}/")
        assert response.status == 200
        assert phone.locator("h1").inner_text().strip() == m.title
        # Read-only: no actions, no post forms anywhere on the page's main part.
        assert phone.locator(".actions-card form[method=post]").count() == 0
        assert phone.locator("main form[method=post]").count() == 0
        assert phone.locator(f"main a[href='/measures/{m.pk}/plan/']").count() == 0
        assert phone.locator(f"main a[href='/measures/{m.pk}/risk/']").count() == 0
        assert phone.locator(".timeline li").count() >= 4
        assert_no_axe_violations(phone, f"{shot} (phone)")
        assert_fits(phone, f"{shot} (phone)")
        screenshot(phone, shot)

    # And the changing pages are closed to the employee.
    assert phone.goto(phone.base_url + f"/measures/{measure.pk}/plan/").status == 403
    assert phone.goto(phone.base_url + f"/measures/{running.pk}/risk/").status == 403
    phone.context.close()


# --- layout details ------------------------------------------------------


def test_actions_card_content_is_inset_from_its_border(browser, live_server, catalogue):
    ctx = _setup()
    measure = measure_services.measure_create(
        actor=ctx["rep"], unit=ctx["unit"], title="Ti minutters overlapp mellom kveld og natt"
    )
    page = new_page(browser, live_server, DESKTOP)
    login(page, ctx["rep"].email, PASSWORD)
    page.goto(page.base_url + f"/measures/{measure.pk}/")
    insets = page.evaluate(
        """() => {
            const box = (sel) => document.querySelector(sel).getBoundingClientRect();
            const card = box('.actions-card'), heading = box('#next-heading');
            const other = box('section[aria-labelledby=plan-heading]');
            return {actions: heading.left - card.left,
                    plan: box('#plan-heading').left - other.left};
        }"""
    )
    page.context.close()
    # As the other cards on the page (Designsystemet's card padding).
    assert insets["actions"] >= 12, insets


# --- 3. on paper ---------------------------------------------------------------------------------


def test_measure_page_prints_without_header_and_actions(browser, live_server, catalogue):
    ctx = _setup()
    measure = _built_measure(ctx, "Ti minutters overlapp mellom kveld og natt", through="trial")
    page = new_page(browser, live_server, DESKTOP)
    login(page, ctx["rep"].email, PASSWORD)
    page.goto(page.base_url + f"/measures/{measure.pk}/")
    assert page.locator(".site-header").is_visible()
    assert page.locator(".actions-card").is_visible()

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".actions-card").is_visible()
    # The content is printed: the title, the plan, the risk table and the timeline.
    assert page.locator("h1").is_visible()
    assert page.locator("section[aria-labelledby=plan-heading]").is_visible()
    assert page.locator("section[aria-labelledby=risk-heading] table").is_visible()
    assert page.locator("section[aria-labelledby=timeline-heading]").is_visible()
    # No buttons or links to pages that change things on paper.
    assert not page.locator(f"main a[href='/measures/{measure.pk}/plan/']").is_visible()
    screenshot(page, "measure-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.context.close()
