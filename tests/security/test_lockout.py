"""Login lockout (issue 15 part 5, django-axes; AXES_* in trepart/settings.py).

The N-th wrong password for one e-mail address from one IP address locks that pair out with the
product's own page (Norwegian); during the lockout even the right password does not log in; the
lockout ends after the cool-off (30 minutes), or at once when the person chooses a new password
through the e-mailed reset link. Time is moved by moving the stored attempts back (django-axes
stamps them with its own clock).
"""

import datetime
import re

import pytest
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOCKED_TEMPLATE = "accounts/locked_out.html"
COOL_OFF = datetime.timedelta(minutes=30)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person(municipality):
    return UserFactory(municipality=municipality, email="ola.vik@fjordby.kommune.no")


def attempt(client, email, password, ip="10.0.0.1", **extra):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip, **extra)


def fail(client, email, times, ip="10.0.0.1", **extra):
    for n in range(times):
        response = attempt(client, email, f"feil-passord-{n}", ip=ip, **extra)
    return response


def is_locked_page(response) -> bool:
    return response.status_code == 429 and LOCKED_TEMPLATE in [t.name for t in response.templates]


def logs_in(response, client, person) -> bool:
    return response.status_code == 302 and client.session.get(SESSION_KEY) == str(person.pk)


def same_page(response) -> str:
    """The page without what differs on every response (CSRF token, CSP nonce)."""
    body = response.content.decode()
    body = re.sub(r"\b[A-Za-z0-9]{64}\b", "", body)  # CSRF tokens (form field, htmx header)
    return re.sub(r'nonce="[^"]*"', "", body)


def move_attempts_back(delta: datetime.timedelta) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)


def test_settings_lock_an_email_and_ip_pair_for_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    # The lockout page says "30 minutes": it must stay true.
    assert get_cool_off() == COOL_OFF
    assert settings.AXES_LOCKOUT_TEMPLATE == LOCKED_TEMPLATE


@pytest.mark.parametrize("limit", [3, 5])
def test_nth_wrong_password_locks_out_with_the_norwegian_page(person, settings, limit):
    settings.AXES_FAILURE_LIMIT = limit
    client = Client()
    for n in range(1, limit):
        response = attempt(client, person.email, f"feil-{n}")
        assert response.status_code == 200, n  # the form's own error, not yet locked
        assert not is_locked_page(response)
    response = attempt(client, person.email, "feil-siste")
    assert is_locked_page(response)
    body = response.content.decode()
    assert '<html lang="nb"' in body
    assert "For mange mislykkede innloggingsforsøk" in body
    assert reverse("accounts:password_reset") in body
    assert person.email not in body  # the page names nobody
    assert SESSION_KEY not in client.session


def test_right_password_during_the_lockout_does_not_log_in(person):
    client = Client()
    fail(client, person.email, settings.AXES_FAILURE_LIMIT)
    response = attempt(client, person.email, PASSWORD)
    assert is_locked_page(response)
    assert SESSION_KEY not in client.session
    person.refresh_from_db()
    assert person.last_login is None
    # Nor from a fresh browser on the same address (the lock is not in a cookie).
    fresh = Client()
    assert is_locked_page(attempt(fresh, person.email, PASSWORD))
    assert SESSION_KEY not in fresh.session


def test_lockout_ends_after_the_cool_off(person):
    client = Client()
    fail(client, person.email, settings.AXES_FAILURE_LIMIT)
    move_attempts_back(COOL_OFF + datetime.timedelta(minutes=1))
    response = attempt(client, person.email, PASSWORD)
    assert logs_in(response, client, person)


def test_lockout_lasts_the_whole_cool_off_and_a_try_during_it_starts_it_again(person):
    client = Client()
    fail(client, person.email, settings.AXES_FAILURE_LIMIT)
    move_attempts_back(COOL_OFF - datetime.timedelta(minutes=1))
    # A minute before the end: still locked, and this try counts from now (django-axes).
    assert is_locked_page(attempt(client, person.email, PASSWORD))
    move_attempts_back(datetime.timedelta(minutes=2))
    assert is_locked_page(attempt(client, person.email, PASSWORD))
    move_attempts_back(COOL_OFF + datetime.timedelta(minutes=1))
    assert logs_in(attempt(client, person.email, PASSWORD), client, person)


def test_failures_older_than_the_cool_off_do_not_count(person):
    client = Client()
    fail(client, person.email, settings.AXES_FAILURE_LIMIT - 1)
    move_attempts_back(COOL_OFF + datetime.timedelta(minutes=1))
    response = fail(client, person.email, settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200 and not is_locked_page(response)


def test_the_lock_is_for_the_pair_of_address_and_ip(person, municipality):
    client = Client()
    fail(client, person.email, settings.AXES_FAILURE_LIMIT, ip="10.0.0.1")
    # The same person from another address logs in.
    other_ip = Client()
    assert logs_in(attempt(other_ip, person.email, PASSWORD, ip="10.0.0.2"), other_ip, person)
    # Another person from the locked address logs in.
    colleague = UserFactory(municipality=municipality)
    same_ip = Client()
    assert logs_in(attempt(same_ip, colleague.email, PASSWORD, ip="10.0.0.1"), same_ip, colleague)


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(person):
    """The address is REMOTE_ADDR (no AXES_IPWARE_* settings): a header cannot rotate it."""
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, person.email, f"feil-{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = attempt(client, person.email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert is_locked_page(response)


def test_unknown_address_is_locked_the_same_way(person):
    """No difference between an account that exists and one that does not."""
    known, unknown = Client(), Client()
    fail(known, person.email, settings.AXES_FAILURE_LIMIT)
    fail(unknown, "finnes.ikke@fjordby.kommune.no", settings.AXES_FAILURE_LIMIT)
    a = attempt(known, person.email, "x")
    b = attempt(unknown, "finnes.ikke@fjordby.kommune.no", "x")
    assert is_locked_page(a) and is_locked_page(b)
    assert same_page(a) == same_page(b)


def test_new_password_through_the_reset_link_ends_the_lockout(person):
    client = Client()
    fail(client, person.email, settings.AXES_FAILURE_LIMIT)
    assert is_locked_page(attempt(client, person.email, PASSWORD))

    client.post(reverse("accounts:password_reset"), {"email": person.email})
    (link,) = re.findall(r"https?://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    form = client.get(link, follow=True)
    new = "nytt-og-langt-passord-2026"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})

    assert logs_in(attempt(client, person.email, new), client, person)


def test_only_the_right_persons_lockout_ends_with_their_reset(person, municipality):
    colleague = UserFactory(municipality=municipality)
    client = Client()
    fail(client, person.email, settings.AXES_FAILURE_LIMIT)
    fail(client, colleague.email, settings.AXES_FAILURE_LIMIT)
    client.post(reverse("accounts:password_reset"), {"email": person.email})
    (link,) = re.findall(r"https?://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    form = client.get(link, follow=True)
    new = "nytt-og-langt-passord-2026"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert is_locked_page(attempt(client, colleague.email, PASSWORD))
