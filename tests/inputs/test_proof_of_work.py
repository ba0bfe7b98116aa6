"""Issue 10 (R20, R23, P3): the anonymous channel survives a staff meeting.

The form carries a signed ALTCHA challenge that the browser solves invisibly; the server checks
it and spends it (one solution, one submission). Without a solution a submission still goes
through, against a strict per-link bucket. Every submission counts against a ceiling scaled to
the unit's size. Real challenges, solved with the altcha library's own solver."""

import base64
import datetime
import json

import altcha
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UnitFactory
from tests.inputs.conftest import link_url, phone
from tests.inputs.proof import challenge_from, quick_proof, solve, solved_from_page  # noqa: F401
from trepart.core import proofofwork
from trepart.core.models import RateLimitBucket, SpentChallenge
from trepart.inputs.models import Input

pytestmark = pytest.mark.usefixtures("quick_proof")


def _post(client, unit, text, payload=None, **extra):
    data = {"text": text, **extra}
    if payload is not None:
        data["altcha"] = payload
    return client.post(link_url(unit), data)


def test_proof_of_work_challenge_is_in_the_page_and_signed(unit):
    """The page carries a fresh signed challenge for the invisible widget; opening the page
    writes nothing (no session, no spent challenge, no rate-limit row)."""
    client = phone()
    first = client.get(link_url(unit)).content.decode()
    second = client.get(link_url(unit)).content.decode()
    challenge = challenge_from(first)
    assert challenge["signature"] and challenge["parameters"]["keySignature"]
    assert challenge["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert challenge["parameters"]["expiresAt"] > datetime.datetime.now().timestamp()
    assert challenge != challenge_from(second)  # a new one on every page
    assert 'display="invisible"' in first and 'auto="onload"' in first
    assert "js/anonymous-input.js" in first and 'id="altcha-strings"' in first
    assert not SpentChallenge.objects.exists() and not RateLimitBucket.objects.exists()


def test_proof_of_work_solved_challenge_is_accepted_and_skips_the_strict_bucket(unit, settings):
    """A solved challenge is verified server-side; such a submission never touches the strict
    bucket for submissions without one, even when that bucket is closed."""
    settings.INPUT_LINK_UNSOLVED_RATES = [(0, 60)]
    client = phone()
    payload = solved_from_page(client, link_url(unit))
    response = _post(client, unit, "Vi trenger bedre rutiner for vikarer", payload)
    assert response.status_code == 302
    assert Input.objects.count() == 1
    keys = set(RateLimitBucket.objects.values_list("key", flat=True))
    assert not any(k.startswith("input-link-unsolved:") for k in keys)
    assert SpentChallenge.objects.count() == 1


def test_proof_of_work_replayed_solution_is_refused(unit, settings):
    """One solution, one submission: sending the same solved challenge again counts as
    unsolved (here the strict bucket is closed, so the replay is refused)."""
    settings.INPUT_LINK_UNSOLVED_RATES = [(0, 60)]
    client = phone()
    payload = solved_from_page(client, link_url(unit))
    assert _post(client, unit, "Første innspill om pauserommet", payload).status_code == 302
    again = _post(client, unit, "Andre innspill med samme løsning", payload)
    assert again.status_code == 429
    assert "Andre innspill med samme løsning" in again.content.decode()
    assert Input.objects.count() == 1
    assert proofofwork.verify(payload).reason == proofofwork.REPLAYED


def test_proof_of_work_verify_outcomes(db, settings):
    """Missing, junk, tampered, foreign-key, expired and solved payloads."""
    assert proofofwork.verify(None).reason == proofofwork.MISSING
    assert proofofwork.verify("").reason == proofofwork.MISSING
    challenge = proofofwork.new_challenge()
    payload = solve(challenge)

    decoded = json.loads(base64.b64decode(payload))
    decoded["solution"]["derivedKey"] = "00" * 32
    tampered = base64.b64encode(json.dumps(decoded).encode()).decode()
    assert proofofwork.verify(tampered).reason == proofofwork.INVALID

    foreign = altcha.create_challenge(
        algorithm="PBKDF2/SHA-256", cost=1, counter=3, hmac_secret="not-our-key"
    )
    foreign_payload = solve(foreign.to_dict())
    assert proofofwork.verify(foreign_payload).reason == proofofwork.INVALID

    settings.ALTCHA_EXPIRES_SECONDS = -60
    expired = solve(proofofwork.new_challenge())
    assert proofofwork.verify(expired).reason == proofofwork.EXPIRED

    assert proofofwork.verify(payload).solved
    assert proofofwork.verify(payload).reason == proofofwork.REPLAYED
    assert SpentChallenge.objects.count() == 1


@pytest.mark.parametrize(
    "junk",
    [
        "!!!",
        "a" * 10_000,
        base64.b64encode(b"[]").decode(),
        base64.b64encode(b'{"challenge": 1, "solution": 2}').decode(),
        base64.b64encode(b'{"challenge": {"parameters": "x"}, "solution": {}}').decode(),
        base64.b64encode(b"\xff\xfe").decode(),
        "\x00",
    ],
    ids=["not-base64", "huge", "list", "wrong-types", "bad-parameters", "not-utf8", "nul"],
)
def test_proof_of_work_junk_payload_is_unsolved_never_an_error(unit, junk):
    assert not proofofwork.verify(junk).solved
    response = _post(phone(), unit, "Et innspill med rar løsning", junk)
    assert response.status_code == 302  # sent as unsolved, within the strict bucket
    assert Input.objects.count() == 1


def test_proof_of_work_forty_colleagues_within_a_minute_all_get_receipts(unit, steady_clock):
    """Issue 10: after a staff meeting 40 people send different inputs through one link within
    a minute; every one gets a receipt and every input is on the group's list."""
    codes = set()
    for i in range(40):
        client = phone()  # each on their own phone
        payload = solved_from_page(client, link_url(unit))
        text = f"Innspill {i} fra personalmøtet: tema nummer {i} om turnus og opplæring"
        response = _post(client, unit, text, payload)
        assert response.status_code == 302, (i, response.content.decode()[:300])
        assert response["Location"].startswith("/r/")
        receipt = client.get(response["Location"])
        assert receipt.status_code == 200
        assert text in receipt.content.decode()
        codes.add(response["Location"])
    assert len(codes) == 40
    assert Input.objects.filter(unit=unit).count() == 40


def test_proof_of_work_scripted_flood_is_slowed_and_does_not_fill_the_list(
    unit, settings, steady_clock
):
    """Issue 10: a script sends 300 inputs through one link. Without solutions it gets through
    the strict bucket only; with a solved challenge for every submission (work it must do for
    each) it stops at the unit's ceiling; one text sent over and over is folded into one
    input. The group's list stays bounded, and the link still answers."""
    ceiling = 60  # the minimum ceiling: the factory unit has no registered staff
    settings.INPUT_LINK_CEILING = [(ceiling, 2, 3600), (150, 4, 86400)]
    script = phone()
    statuses = []
    # 1. 150 distinct texts without a solution.
    for i in range(150):
        statuses.append(_post(script, unit, f"Søppel nummer {i} fra et skript {i * 7}").status_code)
    unsolved_accepted = statuses.count(302)
    assert unsolved_accepted == 10  # INPUT_LINK_UNSOLVED_RATES: 10 a minute
    # 2. 50 copies of one text, each with its own solved challenge: folded into one input.
    for _ in range(50):
        payload = solved_from_page(script, link_url(unit))
        statuses.append(_post(script, unit, "Samme tekst igjen og igjen", payload).status_code)
    # 3. 100 distinct texts, each solved: the ceiling is reached.
    for i in range(100):
        payload = solved_from_page(script, link_url(unit))
        text = f"Løst søppel {i} med tall {i * 13}"
        statuses.append(_post(script, unit, text, payload).status_code)

    assert len(statuses) == 300
    assert set(statuses) <= {302, 429}
    # Every submission counts against the ceiling, folded ones too.
    assert statuses.count(302) == ceiling
    items = Input.objects.filter(unit=unit)
    assert items.count() == unsolved_accepted + 1 + (ceiling - unsolved_accepted - 50)
    assert items.get(text="Samme tekst igjen og igjen").sent_count == 50
    assert items.count() <= ceiling
    # The link is not broken: the page still opens, and it says why a send is refused.
    assert script.get(link_url(unit)).status_code == 200
    refused = _post(
        script, unit, "Et ekte innspill etter flommen", solved_from_page(script, link_url(unit))
    )
    assert refused.status_code == 429
    assert "Et ekte innspill etter flommen" in refused.content.decode()
    assert "takes a break" in refused.content.decode()


def test_proof_of_work_ceiling_is_per_link(unit, municipality, settings, steady_clock):
    settings.INPUT_LINK_CEILING = [(2, 0, 3600)]
    other = UnitFactory(municipality=municipality)
    client = phone()
    for i in range(2):
        assert _post(client, unit, f"Innspill {i} til første enhet").status_code == 302
    assert _post(client, unit, "Tredje til første enhet").status_code == 429
    assert _post(client, other, "Første til andre enhet").status_code == 302


def test_proof_of_work_verification_is_cheap_for_the_server(db):
    """Verifying is one HMAC (the server signed the derived key when it made the challenge),
    so a flood of bogus solutions costs the server next to nothing; and one query to spend."""
    payload = solve(proofofwork.new_challenge())
    with CaptureQueriesContext(connection) as queries:
        assert proofofwork.verify(payload).solved
    assert len(queries) <= 4  # purge expired, then insert (in a savepoint)
