"""Browser tests for invitations (issue 10, point 1), on a phone and on a desktop: an administrator
sends an invitation from the person's page; the link from the e-mail sets a password once and is
then refused. Also the import's "invite everyone new" with its progress, and the composition
check's link to the pre-filled role form (point 9). Real chromium, real server, axe."""

import re
from pathlib import Path

import pytest
from django.core import mail

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    assert_fits,
    assert_no_axe_violations,
    login,
    new_page,
    screenshot,
)
from tests.factories import PASSWORD, UnitFactory, UserFactory, person_with_role
from trepart.accounts.models import Invitation
from trepart.organisation.models import Role, RoleAssignment

LINK = re.compile(r"https?://[^\s]+(/accounts/invitation/[^/\s]+/)")
NEW_PASSWORD = "Fjordlys-og-kaffe-2026"
SHOTS = Path("/tmp/shots/invite")
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def _shot(page, name):
    screenshot(page, name)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"e2e-{name}.png"), full_page=True)


def _setup():
    unit = UnitFactory(municipality__name="Testvik kommune", name="Lia barnehage")
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=unit.municipality)
    newcomer = UserFactory(
        municipality=unit.municipality, full_name="Nina Nyansatt", email="nina@testvik.test"
    )
    newcomer.set_unusable_password()
    newcomer.save()
    RoleAssignment.objects.create(
        municipality=unit.municipality,
        person=newcomer,
        role=Role.EMPLOYEE,
        unit=unit,
        starts_on="2025-01-01",
    )
    return unit, admin, newcomer


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_invitation_link_sets_a_password_once_and_is_then_refused(
    browser, live_server, catalogue, size
):
    unit, admin, newcomer = _setup()
    viewport = VIEWPORTS[size]
    admin_page = new_page(browser, live_server, viewport)
    login(admin_page, admin.email, PASSWORD)
    admin_page.goto(admin_page.base_url + f"/manage/people/{newcomer.pk}/")
    assert_no_axe_violations(admin_page, "person page before the invitation")
    assert_fits(admin_page, "person page")
    _shot(admin_page, f"{size}-person-not-invited")
    with admin_page.expect_navigation():
        admin_page.locator("form[action$='/invite/'] button").click()
    assert "#access" in admin_page.url
    state = admin_page.locator("#invitation-state").inner_text()
    assert newcomer.email in admin_page.locator(".messages").inner_text()
    assert_no_axe_violations(admin_page, "person page with the invitation sent")
    _shot(admin_page, f"{size}-person-invited")

    # The e-mail, sent by the background job once the request's transaction committed.
    [message] = mail.outbox
    assert message.to == [newcomer.email]
    path = LINK.search(message.body).group(1)
    assert Invitation.objects.get().sent_at is not None
    assert state  # the state line is shown

    invited = new_page(browser, live_server, viewport)
    response = invited.goto(invited.base_url + path)
    assert response.status == 200
    assert newcomer.full_name in invited.locator("main").inner_text()
    assert_no_axe_violations(invited, "invitation page")
    assert_fits(invited, "invitation page")
    _shot(invited, f"{size}-invitation-accept")
    invited.fill("#id_new_password1", NEW_PASSWORD)
    invited.fill("#id_new_password2", NEW_PASSWORD)
    with invited.expect_navigation():
        invited.locator("main form button[type=submit]").click()
    assert invited.url == invited.base_url + "/"
    assert "Nina" in invited.locator("h1").inner_text()  # logged in: "Hello, Nina"
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)

    # A second use of the same link is refused, in a fresh browser too.
    again = new_page(browser, live_server, viewport)
    response = again.goto(again.base_url + path)
    assert response.status == 410
    assert again.locator("#id_new_password1").count() == 0
    assert newcomer.email not in again.locator("main").inner_text()
    assert again.locator("main a[href='/accounts/password-reset/']").count() == 1
    assert_no_axe_violations(again, "used invitation")
    assert_fits(again, "used invitation")
    _shot(again, f"{size}-invitation-used")

    # The administrator sees it accepted, with no button to send it again.
    admin_page.reload()
    assert admin_page.locator("form[action$='/invite/']").count() == 0
    for p in (admin_page, invited, again):
        p.context.close()


def test_import_invites_everyone_new_and_shows_progress(browser, live_server, catalogue, tmp_path):
    unit, admin, _newcomer = _setup()
    page = new_page(browser, live_server, DESKTOP)
    login(page, admin.email, PASSWORD)
    csv = tmp_path / "ansatte.csv"
    csv.write_text(
        "enhet;navn;e-post;rolle\n"
        + "".join(f"Lia barnehage;Ansatt {n};ansatt{n}@testvik.test;ansatt\n" for n in range(5)),
        encoding="utf-8",
    )
    page.goto(page.base_url + "/manage/import/")
    page.set_input_files("#id_file", str(csv))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    with page.expect_navigation():
        page.locator("form[action$='/apply/'] button").click()
    assert "/manage/import/" in page.url
    invite = page.locator("form[action$='/invite/'] button")
    invite.wait_for()
    assert_no_axe_violations(page, "import done, invitations offered")
    _shot(page, "desktop-import-invite-offered")
    with page.expect_navigation():
        invite.click()
    # The job ran (immediate backend in the tests): the count is complete and polling stopped.
    status = page.locator("#invitation-status")
    assert "5" in status.inner_text()
    assert status.get_attribute("hx-trigger") is None
    assert len(mail.outbox) == 5
    assert_no_axe_violations(page, "import invitations sent")
    _shot(page, "desktop-import-invitations-sent")

    phone = new_page(browser, live_server, PHONE)
    login(phone, admin.email, PASSWORD)
    phone.goto(page.url)
    assert_fits(phone, "import page")
    _shot(phone, "phone-import-invitations-sent")
    page.context.close()
    phone.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_finding_links_to_the_prefilled_role_form(browser, live_server, catalogue, size):
    unit, admin, newcomer = _setup()
    person_with_role(Role.UNIT_LEADER, unit)
    page = new_page(browser, live_server, VIEWPORTS[size])
    login(page, admin.email, PASSWORD)
    page.goto(page.base_url + f"/units/{unit.pk}/")
    link = page.locator(f".findings a[href*='role=safety_rep'][href*='unit={unit.pk}']")
    with page.expect_navigation():
        link.click()
    assert page.locator("#id_role").input_value() == "safety_rep"
    assert page.locator("#id_unit").input_value() == str(unit.pk)
    # Fields the chosen role does not use are hidden (progressive enhancement, CSS :has()).
    assert not page.locator("#id_union").is_visible()
    assert_no_axe_violations(page, "role form")
    assert_fits(page, "role form")
    _shot(page, f"{size}-role-form-prefilled")
    page.select_option("#id_role", "local_union_rep")
    assert page.locator("#id_union").is_visible()
    page.select_option("#id_role", "safety_rep")
    page.fill("#id_person", "Nina")
    page.locator(f"input[name=person][value='{newcomer.pk}']").first.wait_for()
    page.locator(f"input[name=person][value='{newcomer.pk}']").first.check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.url.endswith(f"/units/{unit.pk}/")
    assert RoleAssignment.objects.filter(person=newcomer, role=Role.SAFETY_REP, unit=unit).exists()
    _shot(page, f"{size}-unit-after-register")
    page.context.close()
