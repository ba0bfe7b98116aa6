"""The municipal admin's sign-in settings (/manage/sign-in/, issue 13): denials, input, queries."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MunicipalityFactory, UserFactory, person_with_role
from tests.query_counts import assert_same_counts, measure
from tests.sso.helpers import password_client, verified_admin_client
from trepart.organisation.models import Role
from trepart.sso.models import Identity, IdentityProvider, LoginPolicy

pytestmark = pytest.mark.django_db

SETTINGS = "/manage/sign-in/"
NEW = "/manage/sign-in/services/new/"


def _provider(municipality, **kwargs):
    values = {
        "kind": "entra_id",
        "label": "Entra ID",
        "issuer": "https://login.microsoftonline.com/tenant/v2.0",
        "client_id": "abc",
        "client_secret": "very-secret",
        "enabled": True,
    }
    values.update(kwargs)
    return IdentityProvider.objects.create(municipality=municipality, **values)


VALID = {
    "kind": "id_porten",
    "label": "ID-porten",
    "issuer": "https://idporten.no/",
    "client_id": "client-1",
    "client_secret": "s3cret",
    "scopes": "openid profile",
    "enabled": "on",
}


def test_manage_page_has_the_card(admin_user):
    client = verified_admin_client(admin_user)
    html = client.get("/manage/").content.decode()
    assert reverse("sso:settings") in html


def test_admin_adds_and_changes_a_service(admin_user):
    client = verified_admin_client(admin_user)
    assert client.get(SETTINGS).status_code == 200
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, VALID)
    assert response.status_code == 302
    provider = IdentityProvider.objects.get()
    assert provider.municipality == admin_user.municipality
    assert provider.client_secret == "s3cret" and provider.enabled
    edit = reverse("sso:provider_edit", args=[provider.pk])
    page = client.get(edit).content.decode()
    assert "s3cret" not in page  # the secret is never shown again
    response = client.post(edit, {**VALID, "label": "ID-porten (folkevalgte)", "client_secret": ""})
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.label == "ID-porten (folkevalgte)" and provider.client_secret == "s3cret"


@pytest.mark.parametrize(
    "field, value",
    [
        ("issuer", "http://idporten.no/"),
        ("issuer", "not a url"),
        ("issuer", "https://idporten.no/?x=1"),
        ("scopes", "openid <script>"),
        ("label", ""),
        ("kind", "saml"),
        ("client_id", "x" * 500),
    ],
)
def test_invalid_input_is_400_with_the_error_by_the_field(admin_user, field, value):
    client = verified_admin_client(admin_user)
    response = client.post(NEW, {**VALID, field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not IdentityProvider.objects.exists()
    if field == "label":
        assert 'value="client-1"' in response.content.decode()  # what was typed is kept


def test_scopes_always_include_openid(admin_user):
    client = verified_admin_client(admin_user)
    client.post(NEW, {**VALID, "scopes": "profile email profile"})
    assert IdentityProvider.objects.get().scopes == "openid profile email"


def test_password_login_off_needs_a_service_in_use(admin_user):
    client = verified_admin_client(admin_user)
    response = client.post(SETTINGS, {})
    assert response.status_code == 400 and "password_login" in response.context["form"].errors
    assert not LoginPolicy.objects.exists()
    provider = _provider(admin_user.municipality)
    # The acting admin must be linked at a service in use (the lock-out guard).
    Identity.objects.create(user=admin_user, provider=provider, sub="sub-admin")
    assert client.post(SETTINGS, {}).status_code == 302
    assert not LoginPolicy.objects.get().password_login
    # The last service in use cannot then be switched off.
    edit = reverse("sso:provider_edit", args=[provider.pk])
    response = client.post(edit, {**VALID, "enabled": ""})
    assert response.status_code == 400 and "enabled" in response.context["form"].errors
    provider.refresh_from_db()
    assert provider.enabled
    assert client.post(SETTINGS, {"password_login": "on"}).status_code == 302
    assert LoginPolicy.objects.get().password_login


def test_non_admins_are_refused(employee, municipality):
    provider = _provider(municipality)
    for client in (password_client(employee), _leader_client(municipality)):
        for url in (SETTINGS, NEW, reverse("sso:provider_edit", args=[provider.pk])):
            assert client.get(url).status_code == 403, url
        assert client.post(NEW, VALID).status_code == 403
        assert client.post(SETTINGS, {}).status_code == 403
    assert IdentityProvider.objects.count() == 1 and not LoginPolicy.objects.exists()
    assert Client().get(SETTINGS).status_code == 302  # to the login page


def _leader_client(municipality):
    from tests.factories import UnitFactory

    leader = person_with_role(Role.UNIT_LEADER, UnitFactory(municipality=municipality))
    return password_client(leader)


def test_other_municipalitys_service_is_404(admin_user):
    other = _provider(MunicipalityFactory(), label="Annenby")
    client = verified_admin_client(admin_user)
    url = reverse("sso:provider_edit", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {**VALID, "label": "Kapret"}).status_code == 404
    other.refresh_from_db()
    assert other.label == "Annenby"
    assert "Annenby" not in client.get(SETTINGS).content.decode()
    assert client.get(reverse("sso:provider_edit", args=[999999])).status_code == 404


def test_platform_operator_cannot_open_it():
    operator = UserFactory(municipality=None, is_staff=True)
    assert password_client(operator).get(SETTINGS).status_code == 403


def test_settings_and_login_pages_do_not_grow_with_services(admin_user):
    municipality = admin_user.municipality
    clients = {"admin": verified_admin_client(admin_user), "anonymous": Client()}
    pages = [("admin", "settings", SETTINGS), ("anonymous", "login", reverse("accounts:login"))]
    _provider(municipality)
    few = measure(clients, pages)
    for i in range(10):
        _provider(municipality, label=f"Tjeneste {i}")
        _provider(MunicipalityFactory(), label=f"Annen {i}")
    many = measure(clients, pages)
    assert_same_counts(few, many)
