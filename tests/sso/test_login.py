"""Single sign-on against the fake provider (issue 13): the happy path, each refusal, PKCE."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.factories import MunicipalityFactory, UserFactory
from tests.sso.helpers import sso_login
from trepart.sso.models import Identity

pytestmark = pytest.mark.django_db


def _logged_in_as(client):
    return client.session.get(SESSION_KEY)


def test_first_login_matches_verified_email_and_stores_sub(op, provider, kari):
    client = Client()
    response = sso_login(client, provider)
    assert response.status_code == 302 and response["Location"] == reverse("home:home")
    assert _logged_in_as(client) == str(kari.pk)
    assert client.session[BACKEND_SESSION_KEY] == "trepart.sso.backends.OidcBackend"
    identity = Identity.objects.get()
    assert (identity.user, identity.provider, identity.sub) == (kari, provider, "sub-kari")
    assert client.get(reverse("home:home")).status_code == 200


def test_next_login_matches_the_stored_sub_even_with_another_email(op, provider, kari):
    sso_login(Client(), provider)
    # The e-mail at the provider changed and is no longer verified: the sub still finds Kari.
    op.claims = {"sub": "sub-kari", "email": "kari.new@example.test", "email_verified": False}
    client = Client()
    response = sso_login(client, provider)
    assert response.status_code == 302
    assert _logged_in_as(client) == str(kari.pk)
    assert Identity.objects.get().last_login_at is not None


def test_next_is_followed_when_it_is_on_this_site(op, provider, kari):
    response = sso_login(Client(), provider, next_url="/accounts/me/")
    assert response["Location"] == "/accounts/me/"
    response = sso_login(Client(), provider, next_url="https://evil.example/")
    assert response["Location"] == reverse("home:home")


@pytest.mark.parametrize(
    "fault, says",
    [
        ("nonce", "did not belong to this login attempt"),
        ("aud", "meant for another application"),
        ("expired", "had expired"),
        ("issuer", "another sign-in service than the one configured"),
        ("signature", "in a way Trepart can trust"),
        ("unknown", "has no active person"),
        ("unverified", "has no active person"),
    ],
)
def test_refused_logins_end_on_a_clear_page(op, provider, kari, fault, says):
    op.fault = fault
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    response = sso_login(client, provider)
    assert response.status_code == 403
    assert "sso/refused.html" in [t.name for t in response.templates]
    assert says in response.content.decode()
    assert _logged_in_as(client) is None
    assert not Identity.objects.exists()


def test_national_identity_number_is_never_used_to_match(op, provider, kari):
    # The id_token carries pid (as ID-porten does) but neither a known sub nor a verified
    # e-mail: refused (P8).
    # A person whose stored e-mail is the very number: matching by pid would find them.
    pid = "01017012345"  # what the fake provider sends as `pid`
    kari.email = pid
    kari.save()
    op.claims = {"sub": "sub-someone", "email_verified": False}
    response = sso_login(Client(), provider)
    assert response.status_code == 403
    assert response.context["reason"] == "unknown_person"
    assert op.token_requests  # the token was fetched and checked; pid was there and ignored
    assert not Identity.objects.exists()
    # Even marked verified, the number is not an e-mail claim and is not used.
    op.claims = {"sub": "sub-someone", "email_verified": True}
    response = sso_login(Client(), provider)
    assert response.context["reason"] == "unknown_person"
    assert not Identity.objects.exists()


def test_inactive_person_and_other_municipality_are_unknown(op, provider, kari):
    kari.is_active = False
    kari.save()
    assert sso_login(Client(), provider).status_code == 403
    # The same address in another municipality is not this provider's person.
    op.claims = {"sub": "sub-ola", "email": "ola@example.test", "email_verified": True}
    UserFactory(municipality=MunicipalityFactory(), email="ola@example.test")
    assert sso_login(Client(), provider).status_code == 403
    assert not Identity.objects.exists()


def test_a_person_linked_to_another_sub_is_not_taken_over(op, provider, kari):
    Identity.objects.create(user=kari, provider=provider, sub="sub-kari-old")
    response = sso_login(Client(), provider)
    assert response.status_code == 403
    assert response.context["reason"] == "linked_elsewhere"


def test_pkce_s256_is_sent_and_the_verifier_checked(op, provider, kari):
    client = Client()
    start = client.get(reverse("sso:login_start", args=[provider.pk]))
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["response_type"] == ["code"] and query["nonce"] and query["state"]
    assert "openid" in query["scope"][0].split()
    # Someone holding the code but not the verifier (here: the verifier replaced) gets nothing.
    session = client.session
    states = session["sso_states"]
    states[query["state"][0]]["code_verifier"] = "x" * 64
    session["sso_states"] = states
    session.save()
    back = requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    parts = urlsplit(back)
    response = client.get(parts.path + "?" + parts.query)
    assert response.status_code == 403
    assert op.token_refusals == ["PKCE verifier"]
    assert _logged_in_as(client) is None


def test_the_right_verifier_is_sent(op, provider, kari):
    sso_login(Client(), provider)
    assert op.token_refusals == []
    assert len(op.token_requests[0]["code_verifier"]) >= 43


def test_bad_or_replayed_state_is_refused(op, provider, kari):
    client = Client()
    response = client.get(reverse("sso:callback"), {"code": "abc", "state": "made-up"})
    assert response.status_code == 403 and response.context["reason"] == "state"
    response = client.get(reverse("sso:callback"))
    assert response.status_code == 403 and response.context["reason"] == "state"

    start = client.get(reverse("sso:login_start", args=[provider.pk]))
    back = requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    parts = urlsplit(back)
    assert client.get(parts.path + "?" + parts.query).status_code == 302
    # The same answer again: the state was used.
    client.logout()
    response = client.get(parts.path + "?" + parts.query)
    assert response.status_code == 403 and response.context["reason"] == "state"


def test_state_from_another_browser_is_refused(op, provider, kari):
    start = Client().get(reverse("sso:login_start", args=[provider.pk]))
    back = requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    parts = urlsplit(back)
    response = Client().get(parts.path + "?" + parts.query)
    assert response.status_code == 403 and response.context["reason"] == "state"


def test_error_from_the_provider_is_cancelled(op, provider, kari):
    client = Client()
    start = client.get(reverse("sso:login_start", args=[provider.pk]))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(reverse("sso:callback"), {"error": "access_denied", "state": state})
    assert response.status_code == 403 and response.context["reason"] == "cancelled"


def test_disabled_provider_is_refused_at_start_and_at_callback(op, provider, kari):
    client = Client()
    start = client.get(reverse("sso:login_start", args=[provider.pk]))
    provider.enabled = False
    provider.save()
    back = requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    parts = urlsplit(back)
    response = client.get(parts.path + "?" + parts.query)
    assert response.status_code == 403 and response.context["reason"] == "disabled"
    response = client.get(reverse("sso:login_start", args=[provider.pk]))
    assert response.status_code == 404 and response.context["reason"] == "disabled"
    assert client.get(reverse("sso:login_start", args=[999999])).status_code == 404


def test_unreachable_provider_is_a_clear_page(municipality, kari):
    from trepart.sso.models import IdentityProvider

    provider = IdentityProvider.objects.create(
        municipality=municipality,
        kind="entra_id",
        label="Nede",
        issuer="http://127.0.0.1:9",
        client_id="x",
        enabled=True,
    )
    response = Client().get(reverse("sso:login_start", args=[provider.pk]))
    assert response.status_code == 403 and response.context["reason"] == "unreachable"


def test_wrong_client_secret_is_refused(op, provider, kari):
    provider.client_secret = "wrong"
    provider.save()
    response = sso_login(Client(), provider)
    assert response.status_code == 403 and response.context["reason"] == "token"
    assert op.token_refusals == ["client"]


def test_login_page_shows_enabled_services_with_their_municipality(op, provider, kari):
    other = MunicipalityFactory(name="Annenby kommune")
    provider.pk = None
    provider.municipality = other
    provider.label = "ID-porten"
    provider.save()
    provider.pk = None
    provider.label = "Avslått"
    provider.enabled = False
    provider.save()
    html = Client().get(reverse("accounts:login")).content.decode()
    assert "Fjordby kommune (Entra ID)" in html
    assert "ID-porten (Annenby kommune)" in html
    assert "Avslått" not in html


def test_link_an_account_from_ones_own_page(op, provider, kari):
    """ID-porten gives no e-mail: a person logged in links their account once (by sub)."""
    op.claims = {"sub": "idporten-sub-kari"}  # no e-mail at all, as ID-porten
    client = Client()
    client.force_login(kari)
    page = client.get(reverse("accounts:own_page")).content.decode()
    assert reverse("sso:link_start", args=[provider.pk]) in page
    start = client.post(reverse("sso:link_start", args=[provider.pk]))
    # A page with a link to the service, not a redirect (the CSP's form-action is 'self').
    assert start.status_code == 200 and start["Cache-Control"] == "no-store"
    provider_url = start.context["provider_url"]
    assert f'href="{escape(provider_url)}"' in start.content.decode()
    back = requests.get(provider_url, allow_redirects=False, timeout=5).headers["Location"]
    parts = urlsplit(back)
    response = client.get(parts.path + "?" + parts.query)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:own_page")
    assert Identity.objects.get().sub == "idporten-sub-kari"
    # From now on Kari logs in with the service.
    fresh = Client()
    assert sso_login(fresh, provider).status_code == 302
    assert _logged_in_as(fresh) == str(kari.pk)
    # And can remove the link again; nobody else can.
    identity = Identity.objects.get()
    stranger = Client()
    stranger.force_login(UserFactory(municipality=kari.municipality))
    url = reverse("sso:identity_unlink", args=[identity.pk])
    assert stranger.post(url).status_code == 404
    assert client.post(url).status_code == 302
    assert not Identity.objects.exists()


def test_link_start_is_only_for_ones_own_municipality(op, provider, kari):
    client = Client()
    client.force_login(UserFactory(municipality=MunicipalityFactory()))
    assert client.post(reverse("sso:link_start", args=[provider.pk])).status_code == 404
    assert Client().post(reverse("sso:link_start", args=[provider.pk])).status_code == 302  # login
