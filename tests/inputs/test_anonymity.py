"""P3: anonymous input stores no user, no IP address, no user agent and only the date; the
access log records anonymous pages without the client address, the link token or the receipt
code. Logged-in staff may hide their name and are then stored like anonymous input."""

import datetime
import hashlib
import logging
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.inputs.conftest import (
    IP,
    TEXT,
    USER_AGENT,
    access_lines,
    link_url,
    logged_in,
    phone,
    receipt_url,
)
from tests.inputs.proof import challenge_from, quick_proof, solve  # noqa: F401
from trepart.core import proofofwork
from trepart.core.models import RateLimitBucket, SpentChallenge
from trepart.core.privacy import RedactAnonymousPaths, redact_path
from trepart.inputs import services
from trepart.inputs.models import Input, InputEvent

RECEIPT_REDIRECT = re.compile(r"^/r/([A-Z2-9]{12})/\?sent=[A-Za-z0-9_-]+$")


def _code_from(response) -> str:
    match = RECEIPT_REDIRECT.match(response["Location"])
    assert match, response["Location"]
    return match.group(1)


def _values(obj) -> list[str]:
    return [str(field.value_from_object(obj)) for field in obj._meta.concrete_fields]


def _assert_no_trace(values, *needles):
    for value in values:
        for needle in needles:
            assert needle not in value, f"{needle!r} stored in {value!r}"


def _send_anonymously(client, unit, text=TEXT):
    response = client.post(link_url(unit), {"text": text, "category": "organisation"})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_input_anonymous_stores_no_user_no_address_and_only_the_date(unit):
    """P3: the stored row holds no author, no IP, no user agent; the date only; the receipt
    code only as its SHA-256 hash."""
    response = _send_anonymously(phone(), unit)
    code = _code_from(response)
    item = Input.objects.get()
    assert item.author is None and item.is_anonymous
    assert item.text == TEXT and item.unit == unit and item.category == "organisation"
    _assert_no_trace(_values(item), IP, USER_AGENT, "Testtelefon")
    assert type(item.submitted_on) is datetime.date  # a date, never a datetime
    assert not [f for f in Input._meta.concrete_fields if isinstance(f, models.DateTimeField)]
    assert re.fullmatch(r"[0-9a-f]{64}", item.receipt_hash)
    assert item.receipt_hash != code and code not in item.receipt_hash
    assert item.receipt_hash == hashlib.sha256(code.encode()).hexdigest()
    # The submission itself is not an event: no time of day is kept anywhere for it.
    assert not InputEvent.objects.filter(input=item).exists()


def test_input_anonymous_address_and_user_agent_are_stored_nowhere(unit, leader):
    """P3: after sending, reading the receipt and the group handling the input, neither the
    address nor the user agent is in any row of any table (the group's events included)."""
    client = phone()
    response = _send_anonymously(client, unit)
    code = _code_from(response)
    assert client.get(response["Location"]).status_code == 200
    assert client.post(reverse("inputs:receipt_lookup"), {"code": code}).status_code == 302
    item = Input.objects.get()
    services.input_consider(actor=leader, item=item)
    services.input_close(actor=leader, item=item, status="answered", answer="Vi ser på turnusen.")
    assert InputEvent.objects.filter(input=item).count() == 2
    for event in InputEvent.objects.all():
        _assert_no_trace(_values(event), IP, USER_AGENT, "Testtelefon")
    for model in apps.get_models():
        for row in model._default_manager.all():
            _assert_no_trace(_values(row), IP, USER_AGENT, "Testtelefon", code)


def test_input_anonymous_pages_use_no_session_and_are_not_cached(unit):
    """P3 / decision 0002: anonymous pages set no session and are never cached or indexed."""
    client = phone()
    form = client.get(link_url(unit))
    sent = _send_anonymously(client, unit)
    receipt = client.get(sent["Location"])
    for response in (form, sent, receipt):
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"]
        assert "noindex" in response["X-Robots-Tag"]
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert not Session.objects.exists()


def test_input_anonymous_pages_send_no_path_as_referrer(unit):
    """P3: the anonymous pages' own subresources must not carry the link token or receipt code
    to any log as a Referer."""
    client = phone()
    sent = client.post(link_url(unit), {"text": TEXT})
    for response in (client.get(link_url(unit)), sent, client.get(sent["Location"])):
        assert response["Referrer-Policy"] in ("no-referrer", "origin", "strict-origin")


def test_input_anonymous_csrf_failure_is_logged_without_address(unit, access_log):
    """P3: a POST refused by the CSRF check (before the view runs) is logged like the page."""
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=IP, HTTP_USER_AGENT=USER_AGENT)
    response = client.post(link_url(unit), {"text": TEXT})
    assert response.status_code == 403
    assert not Input.objects.exists()
    (line,) = access_lines(access_log)
    assert IP not in line and "client=" not in line
    assert services.input_link_for(unit).token not in line


def test_input_anonymous_access_log_has_no_address_token_or_code(unit, employee, access_log):
    """P3: the access-log lines of the link (GET and POST), the receipt page and the receipt
    lookup carry neither the client address nor the link token nor the receipt code; an
    ordinary logged-in page does carry `client=<ip>` (so this test can fail)."""
    client = phone()
    token = services.input_link_for(unit).token
    assert client.get(link_url(unit)).status_code == 200
    sent = _send_anonymously(client, unit)
    code = _code_from(sent)
    assert client.get(sent["Location"]).status_code == 200
    assert client.get(receipt_url(code.lower())).status_code == 200
    assert client.post(reverse("inputs:receipt_lookup"), {"code": code}).status_code == 302

    lines = access_lines(access_log)
    assert len(lines) == 5, lines
    secrets = (IP, token, code, code.lower(), services.format_receipt_code(code), "client=")
    for line in lines:
        for secret in secrets:
            assert secret not in line, f"{secret!r} in access log line {line!r}"
    assert lines[0].startswith("GET /i/…/ 200")
    assert lines[1].startswith("POST /i/…/ 302")
    assert lines[2].startswith("GET /r/…/ 200")
    assert lines[4].startswith("POST /r/ 302")

    access_log.clear()
    staff = logged_in(employee)
    assert staff.get(reverse("inputs:index"), REMOTE_ADDR=IP).status_code == 200
    (line,) = access_lines(access_log)
    assert line.startswith("GET /inputs/ 200") and f"client={IP}" in line


def test_input_anonymous_unknown_link_is_logged_without_address(unit, access_log):
    """P3: a retired or mistyped link is an anonymous page too (404 without the address)."""
    response = phone().get(reverse("inputs:anonymous_form", args=["no-such-link"]))
    assert response.status_code == 404
    (line,) = access_lines(access_log)
    assert IP not in line and "no-such-link" not in line and line.startswith("GET /i/…/ 404")


def test_input_anonymous_path_without_final_slash_is_logged_without_address(unit, access_log):
    """P3: typing the receipt link by hand without the last '/' (or a link token likewise) is
    still a visit to an anonymous page, though no view runs (CommonMiddleware redirects):
    no address and no code in the log line."""
    _item, code = services.input_submit(unit=unit, text=TEXT)
    token = services.input_link_for(unit).token
    client = phone()
    response = client.get(f"/r/{code}")
    assert response.status_code == 301 and response["Location"] == receipt_url(code)
    response = client.get(f"/i/{token}")
    assert response.status_code == 301 and response["Location"] == link_url(unit)
    lines = access_lines(access_log)
    assert len(lines) == 2
    for line in lines:
        assert code not in line and token not in line
        assert IP not in line and "client=" not in line


def test_input_receipt_code_typed_with_spaces_is_not_logged(unit, access_log):
    """P3: a code typed into the address with spaces or dots (the lookup accepts it) is
    redacted as a whole in the access log."""
    _item, code = services.input_submit(unit=unit, text=TEXT)
    client = phone()
    spaced = "%20".join(code[i : i + 4] for i in range(0, 12, 4))
    dotted = ".".join(code[i : i + 4] for i in range(0, 12, 4))
    assert client.get(f"/r/{spaced}/").status_code == 200
    assert client.get(f"/r/{dotted}/").status_code == 200
    for line in access_lines(access_log):
        for part in (code[:4], code[4:8], code[8:]):
            assert part not in line, line
    record = _record('"GET %s HTTP/1.1" 200 10', (f"/r/{spaced}/",))
    RedactAnonymousPaths().filter(record)
    assert code[4:8] not in record.getMessage() and code[8:] not in record.getMessage()


def _record(msg, args, name="django.server"):
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)


def test_redact_anonymous_paths_filter_removes_codes_tokens_and_request():
    """P3: Django's own request lines (runserver, 404 warnings) lose codes, link tokens and
    the attached request (which carries the address)."""
    record = _record('"%s %s HTTP/1.1" %s %s', ("GET", "/r/ABCD-EFGH-JKMN/?sent=1", 200, 1234))
    record.request = object()
    assert RedactAnonymousPaths().filter(record) is True
    message = record.getMessage()
    assert "ABCD" not in message and "JKMN" not in message
    assert message == '"GET /r/…/?sent=1 HTTP/1.1" 200 1234'
    assert record.request is None

    token_record = _record("Not Found: %s", ("/i/Xy_9-abcDEF12/",), name="django.request")
    RedactAnonymousPaths().filter(token_record)
    assert token_record.getMessage() == "Not Found: /i/…/"


def test_redact_anonymous_paths_filter_leaves_other_lines_alone():
    record = _record('"%s %s HTTP/1.1" %s', ("GET", "/inputs/12/", 200))
    record.request = request = object()
    assert RedactAnonymousPaths().filter(record) is True
    assert record.args == ("GET", "/inputs/12/", 200)
    assert record.request is request
    assert redact_path("/inputs/unit/3/") == "/inputs/unit/3/"
    assert redact_path("/r/") == "/r/"


def test_input_hide_name_stores_no_author_and_gives_a_receipt(unit, employee):
    """P3: a logged-in person who hides their name is stored like anonymous input and follows
    it with a receipt code."""
    client = logged_in(employee)
    response = client.post(
        reverse("inputs:input_new"),
        {"unit": unit.pk, "text": TEXT, "category": "", "hide_name": "on"},
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=USER_AGENT,
    )
    assert response.status_code == 302
    code = _code_from(response)
    item = Input.objects.get()
    assert item.author_id is None
    assert item.receipt_hash == services.receipt_hash(code)
    _assert_no_trace(_values(item), IP, USER_AGENT, employee.email, employee.full_name)
    assert client.get(response["Location"]).status_code == 200
    # Not listed as the person's own input either.
    assert TEXT not in client.get(reverse("inputs:index")).content.decode()


def test_input_named_stores_the_author_and_no_receipt(unit, employee):
    client = logged_in(employee)
    response = client.post(reverse("inputs:input_new"), {"unit": unit.pk, "text": TEXT})
    item = Input.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inputs:input_detail", args=[item.pk])
    assert item.author == employee and item.receipt_hash is None
    assert TEXT in client.get(reverse("inputs:index")).content.decode()


def test_input_hide_name_leaves_no_trace_of_the_person(unit, employee):
    """P3 / RateLimitBucket: 'keys never hold a person'. Hiding one's name must not leave a row
    saying that this person sent something at this time (the only input of the day at the unit
    is then theirs)."""
    client = logged_in(employee)
    response = client.post(
        reverse("inputs:input_new"), {"unit": unit.pk, "text": TEXT, "hide_name": "on"}
    )
    assert response.status_code == 302
    keys = list(RateLimitBucket.objects.values_list("key", flat=True))
    assert keys, "the submission is still rate-limited (per unit)"
    assert all(k.startswith(f"input-unit:{unit.pk}:") for k in keys), keys


@pytest.mark.usefixtures("quick_proof")
def test_input_anonymous_proof_of_work_stores_nothing_identifying(unit):
    """Issue 10, P3: the proof-of-work check stores only a digest of the spent challenge and
    the whole hour it expires; nothing of the address, user agent, link, unit or moment of
    sending. The page sets no cookie but Django's random CSRF token, and asks the widget to
    collect no interaction data."""
    client = phone()
    page = client.get(link_url(unit))
    body = page.content.decode()
    assert '"humanInteractionSignature": false' in body
    challenge = challenge_from(body)
    response = client.post(link_url(unit), {"text": TEXT, "altcha": solve(challenge)})
    assert response.status_code == 302
    code = _code_from(response)
    assert set(client.cookies) <= {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}

    spent = SpentChallenge.objects.get()
    assert {f.name for f in SpentChallenge._meta.concrete_fields} == {"digest", "expires_at"}
    assert spent.digest == hashlib.sha256(challenge["signature"].encode()).hexdigest()
    assert challenge["signature"] not in spent.digest
    assert (spent.expires_at.minute, spent.expires_at.second) == (0, 0)  # the whole hour
    link = services.input_link_for(unit)
    for model in apps.get_models():
        for row in model._default_manager.all():
            _assert_no_trace(_values(row), IP, USER_AGENT, "Testtelefon", code)
            if row != link:  # the link's own row holds its token, nothing else does
                _assert_no_trace(_values(row), link.token)


@pytest.mark.usefixtures("quick_proof")
def test_input_anonymous_spent_challenges_are_deleted_when_expired(unit):
    """Spent challenges are kept only until they would have expired anyway."""
    stale = SpentChallenge.objects.create(
        digest="0" * 64, expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    assert proofofwork.verify(solve(proofofwork.new_challenge())).solved
    assert not SpentChallenge.objects.filter(pk=stale.pk).exists()
    assert SpentChallenge.objects.count() == 1
