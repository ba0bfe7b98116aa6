"""Interface language (P0, P8): bokmål by default whatever the browser asks for, the
municipality's default language for its people, and the language switch above both."""

from html import escape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import client_for
from tests.factories import MunicipalityFactory, person_with_role
from trepart.organisation.models import Role

LOGIN = reverse("accounts:login")
HOME = reverse("home:home")
SET_LANGUAGE = reverse("set_language")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def reset_active_language():
    """The middleware activates a language per request; don't let it leak between tests."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def nynorsk_admin(db):
    municipality = MunicipalityFactory(name="Nynorskvik kommune", default_language="nn")
    return person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)


def logged_in(user, **headers) -> Client:
    return client_for(user, headers=headers)


def assert_language(response, code):
    assert response.status_code == 200
    assert response["Content-Language"] == code
    html = response.content.decode()
    assert f'<html lang="{code}"' in html
    assert f'<option value="{code}" selected>' in html  # the language switch shows it


def required_message(code):
    with translation.override(code):
        return gettext("This field is required.")


# --- the default: bokmål ---------------------------------------------------------------------------


def test_default_language_is_bokmal(db):
    assert settings.LANGUAGE_CODE == "nb"
    assert_language(Client().get(LOGIN), "nb")


@pytest.mark.parametrize("accept", ["en", "en-US,en;q=0.9", "nn", "sv-SE,sv;q=0.8,en;q=0.5"])
def test_anonymous_gets_bokmal_whatever_the_browser_asks_for(db, accept):
    response = Client(headers={"accept-language": accept}).get(LOGIN)
    assert_language(response, "nb")


def test_logged_in_person_gets_bokmal_despite_english_browser(admin_user):
    response = logged_in(admin_user, **{"accept-language": "en"}).get(HOME)
    assert_language(response, "nb")


def test_bokmal_is_used_for_django_messages(db):
    """Form errors come in bokmål (Django's own nb catalogue), not in the browser's English."""
    response = Client(headers={"accept-language": "en"}).post(
        LOGIN, {"username": "", "password": ""}
    )
    message = required_message("nb")
    assert message != "This field is required."
    assert escape(message) in response.content.decode()


# --- the municipality's default language -----------------------------------------------------------


def test_municipality_with_nynorsk_gets_nynorsk_for_its_people(nynorsk_admin):
    client = logged_in(nynorsk_admin, **{"accept-language": "en"})
    for url in (HOME, reverse("organisation:structure"), reverse("organisation:manage")):
        assert_language(client.get(url), "nn")


def test_municipality_with_nynorsk_translates_form_errors(nynorsk_admin):
    response = logged_in(nynorsk_admin).post(
        reverse("organisation:person_create"), {"full_name": "", "email": ""}
    )
    message = required_message("nn")
    assert message != required_message("nb")
    assert escape(message) in response.content.decode()


def test_nynorsk_municipality_does_not_affect_other_municipality(nynorsk_admin, admin_user):
    assert_language(logged_in(nynorsk_admin).get(HOME), "nn")
    assert_language(logged_in(admin_user).get(HOME), "nb")


def test_login_page_is_bokmal_before_the_municipality_is_known(nynorsk_admin):
    assert_language(Client().get(LOGIN), "nb")


def test_platform_user_without_municipality_gets_bokmal(db):
    from tests.factories import UserFactory

    operator = UserFactory(municipality=None)
    response = logged_in(operator).get(HOME)
    assert response.status_code == 403
    assert response["Content-Language"] == "nb"


# --- the language cookie wins -------------------------------------------------------------------------


def choose_language(client, code, next_url=HOME):
    response = client.post(SET_LANGUAGE, {"language": code, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == code
    return response


def test_language_cookie_overrides_bokmal_default_for_anonymous(db):
    client = Client(headers={"accept-language": "nb"})
    choose_language(client, "en", next_url=LOGIN)
    assert_language(client.get(LOGIN), "en")
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert escape("This field is required.") in response.content.decode()


def test_language_cookie_overrides_municipality_default(nynorsk_admin):
    client = logged_in(nynorsk_admin)
    assert_language(client.get(HOME), "nn")
    choose_language(client, "nb")
    assert_language(client.get(HOME), "nb")
    choose_language(client, "en")
    assert_language(client.get(HOME), "en")


def test_language_cookie_overrides_browser(admin_user):
    client = logged_in(admin_user, **{"accept-language": "en"})
    choose_language(client, "nn")
    assert_language(client.get(HOME), "nn")


def test_language_cookie_survives_login(nynorsk_admin):
    from tests.factories import PASSWORD

    client = Client()
    choose_language(client, "en", next_url=LOGIN)
    response = client.post(LOGIN, {"username": nynorsk_admin.email, "password": PASSWORD})
    assert response.status_code == 302
    # An admin who logged in with a password meets the second-factor page first (issue 13).
    assert_language(client.get(HOME, follow=True), "en")


def test_unknown_language_cookie_is_ignored(nynorsk_admin):
    anonymous = Client()
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert_language(anonymous.get(LOGIN), "nb")
    client = logged_in(nynorsk_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert_language(client.get(HOME), "nn")


def test_choosing_unsupported_language_has_no_effect(nynorsk_admin):
    """Django's set_language accepts any language it has a catalogue for (e.g. German); only
    LANGUAGES are honoured by the middleware."""
    anonymous = Client()
    anonymous.post(SET_LANGUAGE, {"language": "de", "next": LOGIN})
    assert_language(anonymous.get(LOGIN), "nb")
    client = logged_in(nynorsk_admin)
    client.post(SET_LANGUAGE, {"language": "de", "next": HOME})
    assert_language(client.get(HOME), "nn")


def test_responses_vary_on_cookie(db):
    """The language depends on the cookie, so shared caches must not mix languages."""
    response = Client().get(LOGIN)
    assert "Cookie" in response["Vary"]
