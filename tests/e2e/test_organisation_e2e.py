"""Browser tests for the foundation (issue: foundation). Real chromium, real server, axe."""

import datetime

from tests.e2e.conftest import assert_no_axe_violations, login, screenshot
from tests.factories import PASSWORD, UnitFactory, person_with_role, presence
from tests.sso.helpers import code_for, give_totp
from trepart.organisation.models import Role, RoleAssignment

HEADER = "tjenesteområde;enhet;avdeling;navn;e-post;rolle;fagforening;side;fra;til\n"


def _setup(municipality_name="Testvik kommune"):
    unit = UnitFactory(municipality__name=municipality_name, name="Lia barnehage")
    presence(unit, "Fagforbundet")
    person_with_role(Role.UNIT_LEADER, unit, starts_on=datetime.date(2024, 1, 1))
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=unit.municipality)
    return unit, admin


def test_admin_imports_with_a_bad_row_fixes_it_and_sees_findings_change(page, tmp_path):
    unit, admin = _setup()
    login(page, admin.email, PASSWORD)

    # Before: the unit lacks a safety rep and a Fagforbundet rep (R4).
    page.goto(page.base_url + f"/units/{unit.pk}/")
    findings = page.locator(".findings").inner_text()
    assert "Mangler verneombud" in findings
    assert "Fagforbundet" in findings
    assert_no_axe_violations(page, "unit page")
    screenshot(page, "unit-before-import")

    bad = tmp_path / "ansatte.csv"
    bad.write_text(
        HEADER
        + ";Lia barnehage;;Sara Dahl;sara.dahl@example.test;verneombud;;;01.01.2025;\n"
        + ";Lia barnehage;;Leif Holm;leif.holm@example.test;plasstillitsvalgt;Fagforbundett;;01.01.2025;\n",
        encoding="utf-8",
    )
    page.goto(page.base_url + "/manage/import/")
    assert_no_axe_violations(page, "import upload")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Kontroller fila").click()

    # Dry run: the bad row is listed with its row number and reason; nothing is saved.
    errors = page.locator("#import-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "3" in text and "Fagforbundett" in text
    assert page.get_by_role("button", name="Importer nå").count() == 0
    assert not RoleAssignment.objects.filter(person__email="sara.dahl@example.test").exists()
    assert_no_axe_violations(page, "import review with errors")
    screenshot(page, "import-review-errors")

    good = tmp_path / "ansatte-rettet.csv"
    good.write_text(
        bad.read_text(encoding="utf-8").replace("Fagforbundett", "Fagforbundet"), encoding="utf-8"
    )
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="Kontroller fila").click()
    page.get_by_role("button", name="Importer nå").wait_for()
    assert_no_axe_violations(page, "import review ok")
    screenshot(page, "import-review-ok")
    with page.expect_navigation():
        page.get_by_role("button", name="Importer nå").click()
    assert "2 rolletildelinger" in page.locator(".messages").inner_text()

    # After: the composition check no longer reports the missing roles.
    page.goto(page.base_url + f"/units/{unit.pk}/")
    body = page.locator("main").inner_text()
    assert "Sara Dahl" in body and "Leif Holm" in body
    assert "Partsgruppa har anbefalt sammensetning." in body
    assert "Mangler verneombud" not in body
    screenshot(page, "unit-after-import")


def test_pages_pass_axe_and_fit_a_phone(phone_page):
    unit, admin = _setup()
    page = phone_page
    login(page, admin.email, PASSWORD)
    for path, name in [
        ("/", "home"),
        ("/structure/", "structure"),
        (f"/units/{unit.pk}/", "unit"),
        ("/steering-group/", "steering-group"),
        ("/manage/", "manage"),
        ("/manage/people/", "people"),
        (f"/manage/people/{admin.pk}/", "person"),
        ("/manage/adoption/", "adoption"),
    ]:
        page.goto(page.base_url + path)
        assert_no_axe_violations(page, name)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways on a 360 px phone ({overflow}px)"
        sticking_out = page.evaluate(
            """() => Array.from(document.querySelectorAll('main *'))
                .filter(e => !e.closest('.table-wrap'))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
        )
        assert not sticking_out, f"{name}: elements wider than a 360 px phone: {sticking_out}"
        screenshot(page, f"phone-{name}")


def test_login_page_axe_and_keyboard_skip_link(page):
    page.goto(page.base_url + "/accounts/login/")
    assert_no_axe_violations(page, "login")
    # The login page focuses the e-mail field; elsewhere the skip link is the first Tab stop.
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.goto(page.base_url + "/accounts/password-reset/")
    assert_no_axe_violations(page, "password reset")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "ds-skip-link" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_only_login_and_role_assignment(page):
    unit, admin = _setup()
    device = give_totp(admin)
    employee = person_with_role(Role.EMPLOYEE, unit)
    page.goto(page.base_url + "/accounts/login/")
    page.focus("#id_username")
    page.keyboard.type(admin.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # Issue 13: an admin who logged in with a password gives a code from the authenticator app
    # before any page, with the keyboard too, and then comes to the page asked for.
    page.wait_for_url("**/sso/second-factor/**")
    page.focus("#id_code")
    page.keyboard.type(code_for(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == page.base_url + "/"
    page.goto(page.base_url + f"/manage/people/{employee.pk}/")
    page.select_option("#id_role", "safety_rep")
    page.select_option("#id_unit", str(unit.pk))
    page.get_by_role("button", name="Gi rolle").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert RoleAssignment.objects.filter(person=employee, role=Role.SAFETY_REP, unit=unit).exists()
    assert_no_axe_violations(page, "person detail after assignment")
    screenshot(page, "person-detail")


def test_people_search_updates_in_place_with_htmx(page):
    unit, admin = _setup()
    person_with_role(Role.EMPLOYEE, unit, full_name="Sigrid Fjellstad")
    person_with_role(Role.EMPLOYEE, unit, full_name="Oskar Brekke")
    login(page, admin.email, PASSWORD)
    page.goto(page.base_url + "/manage/people/")
    page.evaluate("window.__marker = 'same page'")
    page.fill("#id_q", "Sigrid")
    page.wait_for_url("**/manage/people/?q=Sigrid**")
    results = page.locator("#people-results")
    results.get_by_text("Sigrid Fjellstad").wait_for()
    assert "Oskar Brekke" not in results.inner_text()
    # The list was replaced without a page load (htmx), and the URL can be bookmarked.
    assert page.evaluate("window.__marker") == "same page"
    assert_no_axe_violations(page, "people search")


def test_people_list_pages_keep_the_search(phone_page):
    """Issue 9: 50 people a page; the page links keep the search and work with htmx."""
    from tests.e2e.conftest import assert_fits
    from trepart.accounts.models import User

    unit, admin = _setup()
    User.objects.bulk_create(
        User(
            email=f"ansatt{i}@testvik.no",
            full_name=f"Ansatt {i:03d}",
            municipality=unit.municipality,
        )
        for i in range(120)
    )
    page = phone_page
    login(page, admin.email, PASSWORD)
    page.goto(page.base_url + "/manage/people/")
    page.evaluate("window.__marker = 'same page'")
    page.fill("#id_q", "ansatt")
    page.wait_for_url("**/manage/people/?q=ansatt**")
    nav = page.get_by_role("navigation", name="Sider i personlisten")
    assert nav.locator("[aria-current=page]").inner_text().strip().endswith("1")
    nav.get_by_role("link", name="Side 2", exact=True).click()
    page.wait_for_url("**/manage/people/?q=ansatt&page=2")
    page.locator("#people-results").get_by_text("Ansatt 050").wait_for()
    assert "Ansatt 049" not in page.locator("#people-results").inner_text()
    assert page.evaluate("window.__marker") == "same page"
    assert nav.locator("[aria-current=page]").inner_text().strip().endswith("2")
    assert_no_axe_violations(page, "people list page 2")
    assert_fits(page, "people list on a phone")
    screenshot(page, "people-list-pagination-phone")
