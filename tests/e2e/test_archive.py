"""The archive export in a browser (issue 13 part 4): the administrator finds the card on the
administration page, tries a period that ends before it starts (the error by the field, what
was typed kept), then downloads the package; the meeting page offers each published version
as PDF/A. Pages checked with axe, for sideways scrolling, on a phone and a desktop."""

from __future__ import annotations

import datetime
import io
import shutil
import zipfile
from pathlib import Path

from django.utils import timezone

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, check_page, login
from tests.factories import PASSWORD, UnitFactory, person_with_role
from tests.meetings.conftest import make_meeting, publishable
from tests.sso.helpers import code_for, give_totp
from trepart.meetings import services
from trepart.organisation.models import Role

SHOTS = Path("/tmp/shots/archive")


def _shot(name: str) -> None:
    """Keep a copy of check_page's screenshot where the helpers look at them."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.png"
    if source.exists():
        shutil.copy(source, SHOTS / f"{name}.png")


def new_page(browser, live_server, viewport):
    """As tests/e2e/conftest.new_page, but axe may be injected although the Content Security
    Policy forbids inline scripts (bypass_csp applies to what the test injects; the pages'
    own markup is checked for inline script and style in tests/archive/test_package.py)."""
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport, locale="nb-NO", is_mobile=phone, has_touch=phone, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    return page


def admin_login(page, admin):
    """Password, then the second factor that administration pages ask of an admin."""
    device = give_totp(admin)
    login(page, admin.email, PASSWORD)
    page.goto(page.base_url + "/manage/")
    if "/sso/second-factor/" in page.url:
        page.fill("input[name=code]", code_for(device))
        with page.expect_navigation():
            page.locator("form:has(input[name=code]) button[type=submit]").click()


def test_admin_downloads_the_archive_package(browser, live_server, catalogue):
    unit = UnitFactory(municipality__name="Fjordby kommune", name="Solsiden sykehjem")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder")
    admins = {
        suffix: person_with_role(
            Role.MUNICIPAL_ADMIN, municipality=unit.municipality, full_name=f"Adm {suffix}"
        )
        for suffix in ("phone", "desktop")
    }
    meeting = make_meeting(leader, unit, title="Partsgruppemøte mars")
    publishable(leader, meeting, [leader])
    services.minutes_publish(actor=leader, meeting=meeting, notify=False)
    today = timezone.localdate()

    for viewport, suffix in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = new_page(browser, live_server, viewport)
        admin_login(page, admins[suffix])
        page.goto(page.base_url + "/manage/")
        page.get_by_role("link", name="Arkiveksport").or_(
            page.get_by_role("link", name="Archive export")
        ).first.click()
        page.wait_for_url("**/manage/archive/")
        check_page(page, f"archive-{suffix}")
        _shot(f"archive-{suffix}")

        # A period that ends before it starts: refused by the field, typed values kept.
        page.fill("#id_start", today.replace(day=1).isoformat())
        page.fill("#id_end", (today.replace(day=1) - datetime.timedelta(days=1)).isoformat())
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.locator("#error-summary").is_visible()
        assert page.input_value("#id_start") == today.replace(day=1).isoformat()
        check_page(page, f"archive-error-{suffix}")
        _shot(f"archive-error-{suffix}")

        # This year: the package downloads.
        page.fill("#id_start", datetime.date(today.year, 1, 1).isoformat())
        page.fill("#id_end", today.isoformat())
        with page.expect_download(timeout=120_000) as info:
            page.locator("main form button[type=submit]").click()
        download = info.value
        assert download.suggested_filename.startswith("trepart-arkiv-fjordby-kommune-")
        archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
        names = archive.namelist()
        assert "arkivstruktur.xml" in names and "info.xml" in names
        assert any(n.startswith("dokumenter/referat-") for n in names)
        page.context.close()

    # The meeting page offers the published version for the archive.
    page = new_page(browser, live_server, DESKTOP)
    login(page, leader.email, PASSWORD)
    page.goto(f"{page.base_url}/meetings/{meeting.pk}/")
    link = page.locator(f"a[href='/archive/meetings/{meeting.pk}/pdfa/?version=1']")
    assert link.count() == 1
    link.scroll_into_view_if_needed()
    check_page(page, "archive-meeting-panel")
    _shot("archive-meeting-panel")
    page.context.close()
