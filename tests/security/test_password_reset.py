"""Password reset links (issue 15 part 5), through the real views and the e-mail that is sent:
a used link cannot be used again, an older link stops working once the password changed (or
the person logged in), and every link expires after PASSWORD_RESET_TIMEOUT. A new password ends
the person's other sessions.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
LOGIN = reverse("accounts:login")
NEW = "et-nytt-og-langt-passord-2026"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person(municipality):
    return UserFactory(municipality=municipality, email="siri.dahl@fjordby.kommune.no")


def request_link(person) -> str:
    before = len(mail.outbox)
    assert Client().post(RESET, {"email": person.email}).status_code == 302
    assert len(mail.outbox) == before + 1
    (link,) = re.findall(r"https?://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body)
    return link


def open_link(link, client=None):
    """GET the link as the browser does: a valid one redirects to the form, the token moved
    into the session. Returns (client, response at the end)."""
    client = client or Client()
    response = client.get(link, follow=True)
    assert response.status_code == 200
    return client, response


def choose(client, response, password=NEW):
    form_url = response.redirect_chain[-1][0]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def is_valid(link) -> bool:
    _client, response = open_link(link)
    return response.context["validlink"]


def test_a_link_works_once(person):
    link = request_link(person)
    client, response = open_link(link)
    assert response.context["validlink"] is True
    # The token is not left in the address the form is posted from (nor in a Referer).
    form_url = response.redirect_chain[-1][0]
    assert "set-password" in form_url and link.rstrip("/").rsplit("/", 1)[-1] not in form_url
    done = choose(client, response)
    assert done.status_code == 302 and done["Location"] == reverse(
        "accounts:password_reset_complete"
    )
    person.refresh_from_db()
    assert person.check_password(NEW)

    # The same link again: in a new browser, and in the same browser.
    assert not is_valid(link)
    _client, again = open_link(link, client)
    assert again.context["validlink"] is False
    # Posting the form again in the same browser does not set another password.
    repeat = client.post(
        form_url, {"new_password1": "noe-annet-2026-x", "new_password2": "noe-annet-2026-x"}
    )
    assert repeat.status_code == 200 and repeat.context["validlink"] is False
    person.refresh_from_db()
    assert person.check_password(NEW)


def test_an_older_link_stops_working_when_a_newer_one_is_used(person):
    first, second = request_link(person), request_link(person)
    client, response = open_link(second)
    choose(client, response)
    assert not is_valid(first)


def test_a_link_stops_working_after_the_password_changed_another_way(person):
    link = request_link(person)
    person.set_password("endret-av-personen-selv-2026")
    person.save()
    assert not is_valid(link)


def test_a_link_stops_working_after_the_person_logged_in(person):
    """The person remembered the password: the link is of no use any more (last_login)."""
    link = request_link(person)
    client = Client()
    assert client.post(LOGIN, {"username": person.email, "password": PASSWORD}).status_code == 302
    assert not is_valid(link)


def test_password_changed_between_opening_and_sending_the_form_is_refused(person):
    link = request_link(person)
    client, response = open_link(link)
    assert response.context["validlink"] is True
    person.set_password("endret-i-mellomtiden-2026")
    person.save()
    refused = choose(client, response)
    assert refused.status_code == 200 and refused.context["validlink"] is False
    person.refresh_from_db()
    assert not person.check_password(NEW)


@pytest.mark.parametrize(
    "age,valid",
    [
        (datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60), True),
        (datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1), False),
    ],
    ids=["just-before-expiry", "expired"],
)
def test_a_link_expires(person, monkeypatch, age, valid):
    link = request_link(person)
    later = datetime.datetime.now() + age
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    client, response = open_link(link)
    assert response.context["validlink"] is valid
    if valid:
        assert choose(client, response).status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW) is valid


def test_reset_timeout_is_at_most_three_days():
    assert settings.PASSWORD_RESET_TIMEOUT <= 3 * 24 * 3600


def test_a_new_password_ends_the_persons_other_sessions(person):
    phone = Client()
    phone.post(LOGIN, {"username": person.email, "password": PASSWORD})
    assert phone.get(reverse("accounts:own_page")).status_code == 200
    link = request_link(person)
    client, response = open_link(link)
    choose(client, response)
    after = phone.get(reverse("accounts:own_page"))
    assert after.status_code == 302 and after["Location"].startswith(LOGIN)
    # And the reset does not log anybody in.
    assert client.get(reverse("accounts:own_page")).status_code == 302


def test_a_forged_or_foreign_link_is_refused(person, municipality):
    other = UserFactory(municipality=municipality)
    link = request_link(person)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    other_uid = urlsafe_base64_encode(force_bytes(other.pk))
    forged = reverse("accounts:password_reset_confirm", args=[other_uid, token])
    assert not is_valid(forged)
    assert not is_valid(link[:-3] + "xx/")
