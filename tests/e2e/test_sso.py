"""Browser tests for single sign-on (issue 13), on a phone and on a desktop: the login page's
button goes to the (fake) provider and comes back logged in; a refused login ends on a clear
page; a municipal admin who logged in with a password meets the second factor before the
administration pages and sets up an authenticator app. Real chromium, real server, axe."""

import base64
import re
from pathlib import Path

import pytest
from django_otp.oath import totp

from tests.e2e.conftest import DESKTOP, PHONE, check_page, login
from tests.factories import PASSWORD, UnitFactory, UserFactory, give_role, person_with_role
from tests.sso.fake_provider import FakeProvider
from trepart.organisation.models import Role
from trepart.sso.models import Identity, IdentityProvider

SHOTS = Path("/tmp/shots/sso")
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def _check(page, name):
    check_page(page, name)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"e2e-{name}.png"), full_page=True)


def new_page(browser, live_server, viewport, bypass_csp=True):
    """Like conftest.new_page; axe is injected as an inline script, which the Content Security
    Policy refuses, so these contexts bypass it. `_csp_violations` checks our pages without."""
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport, locale="nb-NO", is_mobile=phone, has_touch=phone, bypass_csp=bypass_csp
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    return page


def _csp_violations(browser, live_server, paths, admin=None):
    page = new_page(browser, live_server, DESKTOP, bypass_csp=False)
    seen = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    if admin is not None:
        login(page, admin.email, PASSWORD, second_factor=False)
    for path in paths:
        page.goto(page.base_url + path)
        page.wait_for_load_state("load")
    page.context.close()
    return seen


@pytest.fixture
def op(settings):
    settings.SSO_ALLOW_PRIVATE_HOSTS = True  # the fake provider runs on 127.0.0.1
    with FakeProvider() as provider:
        yield provider


def _setup(op):
    unit = UnitFactory(municipality__name="Testvik kommune", name="Lia barnehage")
    person = UserFactory(
        municipality=unit.municipality, full_name="Kari Nordmann", email="kari@example.test"
    )
    give_role(person, Role.EMPLOYEE, unit)
    provider = IdentityProvider.objects.create(
        municipality=unit.municipality,
        kind=IdentityProvider.Kind.ENTRA_ID,
        label="Testvik kommune (Entra ID)",
        issuer=op.issuer,
        client_id=op.client_id,
        client_secret=op.client_secret,
        enabled=True,
    )
    return unit, person, provider


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_login_through_the_provider(browser, live_server, catalogue, op, size):
    unit, person, provider = _setup(op)
    page = new_page(browser, live_server, VIEWPORTS[size])
    page.goto(page.base_url + "/accounts/login/")
    button = page.locator(f'a[href^="/sso/login/{provider.pk}/"]')
    assert "Testvik kommune (Entra ID)" in button.inner_text()
    _check(page, f"sso-login-page-{size}")
    with page.expect_navigation(url=re.compile(r"/$")):
        button.click()
    assert page.url == page.base_url + "/"
    assert Identity.objects.get(provider=provider).user == person
    assert op.authorize_requests[-1]["code_challenge_method"] == "S256"
    page.goto(page.base_url + "/accounts/me/")
    assert "kari@example.test" in page.content()
    assert page.locator("#own-sign-in").is_visible()  # "linked to …" with a button to unlink
    _check(page, f"sso-own-page-{size}")
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_refused_login_ends_on_a_clear_page(browser, live_server, catalogue, op, size):
    unit, person, provider = _setup(op)
    op.fault = "aud"
    page = new_page(browser, live_server, VIEWPORTS[size])
    page.goto(page.base_url + "/accounts/login/")
    page.locator(f'a[href^="/sso/login/{provider.pk}/"]').click()
    page.wait_for_url(re.compile(r"/sso/callback/"))
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert page.locator("h1").inner_text()
    _check(page, f"sso-refused-{size}")
    assert not Identity.objects.exists()
    page.context.close()


@pytest.mark.parametrize("fault", ["nonce", "aud", "expired", "unknown"])
def test_each_refusal_in_the_browser_leaves_nobody_logged_in(
    browser, live_server, catalogue, op, fault
):
    """Bad nonce, wrong audience, expired token, unknown person: each ends on the refusal page
    with its own reason, and the browser is not logged in."""
    unit, person, provider = _setup(op)
    if fault == "unknown":
        op.claims = {
            "sub": "sub-stranger",
            "email": "stranger@example.test",
            "email_verified": True,
        }
    else:
        op.fault = fault
    page = new_page(browser, live_server, DESKTOP)
    page.goto(page.base_url + "/accounts/login/")
    page.locator(f'a[href^="/sso/login/{provider.pk}/"]').click()
    page.wait_for_url(re.compile(r"/sso/callback/"))
    reason = page.get_by_role("alert").inner_text()
    assert reason.strip()
    page.goto(page.base_url + "/accounts/me/")
    assert "/accounts/login/" in page.url
    assert not Identity.objects.exists()
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_admin_sets_up_the_second_factor(browser, live_server, catalogue, size):
    unit = UnitFactory(municipality__name="Testvik kommune", name="Lia barnehage")
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=unit.municipality)
    page = new_page(browser, live_server, VIEWPORTS[size])
    login(page, admin.email, PASSWORD, second_factor=False)
    page.goto(page.base_url + "/manage/")
    assert "/sso/second-factor/" in page.url
    qr = page.locator(".sso-qr img")
    page.wait_for_load_state("load")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    _check(page, f"sso-second-factor-setup-{size}")

    page.fill("#id_code", "000000" if _code(page) != "000000" else "111111")
    with page.expect_navigation():
        page.locator("#second-factor-form button[type=submit]").click()
    assert page.locator("#id_code_error, .ds-error-summary").first.is_visible()
    _check(page, f"sso-second-factor-wrong-{size}")

    page.fill("#id_code", _code(page))
    with page.expect_navigation():
        page.locator("#second-factor-form button[type=submit]").click()
    assert page.url.endswith("/manage/")
    page.goto(page.base_url + "/manage/sign-in/")
    assert "/manage/sign-in/" in page.url
    _check(page, f"sso-settings-{size}")
    page.goto(page.base_url + "/manage/sign-in/services/new/")
    _check(page, f"sso-provider-form-{size}")
    page.context.close()


def _code(page) -> str:
    key = re.sub(r"\s", "", page.locator("#sso-key").inner_text())
    raw = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(raw):06d}"


def test_sso_pages_keep_the_content_security_policy(browser, live_server, catalogue, op):
    unit, person, provider = _setup(op)
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=unit.municipality)
    paths = ["/accounts/login/", "/manage/", "/sso/second-factor/"]
    assert _csp_violations(browser, live_server, paths, admin=admin) == []
    op.fault = "nonce"
    assert _csp_violations(browser, live_server, [f"/sso/login/{provider.pk}/"]) == []
