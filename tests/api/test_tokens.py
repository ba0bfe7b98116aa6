"""Personal API tokens (issue 13): made and revoked on the person's own page, shown once,
stored only as a hash; expiry at most a year; revoked, expired or a deactivated person's token
answers 401; scopes limit what a token may do; rate limited per token (429 JSON)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from tests.api.conftest import ApiClient, make_token
from tests.conftest import client_for
from tests.factories import person_with_role
from trepart.api import services
from trepart.api.models import ApiToken, Scope
from trepart.organisation.models import Role


def _error(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = json.loads(response.content)
    assert set(body) >= {"code", "message"}, body
    return body


@pytest.fixture
def person(db, unit):
    return person_with_role(Role.UNIT_LEADER, unit)


def _expiry(days=30) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- the own page ------------------------------------------------------------------------------


def test_own_page_shows_the_panel_with_the_form(person):
    response = client_for(person).get("/accounts/me/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="api-tokens"' in body
    assert 'action="/accounts/me/api-tokens/new/"' in body
    assert 'name="scopes"' in body and 'name="expires_on"' in body


def test_token_is_made_shown_once_and_only_its_hash_is_stored(person):
    client = client_for(person)
    response = client.post(
        "/accounts/me/api-tokens/new/",
        {"name": "Saksystemet", "scopes": ["read", "inputs:write"], "expires_on": _expiry()},
    )
    # Shown in the answer to the POST itself (review rev1 #8): never kept in the session.
    shown = response
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    assert shown["Referrer-Policy"] == "same-origin"
    body = shown.content.decode()
    token = ApiToken.objects.get(person=person)
    secret = body.split('id="api-token-secret" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("trp_") and secret.startswith(token.prefix)
    assert token.token_hash == services.token_hash(secret)
    assert secret not in token.token_hash and token.scope_list == ["read", "inputs:write"]
    # Not in the session table, not even for a moment.
    from django.contrib.sessions.models import Session

    assert all(secret not in str(s.get_decoded()) for s in Session.objects.all())
    assert secret not in str(dict(client.session))
    # Shown once: the old "created" address goes back to the own page without the secret.
    again = client.get("/accounts/me/api-tokens/created/")
    assert again.status_code == 302 and secret not in again.content.decode()
    own = client.get("/accounts/me/").content.decode()
    assert "Saksystemet" in own and token.prefix in own and secret not in own
    # And the secret works.
    assert ApiClient(secret).get("/me").status_code == 200


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": "", "scopes": ["read"]}, "name"),
        ({"name": "X", "scopes": []}, "scopes"),
        ({"name": "X", "scopes": ["admin"]}, "scopes"),
        ({"name": "X", "scopes": ["read"], "expires_on": "2020-01-01"}, "expires_on"),
        ({"name": "X", "scopes": ["read"], "expires_on": "today"}, "expires_on"),
    ],
)
def test_invalid_token_form_is_shown_again_with_errors_and_what_was_typed(person, data, field):
    data = {"expires_on": _expiry(), **data}
    response = client_for(person).post("/accounts/me/api-tokens/new/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="token_{field}_error"' in body
    if data["name"]:
        assert 'value="X"' in body
    assert not ApiToken.objects.exists()


def test_expiry_is_at_most_a_year(person):
    response = client_for(person).post(
        "/accounts/me/api-tokens/new/",
        {"name": "Lenge", "scopes": ["read"], "expires_on": _expiry(366)},
    )
    assert response.status_code == 400
    assert 'id="token_expires_on_error"' in response.content.decode()
    response = client_for(person).post(
        "/accounts/me/api-tokens/new/",
        {"name": "Ett år", "scopes": ["read"], "expires_on": _expiry(365)},
    )
    assert response.status_code == 200 and ApiToken.objects.filter(name="Ett år").exists()


def test_token_pages_need_a_login(db):
    from django.test import Client

    for url in ("/accounts/me/api-tokens/new/", "/accounts/me/api-tokens/created/"):
        assert Client().get(url).status_code == 302
    assert Client().post("/accounts/me/api-tokens/revoke/", {"token": "1"}).status_code == 302


def test_revoke_on_own_page_then_the_token_is_refused(person):
    secret = make_token(person)
    token = ApiToken.objects.get(person=person)
    client = client_for(person)
    response = client.post("/accounts/me/api-tokens/revoke/", {"token": str(token.pk)})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    answer = ApiClient(secret).get("/me")
    assert answer.status_code == 401 and _error(answer)["code"] == "unauthorized"
    # Listed as revoked, without a revoke button.
    assert f'name="token" value="{token.pk}"' not in client.get("/accounts/me/").content.decode()


def test_nobody_revokes_another_persons_token(person, unit):
    secret = make_token(person)
    token = ApiToken.objects.get(person=person)
    colleague = person_with_role(Role.MUNICIPAL_ADMIN, municipality=unit.municipality)
    for value in (str(token.pk), "junk", "", "99999999999999999999"):
        response = client_for(colleague).post("/accounts/me/api-tokens/revoke/", {"token": value})
        assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiClient(secret).get("/me").status_code == 200


# --- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Bearer trp_nope", "Basic abc", "Bearer " + "x" * 500],
)
def test_missing_or_unknown_token_is_401_json(db, header):
    from django.test import Client

    headers = {"Authorization": header} if header is not None else {}
    response = Client().get("/api/units", headers=headers)
    assert response.status_code == 401
    assert _error(response)["code"] == "unauthorized"
    assert response["WWW-Authenticate"] == "Bearer"


def test_expired_token_is_401(person):
    secret = make_token(person)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = ApiClient(secret).get("/me")
    assert response.status_code == 401 and _error(response)["code"] == "unauthorized"


def test_token_of_a_deactivated_person_is_401(person):
    secret = make_token(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert ApiClient(secret).get("/me").status_code == 401


def test_token_is_valid_through_its_last_day(person):
    token, _secret = services.token_create(
        person=person,
        name="Kort",
        scopes=["read"],
        expires_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    tomorrow_end = timezone.localtime(token.expires_at)
    assert tomorrow_end.date() == timezone.localdate() + datetime.timedelta(days=2)
    assert (tomorrow_end.hour, tomorrow_end.minute) == (0, 0)


def test_last_used_is_noted(person):
    secret = make_token(person)
    assert ApiToken.objects.get().last_used_at is None
    ApiClient(secret).get("/me")
    assert ApiToken.objects.get().last_used_at is not None


# --- scopes ------------------------------------------------------------------------------------


def test_read_only_token_cannot_write(db, unit):
    person = person_with_role(Role.EMPLOYEE, unit)
    client = ApiClient(make_token(person, [Scope.READ]))
    response = client.post("/inputs", {"unit_id": unit.pk, "text": "Mer kaffe"})
    assert response.status_code == 403 and _error(response)["code"] == "missing_scope"
    from trepart.inputs.models import Input

    assert not Input.objects.exists()


def test_write_only_token_cannot_read(db, unit):
    person = person_with_role(Role.EMPLOYEE, unit)
    client = ApiClient(make_token(person, [Scope.INPUTS_WRITE]))
    for path in ("/me", "/units", f"/units/{unit.pk}", "/inputs", "/meetings"):
        response = client.get(path)
        assert response.status_code == 403 and _error(response)["code"] == "missing_scope"
    assert client.post("/inputs", {"unit_id": unit.pk, "text": "Mer kaffe"}).status_code == 201


def test_inputs_scope_does_not_put_items_on_the_agenda(world):
    leader = world["people"]["leader"]
    client = ApiClient(make_token(leader, [Scope.READ, Scope.INPUTS_WRITE]))
    meeting = world["meetings"]["coming"]
    response = client.post(f"/meetings/{meeting.pk}/agenda-items", {"title": "Ny sak"})
    assert response.status_code == 403 and _error(response)["code"] == "missing_scope"


# --- rate limit ----------------------------------------------------------------------------------


def test_rate_limit_per_token_is_429_json(person, settings):
    settings.API_TOKEN_RATES = [(3, 3600)]  # an hour: the test never straddles a window
    first, second = ApiClient(make_token(person)), ApiClient(make_token(person, name="To"))
    assert [first.get("/me").status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get("/me")
    assert limited.status_code == 429
    assert _error(limited)["code"] == "rate_limited" and limited["Retry-After"]
    # Per token: another token of the same person still works.
    assert second.get("/me").status_code == 200
