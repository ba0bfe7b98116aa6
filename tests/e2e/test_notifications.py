"""Notifications in a browser (P8): a person opens their own page, goes to the settings, chooses
the weekly digest for one kind and turning another off (a plain form, radio buttons), and reads
their log. Checked with axe and for sideways scrolling on a phone and on a desktop."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, check_page, login
from tests.factories import PASSWORD, UnitFactory, person_with_role
from trepart.notifications import services
from trepart.notifications.forms import field_name
from trepart.notifications.models import Mode, Notification
from trepart.organisation.models import Role

SHOTS = "/tmp/shots/notify"


def _page(browser, live_server, viewport, bypass_csp=False):
    """Like conftest.new_page; `bypass_csp` lets axe's script in (check_page adds it inline,
    which the enforced Content Security Policy refuses). The pages are also loaded without it
    and must cause no CSP violation."""
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport, locale="nb-NO", is_mobile=phone, has_touch=phone, bypass_csp=bypass_csp
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    return page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_settings_and_log(browser, live_server, catalogue, viewport):
    unit = UnitFactory(municipality__name="Fjordby kommune", name="Solsiden sykehjem")
    person = person_with_role(Role.UNIT_LEADER, unit, full_name="Lea Leder")
    services.notify(
        person,
        "meetings.minutes_published",
        "Trepart: referatet fra partsgruppemøtet 3. mars er publisert",
        "Referatet er klart.",
        live_server.url + "/",
    )
    services.settings_save(person, {"meetings.action_reminder": Mode.WEEKLY})
    services.notify(
        person, "meetings.action_reminder", "Trepart: 1 oppgave nærmer seg fristen", "x"
    )
    services.settings_save(person, {"surveys.pulse_opened": Mode.OFF})
    services.notify(person, "surveys.pulse_opened", "Trepart: samarbeidspulsen er åpen", "x")
    Notification.objects.create(
        recipient=person,
        kind="inputs.update",
        mode=Mode.IMMEDIATELY,
        subject="Trepart: innspillet ditt har fått svar",
        text="x",
        state=Notification.State.FAILED,
        error="smtp down",
    )
    name = "phone" if viewport is PHONE else "desktop"

    # First without bypassing the policy: nothing on the pages is refused.
    strict = _page(browser, live_server, viewport)
    refused = []
    strict.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    login(strict, person.email, PASSWORD)
    for url in ("/accounts/me/", "/notifications/settings/", "/notifications/"):
        strict.goto(strict.base_url + url)
    strict.context.close()
    assert not refused, refused

    page = _page(browser, live_server, viewport, bypass_csp=True)
    login(page, person.email, PASSWORD)
    page.goto(page.base_url + "/accounts/me/")
    page.get_by_role("link", name="Mine varsler").first.wait_for()
    page.screenshot(path=f"{SHOTS}/own_page_{name}.png", full_page=True)

    page.goto(page.base_url + "/notifications/settings/")
    check_page(page, f"notifications_settings_{name}")
    page.screenshot(path=f"{SHOTS}/settings_{name}.png", full_page=True)
    page.check(f"#id_{field_name('meetings.minutes_published')}_1")  # weekly
    page.check(f"#id_{field_name('inputs.update')}_2")  # off
    with page.expect_navigation():
        page.locator("form.notify-settings button[type=submit]").click()
    assert services.mode_for(person, "meetings.minutes_published") == Mode.WEEKLY
    assert services.mode_for(person, "inputs.update") == Mode.OFF
    assert page.locator(f"#id_{field_name('inputs.update')}_2").is_checked()

    page.goto(page.base_url + "/notifications/")
    check_page(page, f"notifications_log_{name}")
    page.screenshot(path=f"{SHOTS}/log_{name}.png", full_page=True)
    assert page.locator(".notify-log__item").count() == 4
    page.context.close()
