"""Download of one's own data and erasure by a municipal administrator (issue 13 part 3, P8)."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.conftest import client_for as _password_client
from tests.factories import person_with_role
from tests.meetings.conftest import make_meeting
from trepart.accounts.models import Invitation
from trepart.accounts.services import token_hash
from trepart.inputs import services as input_services
from trepart.meetings import exports as meeting_exports
from trepart.meetings import services as meeting_services
from trepart.organisation.models import Role
from trepart.personaldata import contributions, selectors
from trepart.personaldata.models import Erasure

DOWNLOAD = reverse("personaldata:download")


def client_for(user) -> Client:
    """Logged in; administrators as after single sign-on, which counts as the second factor
    that the administration pages ask for (trepart.sso)."""
    if not user.role_assignments.filter(role=Role.MUNICIPAL_ADMIN).exists():
        return _password_client(user)
    client = Client()
    client.force_login(user, backend="trepart.sso.backends.OidcBackend")
    return client


def erase_url(person):
    return reverse("personaldata:erase", args=[person.pk])


@pytest.fixture
def leader(unit):
    return person_with_role(Role.UNIT_LEADER, unit, full_name="Kari Leder")


@pytest.fixture
def rich(leader, unit, employee):
    """The leader's data in several apps, and the employee's own input (not the leader's)."""
    today = timezone.localdate()
    meeting = make_meeting(leader, unit, day=today + datetime.timedelta(days=3))
    item = meeting_services.agenda_item_propose(actor=leader, meeting=meeting, title="Turnus")
    meeting_services.action_add(
        actor=leader,
        meeting=meeting,
        item=item,
        description="Lag ny turnus",
        assignee=leader,
        due_on=today + datetime.timedelta(days=10),
    )
    input_services.input_submit(unit=unit, text="Ønsker bedre pauserom", author=leader)
    input_services.input_submit(unit=unit, text="ANNEN-PERSONS-INNSPILL", author=employee)
    input_services.input_submit(unit=unit, text="Anonymt innspill om vakter")
    feed = meeting_exports.calendar_feed_regenerate(actor=leader)
    Invitation.objects.create(person=leader, token_hash=token_hash("the-secret-link"))
    return {"feed_token": feed.token}


def _open(response) -> tuple[dict, str, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    return json.loads(archive.read("data.json")), archive.read("index.html").decode(), archive


# --- download ---------------------------------------------------------------------------------


def test_download_is_a_zip_with_readable_html_and_the_same_json(leader, rich):
    response = client_for(leader).post(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="trepart-data-') and disposition.isascii()

    data, html, archive = _open(response)
    assert archive.namelist() == ["index.html", "data.json"]
    for info in archive.infolist():
        assert info.filename.isascii() and len(info.filename) < 20
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.flag_bits & 0x800 == 0  # plain ASCII names: no UTF-8 flag needed

    keys = {s["key"] for s in data["sections"]}
    # Several apps: the account, roles, meetings (actions, calendar), inputs, invitations.
    assert {
        "accounts.User",
        "organisation.RoleAssignment",
        "meetings.ActionItem",
        "meetings.AgendaItem",
        "meetings.CalendarFeed",
        "inputs.Input",
        "accounts.Invitation",
    } <= keys
    account = next(s for s in data["sections"] if s["key"] == "accounts.User")
    assert account["rows"][0]["email"] == leader.email
    assert account["rows"][0]["full_name"] == "Kari Leder"
    texts = {
        r.get("text") for s in data["sections"] if s["key"] == "inputs.Input" for r in s["rows"]
    }
    assert texts == {"Ønsker bedre pauserom"}
    # Every section is in the readable page too, with its human title and the values.
    for section in data["sections"]:
        assert escape(section["title"]) in html
    assert "Ønsker bedre pauserom" in html and "Lag ny turnus" in html
    assert data["notes"] and escape(data["notes"][0]) in html  # anonymous input cannot be included
    assert "<script" not in html

    both = html + json.dumps(data, ensure_ascii=False)
    # No secrets: no password hash, no token hash, no calendar token; nobody else's data.
    leader.refresh_from_db()
    assert leader.password not in both and "md5$" not in both and "argon2" not in both
    assert token_hash("the-secret-link") not in both
    assert rich["feed_token"] not in both
    for section in data["sections"]:
        for field in section["fields"]:
            assert not any(w in field["name"] for w in ("password", "hash", "token", "secret"))
    assert "ANNEN-PERSONS-INNSPILL" not in both
    assert "Anonymt innspill om vakter" not in both


def test_download_needs_login_and_post(leader):
    anonymous = Client()
    response = anonymous.post(DOWNLOAD)
    assert response.status_code == 302 and "login" in response["Location"]
    response = client_for(leader).get(DOWNLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:own_page"))


def test_download_holds_only_the_requesters_data(leader, employee, rich):
    data, _html, _a = _open(client_for(employee).post(DOWNLOAD))
    texts = {
        r.get("text") for s in data["sections"] if s["key"] == "inputs.Input" for r in s["rows"]
    }
    assert texts == {"ANNEN-PERSONS-INNSPILL"}
    assert "Kari Leder" not in json.dumps(
        next(s for s in data["sections"] if s["key"] == "accounts.User"), ensure_ascii=False
    )


def test_own_page_offers_the_download(leader):
    response = client_for(leader).get(reverse("accounts:own_page"))
    assert response.status_code == 200
    assert f'action="{DOWNLOAD}"' in response.content.decode()


def test_export_queries_do_not_grow_with_the_rows(leader, unit, rich):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.export_data(leader)
        return len(ctx.captured_queries)

    few = count()
    today = timezone.localdate()
    for n in range(8):
        meeting = make_meeting(leader, unit, day=today + datetime.timedelta(days=20 + n))
        item = meeting_services.agenda_item_propose(actor=leader, meeting=meeting, title=f"S{n}")
        meeting_services.action_add(
            actor=leader,
            meeting=meeting,
            item=item,
            description=f"Oppgave {n}",
            assignee=leader,
            due_on=today + datetime.timedelta(days=30),
        )
        input_services.input_submit(unit=unit, text=f"Innspill nummer {n}", author=leader)
    assert count() == few


# --- erasure: who may ------------------------------------------------------------------------


def test_admin_page_panel_offers_erasure_with_a_fixed_number_of_queries(admin_user, leader, rich):
    with CaptureQueriesContext(connection) as ctx:
        panels = contributions.person_admin_panel(admin_user, leader)
    assert len(ctx.captured_queries) <= 2 and panels
    page = client_for(admin_user).get(reverse("organisation:person_detail", args=[leader.pk]))
    assert page.status_code == 200
    assert erase_url(leader) in page.content.decode()


def test_admin_of_another_municipality_gets_404_and_nothing_changes(other_municipality, leader):
    stranger = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    client = client_for(stranger)
    assert client.get(erase_url(leader)).status_code == 404
    assert client.post(erase_url(leader), {"confirm_name": "Kari Leder"}).status_code == 404
    leader.refresh_from_db()
    assert leader.erased_at is None and leader.full_name == "Kari Leder"
    assert contributions.person_admin_panel(stranger, leader) == []


def test_non_admin_cannot_erase(leader, employee):
    client = client_for(employee)
    assert client.get(erase_url(leader)).status_code in (403, 404)
    assert client.post(erase_url(leader), {"confirm_name": "Kari Leder"}).status_code in (403, 404)
    leader.refresh_from_db()
    assert leader.erased_at is None
    assert contributions.person_admin_panel(employee, leader) == []


def test_admin_cannot_erase_themselves(admin_user):
    client = client_for(admin_user)
    assert client.get(erase_url(admin_user)).status_code == 403
    name = admin_user.full_name
    assert client.post(erase_url(admin_user), {"confirm_name": name}).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.erased_at is None and admin_user.is_active
    page = client.get(reverse("organisation:person_detail", args=[admin_user.pk]))
    assert erase_url(admin_user) not in page.content.decode()


def test_wrong_name_is_refused_by_the_field_and_keeps_what_was_typed(admin_user, leader):
    response = client_for(admin_user).post(erase_url(leader), {"confirm_name": "Kari Ledr"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Kari Ledr"' in body and 'aria-invalid="true"' in body
    leader.refresh_from_db()
    assert leader.erased_at is None
    assert client_for(admin_user).post(erase_url(leader), {}).status_code == 400


def test_erasure_by_the_admin(admin_user, leader, rich):
    client = client_for(admin_user)
    page = client.get(erase_url(leader))
    assert page.status_code == 200 and "Kari Leder" in page.content.decode()
    response = client.post(erase_url(leader), {"confirm_name": "  kari   leder "})
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.erased_at is not None and not leader.is_active
    assert "Kari" not in leader.full_name and leader.email.endswith("@erased.invalid")
    erasure = Erasure.objects.get()
    assert erasure.erased_by == admin_user and erasure.municipality_id == leader.municipality_id
    # The person's page shows the audit, and no second form.
    page = client.get(reverse("organisation:person_detail", args=[leader.pk])).content.decode()
    assert admin_user.full_name in page and erase_url(leader) not in page
    again = client.post(erase_url(leader), {"confirm_name": leader.full_name})
    assert again.status_code == 302 and Erasure.objects.count() == 1
    # Only personal rows went; the invitation and the calendar feed are gone.
    assert not Invitation.objects.filter(person=leader).exists()
    assert not client_for(leader).post(DOWNLOAD).status_code == 200
