"""Accounts: e-mail login, lockout, argon2, password reset, logout and safe settings (P8)."""

import os
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from trepart.accounts.models import User

BASE_DIR = Path(__file__).resolve().parents[2]
LOGIN = reverse("accounts:login")


@pytest.fixture
def fast_password_hashing(settings):
    """For tests about login flow, not hashing: Argon2 costs ~0.1 s per password check."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture
def person(municipality):
    return UserFactory(municipality=municipality, email="kari.nordmann@fjordby.kommune.no")


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


# --- login ----------------------------------------------------------------------------------------


def test_login_with_email_redirects_to_home(person):
    client = Client()
    response = login(client, person.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home:home")
    assert logged_in_user_id(client) == str(person.pk)


def test_login_email_is_case_insensitive(person):
    client = Client()
    response = login(client, "  Kari.Nordmann@FJORDBY.Kommune.NO ", PASSWORD)
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(person.pk)


def test_login_follows_next(person):
    client = Client()
    structure = reverse("organisation:structure")
    response = client.post(
        LOGIN, {"username": person.email, "password": PASSWORD, "next": structure}
    )
    assert response["Location"] == structure


def test_login_refuses_next_to_other_site(person):
    client = Client()
    response = client.post(
        LOGIN, {"username": person.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home:home")


@pytest.mark.usefixtures("fast_password_hashing")
def test_login_wrong_password_shows_error(person):
    client = Client()
    response = login(client, person.email, "wrong-password")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    form = response.context["form"]
    assert form.non_field_errors()
    html = response.content.decode()
    assert 'role="alert"' in html
    for error in form.non_field_errors():
        assert escape(error) in html


@pytest.mark.usefixtures("fast_password_hashing")
def test_login_unknown_email_shows_same_error_as_wrong_password(person):
    wrong = login(Client(), person.email, "wrong-password").context["form"].non_field_errors()
    unknown = login(Client(), "nobody@example.test", PASSWORD).context["form"].non_field_errors()
    assert list(wrong) == list(unknown)


def test_login_inactive_person_is_refused(person):
    person.is_active = False
    person.save()
    client = Client()
    response = login(client, person.email, PASSWORD)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_login_page_redirects_logged_in_person(person):
    client = Client()
    client.force_login(person)
    assert client.get(LOGIN)["Location"] == reverse("home:home")


# --- lockout (django-axes) -----------------------------------------------------------------------


@pytest.mark.usefixtures("fast_password_hashing")
def test_lockout_after_failure_limit_even_with_right_password(person):
    limit = settings.AXES_FAILURE_LIMIT
    client = Client()
    for attempt in range(1, limit):
        response = login(client, person.email, f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the ordinary error, not yet locked out
    response = login(client, person.email, "wrong-last")
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]

    response = login(client, person.email, PASSWORD)
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert reverse("accounts:password_reset") in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.usefixtures("fast_password_hashing")
def test_lockout_counts_email_case_insensitively(person):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        email = person.email.upper() if attempt % 2 else person.email
        login(client, email, f"wrong-{attempt}")
    for email in (person.email, person.email.upper(), f" {person.email.title()} "):
        response = login(client, email, PASSWORD)
        assert response.status_code == 429, email
        assert SESSION_KEY not in client.session


@pytest.mark.usefixtures("fast_password_hashing")
def test_lockout_does_not_affect_another_person(person, municipality):
    other = UserFactory(municipality=municipality)
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, person.email, f"wrong-{attempt}")
    response = login(client, other.email, PASSWORD)
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(other.pk)


@pytest.mark.usefixtures("fast_password_hashing")
def test_successful_login_resets_failure_count(person):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, person.email, f"wrong-{attempt}")
    assert login(client, person.email, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    response = login(client, person.email, "wrong-again")
    assert response.status_code == 200  # counting started again (AXES_RESET_ON_SUCCESS)


# --- password hashing -----------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2(settings, municipality):
    """Production settings hash with Argon2 (P8); the suite uses MD5 first only for speed."""
    from trepart import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = User.objects.create_user(
        email="ola@example.test", password="a-long-secret-phrase", full_name="Ola"
    )
    assert user.password.startswith("argon2")
    assert "a-long-secret-phrase" not in user.password
    assert user.check_password("a-long-secret-phrase")


def test_created_person_without_password_cannot_log_in(municipality):
    user = User.objects.create_user(email="ny@example.test", full_name="Ny")
    assert not user.has_usable_password()
    assert login(Client(), "ny@example.test", "").status_code == 200


# --- password reset ---------------------------------------------------------------------------------


def test_password_reset_sends_email_with_working_link(person, settings):
    from trepart import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the new password gets Argon2
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": person.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    links = re.findall(r"https?://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert len(links) == 1

    # The link redirects to the form (the token moves into the session) and the form works.
    response = client.get(links[0], follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    form_url = response.redirect_chain[-1][0]
    new_password = "ny-og-lang-passordfrase-2025"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")

    person.refresh_from_db()
    assert person.check_password(new_password)
    assert person.password.startswith("argon2")
    fresh = Client()
    assert login(fresh, person.email, new_password).status_code == 302

    # The link works once.
    response = Client().get(links[0], follow=True)
    assert response.context["validlink"] is False


def test_password_reset_for_unknown_email_sends_nothing_and_reveals_nothing(person):
    response = Client().post(reverse("accounts:password_reset"), {"email": "ukjent@example.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_works_for_person_created_without_password(admin_user):
    """People added under People and roles set their password through 'Forgot your password?'."""
    user = User.objects.create_user(
        email="ny.ansatt@example.test", full_name="Ny Ansatt", municipality=admin_user.municipality
    )
    assert not user.has_usable_password()
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert [m.to for m in mail.outbox] == [[user.email]]
    (link,) = re.findall(r"https?://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    response = client.get(link, follow=True)
    assert response.context["validlink"] is True
    password = "mitt-eget-lange-passord-2025"
    client.post(
        response.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    user.refresh_from_db()
    assert user.check_password(password)


def test_password_reset_skips_inactive_person(person):
    person.is_active = False
    person.save()
    Client().post(reverse("accounts:password_reset"), {"email": person.email})
    assert mail.outbox == []


# --- logout -----------------------------------------------------------------------------------------


def test_logout_via_post(person):
    client = Client()
    client.force_login(person)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home:home")).status_code == 302


def test_logout_via_get_is_refused(person):
    client = Client()
    client.force_login(person)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert logged_in_user_id(client) == str(person.pk)


# --- settings refuse to start unsafely ---------------------------------------------------------------


def import_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env)
    clean["PYTHONPATH"] = str(BASE_DIR)
    return subprocess.run(
        [sys.executable, "-c", "import trepart.settings"],
        env=clean,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_without_secret_key_and_debug_off_refuse_to_start():
    result = import_settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_with_empty_secret_key_and_debug_off_refuse_to_start():
    result = import_settings(SECRET_KEY="", DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_settings_with_dev_key_and_debug_off_refuse_to_start():
    from trepart.settings import DEV_SECRET_KEY

    result = import_settings(SECRET_KEY=DEV_SECRET_KEY, DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "development SECRET_KEY" in result.stderr


def test_settings_start_with_real_key_or_in_debug():
    assert import_settings(SECRET_KEY="a-real-production-key-" + "x" * 40).returncode == 0
    debug = import_settings(DEBUG="1")
    assert debug.returncode == 0, debug.stderr
