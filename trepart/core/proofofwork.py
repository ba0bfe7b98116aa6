"""Proof of work for anonymous forms (ALTCHA), without cookies, addresses or sessions.

The page carries a signed challenge; the browser's ALTCHA widget solves it invisibly (a few
hundred PBKDF2 derivations, about half a second) and sends the solution with the form as the
field `altcha`. The server checks the signature, the expiry and the solution, and spends the
challenge so that one solution serves one submission. A colleague pays once, unnoticed; a
script pays for every submission. See docs/decisions/0002-staff-input.md.

- Challenges are made in ALTCHA's deterministic mode: the server picks the counter the browser
  must reach (ALTCHA_COUNTER_RANGE) and signs the derived key, so verifying is one HMAC — a
  flood of bogus solutions costs the server next to nothing.
- Both HMAC keys are derived from SECRET_KEY (nothing to configure or to leak separately).
- A spent challenge is remembered as a SHA-256 digest of its signature, with the whole hour
  after which it would have expired anyway (`SpentChallenge`); expired rows are deleted.
  Nothing of the page, the link, the person or the moment of sending is stored.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass

import altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from trepart.core.models import SpentChallenge

FIELD = "altcha"
# A real payload is well under 2,000 characters; anything longer is not even decoded.
MAX_PAYLOAD_LENGTH = 4000

SOLVED = "solved"
MISSING = "missing"
INVALID = "invalid"
EXPIRED = "expired"
REPLAYED = "replayed"


@dataclass(frozen=True)
class Verdict:
    reason: str

    @property
    def solved(self) -> bool:
        return self.reason == SOLVED


def _secret(purpose: str) -> str:
    return salted_hmac(f"trepart.core.proofofwork.{purpose}", "altcha").hexdigest()


def new_challenge() -> dict:
    """A fresh signed challenge, as the widget's `challenge` attribute expects it (JSON)."""
    low, high = settings.ALTCHA_COUNTER_RANGE
    expires = timezone.now() + datetime.timedelta(seconds=settings.ALTCHA_EXPIRES_SECONDS)
    challenge = altcha.create_challenge(
        algorithm=settings.ALTCHA_ALGORITHM,
        cost=settings.ALTCHA_COST,
        counter=low + secrets.randbelow(max(1, high - low)),
        expires_at=expires,
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def challenge_json() -> str:
    return json.dumps(new_challenge(), separators=(",", ":"))


def _ceil_hour(moment: datetime.datetime) -> datetime.datetime:
    hour = moment.replace(minute=0, second=0, microsecond=0)
    return hour if hour == moment else hour + datetime.timedelta(hours=1)


def _check(payload: str):
    """The outcome of ALTCHA's own verification, or None when the payload is junk."""
    try:
        return altcha.verify_solution(
            payload, _secret("challenge"), hmac_key_secret=_secret("key")
        ), altcha.Payload.from_base64(payload)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError):
        return None


def verify(payload: str | None) -> Verdict:
    """Check a posted solution and spend its challenge. Never raises on junk input."""
    if not payload:
        return Verdict(MISSING)
    if not isinstance(payload, str) or len(payload) > MAX_PAYLOAD_LENGTH:
        return Verdict(INVALID)
    checked = _check(payload)
    if checked is None:
        return Verdict(INVALID)
    result, parsed = checked
    if result.expired:
        return Verdict(EXPIRED)
    if not result.verified:
        return Verdict(INVALID)
    expires_at = parsed.challenge.parameters.expires_at
    if not isinstance(expires_at, int):  # ours always expire (and the signature covers it)
        return Verdict(INVALID)
    return Verdict(SOLVED) if _spend(parsed.challenge.signature, expires_at) else Verdict(REPLAYED)


def _spend(signature: str, expires_at: int) -> bool:
    """Remember a solved challenge; False when it was spent before (a replay)."""
    now = timezone.now()
    SpentChallenge.objects.filter(expires_at__lt=now).delete()
    expires = _ceil_hour(datetime.datetime.fromtimestamp(expires_at, tz=datetime.UTC))
    digest = hashlib.sha256(signature.encode()).hexdigest()
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(digest=digest, expires_at=expires)
    except IntegrityError:
        return False
    return True
