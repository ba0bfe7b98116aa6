"""Issue 11 point 6: search in a real browser — from the header box, as you type (htmx), and
without JavaScript; marks visible, axe clean, reachable by keyboard, phone and desktop."""

from __future__ import annotations

from tests.e2e.conftest import (
    CHROMIUM_ARGS,  # noqa: F401 — the browser fixture uses it
    DESKTOP,
    PHONE,
    assert_fits,
    assert_no_axe_violations,
    login,
    new_page,
    screenshot,
)
from tests.factories import PASSWORD, UnitFactory, person_with_role
from tests.search.conftest import make_experience, make_input, make_measure, make_minutes
from trepart.organisation.models import Role


def _world():
    unit = UnitFactory(municipality__name="Søkevik kommune", name="Solsiden sykehjem")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder")
    make_input(unit, "Nattevakta er for tynt bemannet i helgene.", public=True)
    make_input(unit, "Kveldsvaktene trenger en fast ansvarlig for medisinrommet.")
    make_input(unit, "Hemmelig: vaktlista og en kollega.", hidden=True, hidden_reason="Person.")
    make_measure(
        unit,
        "Ny turnus med lengre vakter i helgene",
        problem="For mange korte vakter gir slitasje og mye vaktbytte.",
    )
    make_minutes(
        unit,
        "Partsgruppemøte februar",
        [("Bemanning i jula", "Vi snakket om vaktene i jula og hvem som tar nattevakter.", "")],
    )
    make_experience(
        unit,
        "Ønsketurnus på Solsiden",
        tried="De ansatte ønsket vakter selv i en felles vaktplan.",
        happened="Færre bytter og mindre overtid.",
        learned="Start med én avdeling.",
    )
    employee = person_with_role(Role.EMPLOYEE, unit, full_name="Emil Ansatt")
    return leader, employee


def test_search_as_you_type_with_marks_on_phone_and_desktop(browser, live_server, catalogue):
    leader, employee = _world()
    for viewport, name in [(PHONE, "phone"), (DESKTOP, "desktop")]:
        page = new_page(browser, live_server, viewport)
        login(page, leader.email, PASSWORD)
        # The header box leads to the search page (a plain GET form).
        page.fill("#site-search-q", "vakter")
        with page.expect_navigation():
            page.press("#site-search-q", "Enter")
        assert "/search/?q=vakter" in page.url
        assert page.locator("#search-results mark").count() >= 3
        # Typing refreshes the results without a page load (htmx), and the address follows.
        page.fill("#search-q", "kveldsvakt")
        page.wait_for_function(
            "document.querySelectorAll('#search-results .search-hit').length === 1"
        )
        assert "medisinrommet" in page.locator("#search-results").inner_text()
        # The one-sentence status (role="status") follows, for screen readers.
        status = page.locator("#search-status")
        assert status.count() == 1 and "kveldsvakt" in status.text_content()
        assert status.text_content().strip().startswith("1 ")
        assert page.locator("#search-results mark").first.inner_text() == "Kveldsvaktene"
        page.wait_for_function("location.search.includes('kveldsvakt')")
        # Compounds and inflections together; hits link to their pages.
        page.fill("#search-q", "vakt")
        page.wait_for_function(
            "document.querySelectorAll('#search-results .search-hit').length >= 5"
        )
        assert page.locator("#search-results .search-hit a").count() >= 5
        assert_no_axe_violations(page, f"search ({name})")
        assert_fits(page, f"search ({name})")
        screenshot(page, f"search-{name}")
        # Keyboard: from the top of the page, Tab reaches the box.
        page.goto(page.base_url + "/search/?q=turnus")
        page.keyboard.press("Tab")  # skip link
        for _ in range(25):  # past the header and the main navigation
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "search-q":
                break
        assert page.evaluate("document.activeElement.id") == "search-q"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Søk"
        page.context.close()


def test_employee_does_not_find_hidden_input_and_page_works_without_javascript(
    browser, live_server, catalogue
):
    leader, employee = _world()
    context = browser.new_context(viewport=PHONE, locale="nb-NO", java_script_enabled=False)
    page = context.new_page()
    page.base_url = live_server.url
    login(page, employee.email, PASSWORD)
    page.goto(page.base_url + "/search/")
    page.fill("#search-q", "vaktlista")
    with page.expect_navigation():
        page.press("#search-q", "Enter")
    text = page.locator("#search-results").inner_text()
    assert "Hemmelig" not in text
    page.fill("#search-q", "nattevakt")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    assert page.locator("#search-results mark").count() >= 1
    assert "Hemmelig" not in page.content()
    screenshot(page, "search-employee-nojs-phone")
    context.close()
