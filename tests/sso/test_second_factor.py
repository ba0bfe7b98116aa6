"""Municipal admins who log in with a password pass a second factor before /manage/ (issue 13)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, UserFactory
from tests.sso.helpers import (
    code_for,
    give_totp,
    password_client,
    sso_login,
    verified_admin_client,
)
from trepart.accounts.models import User

pytestmark = pytest.mark.django_db

MANAGE = "/manage/"
SECOND_FACTOR = "/sso/second-factor/"


def _login_with_password(user) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_admin_with_password_is_sent_to_the_second_factor(admin_user):
    client = _login_with_password(admin_user)
    for url in (MANAGE, "/manage/people/", "/manage/settings/", "/manage/sign-in/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SECOND_FACTOR + "?next=")
    # Every other page waits too (review rev1 #2: admin-only actions live outside /manage/).
    response = client.get(reverse("home:home"))
    assert response.status_code == 302 and response["Location"].startswith(SECOND_FACTOR)


def test_setup_with_qr_code_and_key_then_manage_opens(admin_user):
    client = _login_with_password(admin_user)
    response = client.get(SECOND_FACTOR, {"next": MANAGE})
    assert response.status_code == 200 and response.context["setting_up"]
    html = response.content.decode()
    assert reverse("sso:second_factor_qr") in html
    assert "<script" not in html.split("<main", 1)[1] and 'style="' not in html
    qr = client.get(reverse("sso:second_factor_qr"))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content and b"<script" not in qr.content
    key = client.session["sso_totp_key"]
    manual = re.sub(r"\s", "", response.context["manual_key"])
    import base64

    assert base64.b32decode(manual + "=" * (-len(manual) % 8)) == bytes.fromhex(key)

    # A wrong code: the error by the field, what was typed kept, 400.
    response = client.post(
        SECOND_FACTOR, {"code": "000000" if code_for(key) != "000000" else "111111", "next": MANAGE}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=admin_user).exists()
    response = client.post(SECOND_FACTOR, {"code": "12ab", "next": MANAGE})
    assert response.status_code == 400 and 'value="12ab"' in response.content.decode()

    response = client.post(SECOND_FACTOR, {"code": code_for(key), "next": MANAGE})
    assert response.status_code == 302 and response["Location"] == MANAGE
    assert TOTPDevice.objects.get(user=admin_user).confirmed
    assert client.get(MANAGE).status_code == 200
    assert client.get("/manage/sign-in/").status_code == 200


def test_with_a_device_the_admin_enters_a_code(admin_user):
    device = give_totp(admin_user)
    client = _login_with_password(admin_user)
    assert client.get(MANAGE).status_code == 302
    response = client.get(SECOND_FACTOR, {"next": MANAGE})
    assert response.status_code == 200 and not response.context["setting_up"]
    # Asking for a new setup without the old app is not allowed.
    assert not client.get(SECOND_FACTOR, {"setup": "1"}).context["setting_up"]
    response = client.post(SECOND_FACTOR, {"code": "12345x", "next": MANAGE})
    assert response.status_code == 400
    response = client.post(SECOND_FACTOR, {"code": code_for(device), "next": MANAGE})
    assert response.status_code == 302
    assert client.get(MANAGE).status_code == 200


def test_wrong_code_with_a_device_is_an_error(admin_user):
    device = give_totp(admin_user)
    client = password_client(admin_user)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = client.post(SECOND_FACTOR, {"code": wrong, "next": MANAGE})
    # Whatever the language: the code field has the error (review rev1 #6).
    assert response.status_code == 400 and response.context["form"].has_error("code")
    assert response.context["form"].errors["code"][0] in response.content.decode()
    assert client.get(MANAGE).status_code == 302


def test_single_sign_on_counts_as_verified(op, provider, admin_user):
    op.claims = {"sub": "sub-admin", "email": admin_user.email, "email_verified": True}
    client = Client()
    sso_login(client, provider)
    assert client.get(MANAGE).status_code == 200


def test_non_admins_are_not_asked_and_still_refused(employee):
    client = _login_with_password(employee)
    assert client.get(MANAGE).status_code == 403


def test_unsafe_next_is_ignored(admin_user):
    device = give_totp(admin_user)
    client = password_client(admin_user)
    response = client.post(
        SECOND_FACTOR, {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("organisation:manage")


def test_qr_without_a_setup_is_404(admin_user):
    assert password_client(admin_user).get(reverse("sso:second_factor_qr")).status_code == 404
    assert Client().get(SECOND_FACTOR).status_code == 302  # to the login page


def test_password_login_switched_off_refuses_with_a_reason(provider, employee):
    from trepart.sso.models import LoginPolicy

    LoginPolicy.objects.create(municipality=employee.municipality, password_login=False)
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("accounts:login"), {"username": employee.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "switched off login with password" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Platform operators (no municipality) are not affected.
    operator = User.objects.create_user("drift@example.test", PASSWORD, full_name="Drift")
    response = Client().post(
        reverse("accounts:login"), {"username": operator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    # People of another municipality are not affected either.
    other = UserFactory()
    response = Client().post(
        reverse("accounts:login"), {"username": other.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_verified_admin_can_replace_the_app(admin_user):
    old = give_totp(admin_user)
    client = password_client(admin_user)
    client.post(SECOND_FACTOR, {"code": code_for(old)})
    response = client.get(SECOND_FACTOR, {"setup": "1"})
    assert response.context["setting_up"]
    key = client.session["sso_totp_key"]
    response = client.post(SECOND_FACTOR + "?setup=1", {"code": code_for(key)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=admin_user).values_list("key", flat=True)) == [key]


def test_own_page_tells_an_admin_about_the_app(admin_user):
    # A password-only admin is held at the second factor, even for their own page.
    client = password_client(admin_user)
    assert client.get(reverse("accounts:own_page"))["Location"].startswith(SECOND_FACTOR)
    client = verified_admin_client(admin_user)
    html = client.get(reverse("accounts:own_page")).content.decode()
    assert 'id="own-sign-in"' in html
    assert "?setup=1" in html
