"""Regression tests for review rev1 (issue 13): linking and admin pages behind the second
factor, no password oracle, Entra ID's verified e-mail, the lock-out guard and requests to
Trepart's own network (SSRF)."""

from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.sso.helpers import password_client, sso_login, verified_admin_client
from trepart.organisation.models import Department, Union, UnionPresence
from trepart.sso import oidc
from trepart.sso.models import Identity, IdentityProvider, LoginPolicy

pytestmark = pytest.mark.django_db

SECOND_FACTOR = "/sso/second-factor/"


# rev1 #1: linking an identity with only the password would skip the second factor -------------


def test_password_only_admin_cannot_link_an_identity(op, provider, admin_user):
    client = password_client(admin_user)
    op.claims = {"sub": "attackers-own-sub", "email_verified": False}
    response = client.post(reverse("sso:link_start", args=[provider.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_FACTOR)
    assert not op.authorize_requests
    assert not Identity.objects.exists()
    # And so the attacker's own account at the provider does not get into /manage/.
    fresh = Client()
    assert sso_login(fresh, provider).status_code == 403
    assert fresh.get("/manage/").status_code == 302


def test_callback_link_branch_also_needs_the_second_factor(op, provider, admin_user):
    # Started while verified, but the session that comes back is password-only: refused.
    client = verified_admin_client(admin_user)
    op.claims = {"sub": "sub-admin"}
    response = client.post(reverse("sso:link_start", args=[provider.pk]))
    assert response.status_code == 200 and response.context["provider_url"].startswith(op.issuer)
    provider_url = response.context["provider_url"]
    back = requests.get(provider_url, allow_redirects=False, timeout=5).headers["Location"]
    plain = password_client(admin_user)
    plain.cookies = client.cookies
    session = plain.session
    session.pop("otp_device_id", None)
    session.save()
    parts = urlsplit(back)
    response = plain.get(parts.path + "?" + parts.query)
    assert response.status_code == 302 and response["Location"].startswith(SECOND_FACTOR)
    assert not Identity.objects.exists()


def test_verified_admin_can_link(op, provider, admin_user):
    client = verified_admin_client(admin_user)
    op.claims = {"sub": "sub-admin"}
    response = client.post(reverse("sso:link_start", args=[provider.pk]))
    provider_url = response.context["provider_url"]
    back = requests.get(provider_url, allow_redirects=False, timeout=5).headers["Location"]
    parts = urlsplit(back)
    response = client.get(parts.path + "?" + parts.query)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:own_page")
    assert Identity.objects.get().user == admin_user


# rev1 #2: admin-only pages outside /manage/ ------------------------------------------------------


def test_every_admin_only_page_needs_the_second_factor(admin_user, unit):
    union = Union.objects.create(
        municipality=unit.municipality, name="Testforbundet", short_name="TF"
    )
    UnionPresence.objects.create(unit=unit, union=union)
    client = password_client(admin_user)
    urls = [
        "/manage/",
        "/manage/sign-in/",
        "/manage/people/",
        "/manage/archive/",
        reverse("organisation:unit_update", args=[unit.pk]),
        reverse("organisation:department_add", args=[unit.pk]),
        reverse("organisation:union_presence_add", args=[unit.pk]),
        reverse("organisation:union_presence_remove", args=[unit.pk, union.pk]),
        reverse("personaldata:erase", args=[admin_user.pk]),
        reverse("sso:link_start", args=[1]),
        reverse("api:token_create"),
    ]
    for url in urls:
        for method in (client.get, client.post):
            response = method(url, {"name": "Ny avdeling"})
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith(SECOND_FACTOR), url
    assert not Department.objects.filter(name="Ny avdeling").exists()
    assert UnionPresence.objects.filter(unit=unit, union=union).exists()
    # What stays open: the second-factor page itself and logging out.
    assert client.get(SECOND_FACTOR).status_code == 200


def test_password_only_admin_may_log_in_again_with_single_sign_on(op, provider, admin_user):
    """The login and callback addresses are open, so an admin can switch to single sign-on in
    the same browser; the new session counts as verified."""
    admin_user.email = "admin@testvik.no"
    admin_user.save()
    op.claims = {"sub": "sub-admin", "email": "admin@testvik.no", "email_verified": True}
    client = password_client(admin_user)
    assert client.get("/manage/").status_code == 302
    assert sso_login(client, provider).status_code == 302
    assert client.get("/manage/").status_code == 200


# rev1 #3: the refusal must not tell whether the password was right --------------------------


def test_password_login_off_gives_the_same_answer_for_any_password(provider, kari):
    LoginPolicy.objects.create(municipality=kari.municipality, password_login=False)
    kari.set_password("Riktig-passord-123")
    kari.save()
    right = Client().post(
        "/accounts/login/", {"username": kari.email, "password": "Riktig-passord-123"}
    )
    wrong = Client().post("/accounts/login/", {"username": kari.email, "password": "feil"})
    assert right.status_code == wrong.status_code == 200
    assert right.context["form"].errors == wrong.context["form"].errors
    assert right.context["form"].has_error("__all__", "password_login_off")
    assert "_auth_user_id" not in right.client.session


# rev1 #4: Entra ID says "verified" with xms_edov or verified_primary_email ------------------------


@pytest.mark.parametrize(
    "extra, ok",
    [
        ({"xms_edov": True}, True),
        ({"xms_edov": "true"}, True),
        ({"verified_primary_email": ["KARI@example.test"]}, True),
        ({"verified_primary_email": "kari@example.test"}, True),
        ({"verified_primary_email": ["other@example.test"]}, False),
        ({"xms_edov": False}, False),
        ({}, False),
    ],
)
def test_entra_id_verified_email_claims(op, provider, kari, extra, ok):
    op.claims = {"sub": "sub-kari", "email": "kari@example.test", **extra}
    response = sso_login(Client(), provider)
    assert (response.status_code == 302) is ok, response.status_code
    assert Identity.objects.filter(user=kari).exists() is ok


def test_xms_edov_counts_only_for_entra_id(op, provider, kari):
    provider.kind = IdentityProvider.Kind.ID_PORTEN
    provider.save()
    op.claims = {"sub": "sub-kari", "email": "kari@example.test", "xms_edov": True}
    response = sso_login(Client(), provider)
    assert response.status_code == 403 and response.context["reason"] == "unknown_person"


def test_password_login_off_needs_the_admin_linked_to_a_service_in_use(op, provider, admin_user):
    client = verified_admin_client(admin_user)
    response = client.post("/manage/sign-in/", {})
    assert response.status_code == 400
    assert "password_login" in response.context["form"].errors
    message = response.context["form"].errors["password_login"][0]
    assert escape(message) in response.content.decode()  # the reason by the field
    assert not LoginPolicy.objects.exists()
    # Linked at a service that is not in use does not count.
    other = IdentityProvider.objects.create(
        municipality=admin_user.municipality,
        kind="id_porten",
        label="Av",
        issuer="https://idporten.no",
        client_id="x",
        enabled=False,
    )
    Identity.objects.create(user=admin_user, provider=other, sub="s-1")
    assert client.post("/manage/sign-in/", {}).status_code == 400
    Identity.objects.create(user=admin_user, provider=provider, sub="s-2")
    assert client.post("/manage/sign-in/", {}).status_code == 302
    assert not LoginPolicy.objects.get().password_login


# rev1 #5: no requests into Trepart's own network --------------------------------------------------


@pytest.mark.parametrize(
    "issuer",
    [
        "http://localhost:8000",
        "https://localhost",
        "https://127.0.0.1",
        "https://127.1",
        "https://2130706433",
        "https://[::1]",
        "https://10.0.0.5/realm",
        "https://192.168.1.1",
        "https://169.254.169.254/latest",
        "https://[::ffff:10.0.0.1]",
        "https://internal.localhost",
    ],
)
def test_provider_form_refuses_local_and_internal_issuers(admin_user, issuer):
    client = verified_admin_client(admin_user)
    data = {
        "kind": "entra_id",
        "label": "Intern",
        "issuer": issuer,
        "client_id": "c",
        "client_secret": "s",
        "scopes": "openid",
        "enabled": "on",
    }
    response = client.post("/manage/sign-in/services/new/", data)
    assert response.status_code == 400, issuer
    assert "issuer" in response.context["form"].errors
    assert not IdentityProvider.objects.exists()


def test_private_hosts_allowed_in_tests_only_when_switched_on(settings, admin_user):
    settings.SSO_ALLOW_PRIVATE_HOSTS = True
    client = verified_admin_client(admin_user)
    data = {
        "kind": "entra_id",
        "label": "Lokal",
        "issuer": "http://127.0.0.1:9",
        "client_id": "c",
        "client_secret": "s",
        "scopes": "openid",
        "enabled": "on",
    }
    assert client.post("/manage/sign-in/services/new/", data).status_code == 302


def test_discovery_refuses_a_stored_private_issuer(op, provider, settings):
    settings.SSO_ALLOW_PRIVATE_HOSTS = False
    settings.DEBUG = False
    response = Client().get(reverse("sso:login_start", args=[provider.pk]))
    assert response.status_code == 403 and response.context["reason"] == "unreachable"
    assert not op.authorize_requests


def test_token_and_jwks_requests_refuse_private_hosts(settings, monkeypatch):
    settings.SSO_ALLOW_PRIVATE_HOSTS = False
    settings.DEBUG = False
    monkeypatch.setattr(
        oidc.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.1.2.3", 0))]
    )
    for url in ("https://idp.example/token", "http://idp.example/jwks"):
        with pytest.raises(oidc.LoginRefused):
            oidc.check_public(url)
    monkeypatch.setattr(
        oidc.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("20.190.1.1", 0))]
    )
    oidc.check_public("https://login.microsoftonline.com/t/oauth2/v2.0/token")


def test_backend_checks_the_token_endpoint(op, provider, kari, settings, monkeypatch):
    # Discovery passed (e.g. cached), but the token endpoint is checked on its own.
    seen = []

    def check(url):
        seen.append(url)
        if url.endswith("/token"):
            raise oidc.LoginRefused("unreachable")

    c = Client()
    start = c.get(reverse("sso:login_start", args=[provider.pk]))
    back = requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    monkeypatch.setattr(oidc, "check_public", check)
    parts = urlsplit(back)
    response = c.get(parts.path + "?" + parts.query)
    assert response.status_code == 403 and response.context["reason"] == "unreachable"
    assert any(u.endswith("/token") for u in seen)
    assert not op.token_requests


def test_token_request_does_not_follow_a_redirect(op, provider, kari, monkeypatch):
    # A 307 from the token endpoint would repeat the POST, client secret and all, wherever it
    # points: refused instead.
    import requests as real_requests

    from trepart.sso import backends

    calls = []

    class Redirect:
        is_redirect = True
        status_code = 307

    def post(url, **kwargs):
        calls.append(kwargs)
        return Redirect()

    c = Client()
    start = c.get(reverse("sso:login_start", args=[provider.pk]))
    back = real_requests.get(start["Location"], allow_redirects=False, timeout=5).headers[
        "Location"
    ]
    monkeypatch.setattr(backends.requests, "post", post)
    parts = urlsplit(back)
    response = c.get(parts.path + "?" + parts.query)
    assert response.status_code == 403 and response.context["reason"] == "token"
    assert calls and calls[0]["allow_redirects"] is False
    assert not Identity.objects.exists()
