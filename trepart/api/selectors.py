"""Reads for API tokens."""

from __future__ import annotations

from trepart.api.models import ApiToken
from trepart.api.services import SECRET_PREFIX, token_hash


def tokens_of(person):
    """A person's own tokens, newest first (nobody sees another person's tokens)."""
    if not person.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(person=person)


def token_for_secret(secret: str) -> ApiToken | None:
    """The usable token with this secret, with its active person, or None.

    Expired and revoked tokens, and tokens of a deactivated person or of a person without a
    municipality, authenticate nobody. The secret is the only key (by its hash)."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    return (
        ApiToken.objects.usable()
        .select_related("person", "person__municipality")
        .filter(
            token_hash=token_hash(secret),
            person__is_active=True,
            person__municipality__isnull=False,
        )
        .first()
    )
