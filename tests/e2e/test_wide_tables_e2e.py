"""Issue 10: wide tables on phones show that they scroll: a hint above, a fading edge, and the
region reachable by keyboard. Checked on the pages with tables, at phone width."""

from tests.e2e.conftest import PHONE, assert_no_axe_violations, login, new_page, screenshot
from tests.factories import PASSWORD, UnitFactory, person_with_role
from trepart.organisation.models import Role


def test_every_table_either_fits_or_shows_that_it_scrolls(browser, live_server, catalogue):
    unit = UnitFactory(municipality__name="Tabellvik kommune", name="Solsiden sykehjem")
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=unit.municipality)
    for i in range(8):
        person = person_with_role(
            Role.EMPLOYEE, unit, full_name=f"Ansatt med et ganske langt navn {i}"
        )
        person.email = f"ansatt.med.langt.navn.{i}@tabellvik.kommune.no"
        person.save(update_fields=["email"])
    page = new_page(browser, live_server, PHONE)
    login(page, admin.email, PASSWORD)
    checked = 0
    for path in ["/manage/people/", f"/manage/people/{admin.pk}/"]:
        page.goto(page.base_url + path)
        page.wait_for_load_state("load")
        wraps = page.locator(".table-wrap")
        for i in range(wraps.count()):
            wrap = wraps.nth(i)
            state = wrap.evaluate(
                """w => ({scrolls: w.scrollWidth > w.clientWidth + 1,
                          marked: w.classList.contains('table-wrap--scrolls'),
                          tabindex: w.getAttribute('tabindex'),
                          label: w.getAttribute('aria-label'),
                          hint: !!(w.previousElementSibling
                                   && w.previousElementSibling.classList.contains('table-hint'))})"""
            )
            checked += 1
            if state["scrolls"]:
                assert state["marked"] and state["hint"], (path, state)
                assert state["tabindex"] == "0" and state["label"], (path, state)
            else:
                assert not state["marked"] and not state["hint"], (path, state)
        assert_no_axe_violations(page, path)
        screenshot(page, "wide-table-" + path.strip("/").replace("/", "-"))
    assert checked
