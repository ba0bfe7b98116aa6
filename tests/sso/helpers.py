"""Helpers for logging in through the fake provider and passing the second factor."""

from urllib.parse import urlsplit

import requests
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def sso_login(client, provider, next_url=None):
    """Press "Log in with …", let the fake provider answer, and follow back to the callback."""
    url = reverse("sso:login_start", args=[provider.pk])
    response = client.get(url, {"next": next_url} if next_url else {})
    assert response.status_code == 302, response.status_code
    back = requests.get(response["Location"], allow_redirects=False, timeout=5).headers["Location"]
    parts = urlsplit(back)
    return client.get(parts.path + "?" + parts.query)


def give_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Test", confirmed=True)


def code_for(device_or_key) -> str:
    key = (
        device_or_key.bin_key if hasattr(device_or_key, "bin_key") else bytes.fromhex(device_or_key)
    )
    return f"{totp(key):06d}"


def password_client(user) -> Client:
    """Logged in as after the password form (so the second factor applies to admins)."""
    client = Client()
    client.force_login(user, backend=PASSWORD_BACKEND)
    return client


def verified_admin_client(user) -> Client:
    """A municipal admin logged in with a password who has passed the second factor."""
    client = password_client(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or give_totp(user)
    response = client.post(reverse("sso:second_factor"), {"code": code_for(device)})
    assert response.status_code == 302, response.status_code
    return client


def pass_second_factor_in_browser(page, user) -> None:
    """For browser tests that log in a municipal admin with a password and then open
    /manage/ pages: give the admin an authenticator app (if none) and type its code, so the
    session is verified. Call right after conftest.login()."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or give_totp(user)
    page.goto(page.base_url + reverse("sso:second_factor"))
    page.fill("#id_code", code_for(device))
    with page.expect_navigation():
        page.locator("#second-factor-form button[type=submit]").click()
