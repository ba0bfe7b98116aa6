"""Browser tests for personal data (issue 13 part 3, P8): a person downloads their data from
their own page; a municipal administrator erases a person from the person's page, through the
confirmation step. Phone and desktop, axe and screenshots on every page."""

import datetime
import io
import json
import pathlib
import zipfile

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.conftest import DESKTOP, PHONE, check_page, login
from tests.factories import PASSWORD, UnitFactory, person_with_role, presence
from trepart.inputs import services as input_services
from trepart.meetings import services as meeting_services
from trepart.organisation.models import Role

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, in hex


# Every page of this test listens for Content Security Policy violations (no inline script or
# style may be needed); axe's script is let in by bypass_csp, which covers only injected code.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI || 'inline'}`);
});
"""


def new_page(browser, live_server, viewport):
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport, locale="nb-NO", is_mobile=phone, has_touch=phone, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.base_url = live_server.url
    return page


def check(page, name):
    violations = page.evaluate("() => window.__cspViolations || []")
    assert not violations, f"{name} broke the Content Security Policy: {violations}"
    check_page(page, name)
    shots = pathlib.Path("/tmp/shots/gdpr")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def _setup():
    unit = UnitFactory(municipality__name="Testvik kommune", name="Lia barnehage")
    presence(unit, "Fagforbundet")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Kari Leder")
    leader.phone = "912 34 567"
    leader.save(update_fields=["phone"])
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=unit.municipality)
    TOTPDevice.objects.create(user=admin, name="app", key=KEY, confirmed=True)
    today = timezone.localdate()
    meeting = meeting_services.meeting_create(
        actor=leader,
        municipality=unit.municipality,
        unit=unit,
        title="Partsgruppemøte",
        kind="development",
        day=today + datetime.timedelta(days=3),
        start_time=datetime.time(14),
        end_time=datetime.time(15),
    )
    item = meeting_services.agenda_item_propose(actor=leader, meeting=meeting, title="Turnus")
    meeting_services.item_minutes_save(
        actor=leader,
        item=item,
        revision=item.revision,
        summary="Kari Leder la fram forslaget. Ring 912 34 567.",
        way_forward="",
    )
    input_services.input_submit(unit=unit, text="Ønsker bedre pauserom", author=leader)
    return unit, leader, admin


def _second_factor(page):
    """The administration pages ask a password-logged-in admin for a code (trepart.sso)."""
    if "/sso/second-factor/" not in page.url:
        return
    page.fill("#id_code", f"{totp(bytes.fromhex(KEY)):06d}")
    with page.expect_navigation():
        page.locator("#second-factor-form button[type=submit]").click()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_person_downloads_their_data_from_their_own_page(browser, live_server, catalogue, size):
    unit, leader, admin = _setup()
    page = new_page(browser, live_server, VIEWPORTS[size])
    login(page, leader.email, PASSWORD)
    page.goto(page.base_url + "/accounts/me/")
    panel = page.locator("#own-data")
    assert panel.is_visible()
    check(page, f"personaldata-own-page-{size}")

    with page.expect_download() as info:
        panel.locator("button[type=submit]").click()
    download = info.value
    assert download.suggested_filename.startswith("trepart-data-")
    assert download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))
    assert archive.namelist() == ["index.html", "data.json"]
    data = json.loads(archive.read("data.json"))
    keys = {s["key"] for s in data["sections"]}
    assert {"accounts.User", "organisation.RoleAssignment", "inputs.Input"} <= keys

    # The readable page of the zip is fine on this screen too (opened from disk).
    html = archive.read("index.html").decode()
    page.set_content(html)
    assert "Ønsker bedre pauserom" in page.content()
    page.screenshot(path=f"/tmp/shots/gdpr/personaldata-export-{size}.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_admin_erases_a_person_after_confirming(browser, live_server, catalogue, size):
    unit, leader, admin = _setup()
    page = new_page(browser, live_server, VIEWPORTS[size])
    login(page, admin.email, PASSWORD)
    page.goto(page.base_url + f"/manage/people/{leader.pk}/")
    _second_factor(page)
    assert page.url.endswith(f"/manage/people/{leader.pk}/")
    panel = page.locator("#personal-data")
    assert panel.is_visible()
    check(page, f"personaldata-person-page-{size}")

    with page.expect_navigation():
        panel.locator(f'a[href="/manage/people/{leader.pk}/erase/"]').click()
    assert "Kari Leder" in page.locator("h1").inner_text()
    check(page, f"personaldata-erase-confirm-{size}")

    # A wrong name is refused next to the field; what was typed stays.
    page.fill("#id_confirm_name", "Kari Ledr")
    with page.expect_navigation():
        page.locator("#erase-form button[type=submit]").click()
    assert page.locator("#id_confirm_name").input_value() == "Kari Ledr"
    assert page.locator(".ds-error-summary, #id_confirm_name_error").first.is_visible()
    leader.refresh_from_db()
    assert leader.erased_at is None
    check(page, f"personaldata-erase-refused-{size}")

    page.fill("#id_confirm_name", "Kari Leder")
    with page.expect_navigation():
        page.locator("#erase-form button[type=submit]").click()
    assert f"/manage/people/{leader.pk}/" in page.url
    leader.refresh_from_db()
    assert leader.erased_at is not None and not leader.is_active
    assert "Kari" not in page.locator("h1").inner_text()
    assert page.locator("#personal-data").is_visible()
    check(page, f"personaldata-erased-{size}")
    item = leader.role_assignments.first()
    assert item is not None  # the role history is kept
    page.context.close()
