"""Writes for API tokens: create, revoke, and note that a token was used."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.api.models import ApiToken, Scope

# A token lives at most this long (issue 13: "expiry, max 1 year").
MAX_DAYS = 365
SECRET_PREFIX = "trp_"
# How often the time a token was last used is written (not on every request).
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def latest_expiry(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=MAX_DAYS)


def _end_of(day: datetime.date) -> datetime.datetime:
    """A token is valid through its last day, local time: it stops at the next midnight."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


def token_create(
    *, person, name: str, scopes: list[str], expires_on: datetime.date
) -> tuple[ApiToken, str]:
    """A new token for the person; returns it with its secret, which is never stored."""
    if not person.is_active or not person.municipality_id:
        raise PermissionDenied
    today = timezone.localdate()
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the token a name, e.g. the system that will use it.")
    chosen = [s for s in Scope.values if s in set(scopes or [])]
    if not chosen:
        errors["scopes"] = _("Choose at least one thing the token may do.")
    if expires_on is None or expires_on <= today:
        errors["expires_on"] = _("Choose a date after today.")
    elif expires_on > latest_expiry(today):
        errors["expires_on"] = _("A token can be valid for at most a year.")
    if errors:
        raise ValidationError(errors)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        name=name[:80],
        scopes=" ".join(chosen),
        token_hash=token_hash(secret),
        prefix=secret[: len(SECRET_PREFIX) + 6],
        expires_at=_end_of(expires_on),
    )
    return token, secret


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """A person revokes their own token; revoking twice changes nothing."""
    if token.person_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    token.refresh_from_db()
    return token


def token_used(token: ApiToken) -> None:
    """Note when the token was last used (at most once a minute: reads stay cheap)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
