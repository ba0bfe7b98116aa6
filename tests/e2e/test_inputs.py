"""Browser tests for staff input (P3): the anonymous link on a phone, the receipt, triage by the
party group with a reasoned answer (R21), the R14 wage warning, htmx list views, keyboard use
and the QR poster.

The nb/nn catalogues for these pages may lag behind the code, so selectors use ids, classes,
names and values, never visible text (or a regex matching both English and Norwegian).
"""

import datetime
import re

import pytest
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
from trepart.inputs.models import Audience, Input, Status
from trepart.meetings import services as meeting_services
from trepart.organisation.models import Role

RECEIPT_CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
TAKEN_UP = re.compile(r"taken up|tatt opp|teke opp|tekne opp", re.IGNORECASE)

SEND = "form.input-form button[type=submit]:not([name])"
TEXT = "textarea[name=text]"


# --- setup --------------------------------------------------------------------------------------


def _setup():
    """A unit with a complete party group (R4) and a planned meeting two weeks ahead."""
    unit = UnitFactory(municipality__name="Testvik kommune", name="Fjordtun sykehjem")
    presence(unit, "Fagforbundet")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Anne Leder")
    rep = person_with_role(
        Role.LOCAL_UNION_REP, unit, full_name="Tor Tillitsvalgt", union=union("Fagforbundet")
    )
    person_with_role(Role.SAFETY_REP, unit, full_name="Kristin Verneombud")
    meeting = meeting_services.meeting_create(
        actor=leader,
        municipality=unit.municipality,
        unit=unit,
        title="Partsgruppemøte",
        kind="development",
        day=timezone.localdate() + datetime.timedelta(days=14),
        start_time=datetime.time(14),
        end_time=datetime.time(15),
        location="Møterommet",
    )
    token = input_services.input_link_for(unit).token
    return unit, leader, rep, meeting, token


AXE_RULE = re.compile(r"^\s*([a-z0-9-]+) \((?:minor|moderate|serious|critical)\):", re.M)


def _axe(page, name, known=()):
    try:
        assert_no_axe_violations(page, name)
    except AssertionError as exc:
        rules = set(AXE_RULE.findall(str(exc)))
        if not rules or not rules <= set(known):
            raise


def _check(page, name, shot=None, known=()):
    _axe(page, name, known)
    assert_fits(page, name)
    if shot:
        screenshot(page, shot)


def _send_anonymous(page, token, text):
    page.goto(page.base_url + f"/i/{token}/")
    page.fill(TEXT, text)
    with page.expect_navigation():
        page.locator(SEND).click()


def _closed_input(unit, rep, text, answer):
    item, _code = input_services.input_submit(unit=unit, text=text)
    input_services.input_close(actor=rep, item=item, status=Status.ANSWERED, answer=answer)
    return item


# --- 1. the whole cycle -------------------------------------------------------------------------


def test_anonymous_input_is_answered_and_read_with_the_receipt(browser, live_server, catalogue):
    unit, leader, rep, meeting, token = _setup()
    text = "Nye vikarer på kveldsvakt trenger bedre opplæring i rutinene for legemidler."
    answer = "Vi tar dette opp på neste møte og lager en sjekkliste for vikarer sammen."

    # An employee opens the poster's link on a phone, without logging in.
    phone = new_page(browser, live_server)
    response = phone.goto(phone.base_url + f"/i/{token}/")
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
    assert phone.locator("form.input-form").count() == 1
    _check(phone, "anonymous form (phone)", "input-anonymous-form-phone")
    phone.fill(TEXT, text)
    phone.select_option("select[name=category]", "competence")
    with phone.expect_navigation():
        phone.locator(SEND).click()
    phone.wait_for_url(re.compile(r"/r/[A-Z0-9]{12}/\?sent=[A-Za-z0-9_-]+$"))
    code = phone.locator("#receipt-code").inner_text().strip()
    assert RECEIPT_CODE.match(code), code
    assert phone.locator(".ds-alert[data-color=success]").count() == 1
    assert text in phone.locator(".input-text").inner_text()
    _check(phone, "receipt after sending (phone)", "input-receipt-sent-phone")

    item = Input.objects.get(unit=unit)
    assert item.author_id is None and item.audience == Audience.GROUP
    assert item.status == Status.NEW and item.category == "competence"
    assert item.receipt_hash and code.replace("-", "") not in item.receipt_hash

    # The union rep opens the group's list and the input.
    staff = new_page(browser, live_server, DESKTOP)
    login(staff, rep.email, PASSWORD)
    staff.goto(staff.base_url + f"/inputs/unit/{unit.pk}/")
    row_link = staff.locator(f"#input-list a[href='/inputs/{item.pk}/']")
    assert row_link.count() == 1
    assert staff.locator("#link-url").input_value().endswith(f"/i/{token}/")
    _check(staff, "group list", "input-group-list")
    with staff.expect_navigation():
        row_link.click()
    assert staff.url.endswith(f"/inputs/{item.pk}/")
    assert text in staff.locator(".input-text").inner_text()
    # The coming meeting is offered, and pre-selected.
    assert staff.locator(f"select[name=target] option[value='{meeting.pk}']").count() == 1
    _check(staff, "input detail with triage form", "input-detail-triage")

    # R21: closing without an answer is refused.
    staff.locator("input[name=status][value=answered]").check()
    with staff.expect_navigation() as refused:
        staff.locator("button[name=action][value=close]").click()
    assert refused.value.status == 400
    assert staff.locator("#error-summary").is_visible()
    assert staff.locator("#error-summary a[href='#id_answer']").count() == 1
    assert staff.locator("textarea[name=answer]").get_attribute("aria-invalid") == "true"
    assert staff.locator("#id_answer_error").is_visible()
    _check(staff, "answer refused without a reason", "input-detail-answer-refused")
    item.refresh_from_db()
    assert item.status == Status.NEW and item.answer == ""

    # Taken up on the coming meeting, with a reasoned answer.
    staff.locator("input[name=status][value=taken_up]").check()
    meeting_select = staff.locator("select[name=target]")
    assert meeting_select.is_visible(), "the meeting choice shows when 'taken up' is chosen"
    meeting_select.select_option(str(meeting.pk))
    staff.fill("textarea[name=answer]", answer)
    with staff.expect_navigation() as sent:
        staff.locator("button[name=action][value=close]").click()
    assert sent.value.status == 200
    assert staff.url.endswith(f"/inputs/{item.pk}/")
    item.refresh_from_db()
    assert item.status == Status.TAKEN_UP and item.answer == answer
    assert item.agenda_item is not None and item.agenda_item.meeting_id == meeting.pk
    assert TAKEN_UP.search(staff.locator(".page-header .badges").inner_text())
    assert answer in staff.locator(".answer-box").inner_text()
    meeting_link = staff.locator(f"main a[href='/meetings/{meeting.pk}/']")
    assert meeting_link.count() == 1
    _check(staff, "input detail taken up", "input-detail-taken-up")

    # The meeting page shows the agenda item, linked back to the input.
    with staff.expect_navigation():
        meeting_link.click()
    agenda_item = staff.locator(f"#item-{item.agenda_item_id}")
    assert item.title in agenda_item.inner_text()
    assert agenda_item.locator(f"a[href='/inputs/{item.pk}/']").count() == 1
    assert_no_axe_violations(staff, "meeting with the input on the agenda")
    staff.context.close()

    # Back on the phone, without login: the code typed in lower case with spaces.
    response = phone.goto(phone.base_url + "/r/")
    assert response.status == 200
    _check(phone, "receipt lookup (phone)", "input-receipt-lookup-phone")
    phone.fill("input[name=code]", code.lower().replace("-", " "))
    with phone.expect_navigation():
        phone.locator("form.form-narrow button[type=submit]").click()
    phone.wait_for_url(re.compile(rf"/r/{code.replace('-', '')}/$"))
    assert phone.locator("#receipt-code").inner_text().strip() == code
    assert answer in phone.locator(".answer-box").inner_text()
    assert TAKEN_UP.search(phone.locator(".answer-box").inner_text())
    # The anonymous submitter does not get a link into the staff pages.
    assert phone.locator(f"main a[href='/meetings/{meeting.pk}/']").count() == 0
    _check(phone, "receipt with answer (phone)", "input-receipt-answer-phone")
    phone.context.close()


# --- 2. R14 on the phone ------------------------------------------------------------------------


def test_wage_text_is_offered_to_the_leader_privately(browser, live_server, catalogue):
    unit, leader, rep, meeting, token = _setup()
    phone = new_page(browser, live_server)
    _send_anonymous(phone, token, "Jeg vil ha høyere lønn")

    warning = phone.locator("#scope-choice")
    assert warning.is_visible()
    assert warning.get_attribute("role") == "alert"
    assert phone.input_value(TEXT) == "Jeg vil ha høyere lønn", "the text is kept"
    assert not Input.objects.exists()
    to_leader = phone.locator("button[name=to_leader][value='1']")
    assert to_leader.is_visible()
    _check(phone, "wage warning (phone)", "input-scope-warning-phone")

    with phone.expect_navigation():
        to_leader.click()
    phone.wait_for_url(re.compile(r"/r/[A-Z0-9]{12}/\?sent=[A-Za-z0-9_-]+$"))
    assert RECEIPT_CODE.match(phone.locator("#receipt-code").inner_text().strip())
    item = Input.objects.get()
    assert item.audience == Audience.LEADER and item.author_id is None
    _check(phone, "receipt for the leader (phone)", "input-receipt-leader-phone")
    phone.context.close()


# --- 3. validation ------------------------------------------------------------------------------


def test_empty_and_over_long_input_are_refused_keeping_the_text(browser, live_server, catalogue):
    unit, leader, rep, meeting, token = _setup()
    phone = new_page(browser, live_server)

    _send_anonymous(phone, token, "")
    summary = phone.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("a[href='#id_text']").count() == 1
    assert phone.locator(TEXT).get_attribute("aria-invalid") == "true"
    assert "id_text_error" in phone.locator(TEXT).get_attribute("aria-describedby")
    _check(phone, "empty input refused (phone)", "input-empty-refused-phone")

    long_text = ("Vi trenger flere hender på kveldsvakt i helgene. " * 45).strip()
    assert len(long_text) > 2000
    phone.fill(TEXT, long_text)
    with phone.expect_navigation():
        phone.locator(SEND).click()
    assert phone.locator("#error-summary").is_visible()
    assert phone.locator(TEXT).get_attribute("aria-invalid") == "true"
    assert phone.input_value(TEXT) == long_text
    assert str(len(long_text)) in phone.locator("#id_text_error").inner_text()
    _check(phone, "over-long input refused (phone)")
    assert not Input.objects.exists()
    phone.context.close()


# --- 4. the staff pages on a phone --------------------------------------------------------------


def test_staff_input_pages_pass_axe_and_fit_a_phone(browser, live_server, catalogue):
    unit, leader, rep, meeting, token = _setup()
    open_item, _code = input_services.input_submit(
        unit=unit, text="Kan vi få en fast plass til rullatorene i gangen?"
    )
    closed = _closed_input(
        unit,
        rep,
        "Dørene til lageret går i lås av seg selv.",
        "Vaktmester har justert låsen. Si fra om det skjer igjen.",
    )
    phone = new_page(browser, live_server)
    login(phone, rep.email, PASSWORD)
    for path, name in [
        ("/inputs/", "index"),
        (f"/inputs/unit/{unit.pk}/", "group-list"),
        (f"/inputs/unit/{unit.pk}/?view=closed", "group-list-closed"),
        (f"/inputs/{open_item.pk}/", "detail-open"),
        (f"/inputs/{closed.pk}/", "detail-closed"),
        ("/inputs/new/", "new"),
    ]:
        response = phone.goto(phone.base_url + path)
        assert response.status == 200, name
        _check(phone, f"{name} (phone)", f"input-phone-{name}")
    phone.context.close()


# --- 5. htmx view switch ------------------------------------------------------------------------


def test_group_list_switches_view_in_place(browser, live_server, catalogue):
    unit, leader, rep, meeting, token = _setup()
    open_item, _code = input_services.input_submit(
        unit=unit, text="Kan vi få en fast plass til rullatorene i gangen?"
    )
    closed = _closed_input(
        unit,
        rep,
        "Dørene til lageret går i lås av seg selv.",
        "Vaktmester har justert låsen. Si fra om det skjer igjen.",
    )
    page = new_page(browser, live_server, DESKTOP)
    login(page, rep.email, PASSWORD)
    page.goto(page.base_url + f"/inputs/unit/{unit.pk}/")
    assert page.locator("a[href='?view=open']").get_attribute("aria-current") == "page"
    assert page.locator(f"#input-list a[href='/inputs/{open_item.pk}/']").count() == 1
    page.evaluate("window.__marker = 'same page'")

    page.locator("a[href='?view=closed']").click()
    page.wait_for_url("**/inputs/unit/*/?view=closed")
    page.locator(f"#input-list a[href='/inputs/{closed.pk}/']").wait_for()
    assert page.evaluate("window.__marker") == "same page", "the view switch reloaded the page"
    assert page.locator(f"#input-list a[href='/inputs/{open_item.pk}/']").count() == 0
    assert page.locator("a[href='?view=closed']").get_attribute("aria-current") == "page"
    assert page.locator("a[href='?view=open']").get_attribute("aria-current") is None
    # The swapped part is the list only: one heading, one nav of views, one link card.
    assert page.locator("h1").count() == 1
    assert page.locator("nav.view-tabs").count() == 1
    assert page.locator("#input-view #input-view").count() == 0
    _axe(page, "group list, closed view after htmx swap")
    screenshot(page, "input-group-list-closed")

    # And back again, still in place.
    page.locator("a[href='?view=open']").click()
    page.wait_for_url("**/inputs/unit/*/?view=open")
    page.locator(f"#input-list a[href='/inputs/{open_item.pk}/']").wait_for()
    assert page.evaluate("window.__marker") == "same page"
    assert page.locator("a[href='?view=open']").get_attribute("aria-current") == "page"
    page.context.close()


# --- 6. keyboard --------------------------------------------------------------------------------


def _focused(page):
    return page.evaluate(
        """() => { const e = document.activeElement;
            return {tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '',
                    type: e.getAttribute('type') || '', cls: e.className || '', id: e.id}; }"""
    )


def _tab_until(page, wanted, limit=15):
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        seen.append(focused)
        if wanted(focused):
            return seen
    pytest.fail(f"Tab never reached the element; focus went through {seen}")


def test_anonymous_form_works_with_the_keyboard(browser, live_server, catalogue):
    unit, leader, rep, meeting, token = _setup()
    page = new_page(browser, live_server, DESKTOP)
    page.goto(page.base_url + f"/i/{token}/")

    page.keyboard.press("Tab")
    assert "ds-skip-link" in _focused(page)["cls"]
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"

    _tab_until(page, lambda f: f["tag"] == "textarea" and f["name"] == "text")
    page.keyboard.type("Vi ønsker oss et stille rom for pauser.")
    _tab_until(page, lambda f: f["tag"] == "select" and f["name"] == "category")
    seen = _tab_until(page, lambda f: f["tag"] == "button" and f["type"] == "submit")
    assert len(seen) == 1, "the send button follows the category directly"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The skip link's #main fragment is carried over the redirect; harmless.
    page.wait_for_url(re.compile(r"/r/[A-Z0-9]{12}/\?sent=[A-Za-z0-9_-]+(#main)?$"))
    assert Input.objects.get().text == "Vi ønsker oss et stille rom for pauser."
    page.context.close()


# --- 7. the poster ------------------------------------------------------------------------------


def test_poster_is_a_pdf(browser, live_server, catalogue):
    unit, leader, rep, meeting, token = _setup()
    page = new_page(browser, live_server, DESKTOP)
    login(page, rep.email, PASSWORD)
    page.goto(page.base_url + f"/inputs/unit/{unit.pk}/")
    href = page.locator("a[href$='poster.pdf']").get_attribute("href")
    assert href == f"/inputs/unit/{unit.pk}/poster.pdf"
    response = page.request.get(page.base_url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "no-store" in response.headers["cache-control"]
    body = response.body()
    assert body.startswith(b"%PDF") and len(body) > 1000
    page.context.close()

    # Without login there is no poster.
    anonymous = new_page(browser, live_server, DESKTOP)
    response = anonymous.request.get(anonymous.base_url + href, max_redirects=0)
    assert response.status in (302, 403, 404)
    anonymous.context.close()


# --- CSRF with the anonymous pages' own Referrer-Policy --------------------------------------


def test_anonymous_form_posts_pass_the_csrf_origin_check(browser, live_server, catalogue):
    """The anonymous form and the receipt lookup, with the app's own headers (no workaround)."""
    unit, leader, rep, meeting, token = _setup()
    phone = new_page(browser, live_server)
    response = phone.goto(phone.base_url + f"/i/{token}/")
    assert response.headers.get("referrer-policy") == "strict-origin"
    phone.fill(TEXT, "Vi trenger et stille rom for pauser.")
    with phone.expect_navigation() as sent:
        phone.locator(SEND).click()
    sent_to = phone.url
    assert phone.goto(phone.base_url + "/r/").status == 200
    phone.fill("input[name=code]", "ABCD-EFGH-JKMN")
    with phone.expect_navigation() as looked_up:
        phone.locator("form.form-narrow button[type=submit]").click()
    phone.context.close()
    assert sent.value.status == 200 and re.search(
        r"/r/[A-Z0-9]{12}/\?sent=[A-Za-z0-9_-]+$", sent_to
    )
    assert looked_up.value.status == 200


# --- heading order on the group's list -----------------------------------------


def test_group_list_heading_order(browser, live_server, catalogue):
    unit, leader, rep, meeting, token = _setup()
    input_services.input_submit(unit=unit, text="Kan vi få en fast plass til rullatorene?")
    page = new_page(browser, live_server, DESKTOP)
    login(page, rep.email, PASSWORD)
    page.goto(page.base_url + f"/inputs/unit/{unit.pk}/")
    headings = page.evaluate(
        "() => Array.from(document.querySelectorAll('main h1, main h2, main h3'))"
        ".map(h => h.tagName.toLowerCase())"
    )
    page.context.close()
    assert headings[1] == "h2", headings


# --- the hide form fits a phone when opened ---------------------------------------


def test_hide_form_fits_a_phone_when_opened(browser, live_server, catalogue):
    unit, leader, rep, meeting, token = _setup()
    item, _code = input_services.input_submit(unit=unit, text="Kan vi få en fast plass?")
    phone = new_page(browser, live_server)
    login(phone, rep.email, PASSWORD)
    phone.goto(phone.base_url + f"/inputs/{item.pk}/")
    assert_fits(phone, "input detail, hide form closed (phone)")
    phone.locator("details:has(textarea[name=reason]) > summary").click()
    phone.locator("textarea[name=reason]").wait_for(state="visible")
    try:
        assert_fits(phone, "input detail, hide form open (phone)")
        screenshot(phone, "input-phone-detail-hide-open")
    except AssertionError:
        screenshot(phone, "input-phone-detail-hide-open")
        raise
    finally:
        phone.context.close()
