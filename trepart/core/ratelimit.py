"""A small fixed-window rate limiter stored in the database.

Why not django-ratelimit: it needs a shared cache with atomic increments (Redis or Memcached),
and Trepart runs embedded on SQLite with no cache service. The database is shared by every web
process and `UPDATE … SET count = count + 1` is atomic on SQLite and PostgreSQL, so this keeps
the web processes stateless without adding a service.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from trepart.core.models import RateLimitBucket


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def _window_start(seconds: int) -> datetime.datetime:
    now = timezone.now().timestamp()
    return datetime.datetime.fromtimestamp(now - now % seconds, tz=datetime.UTC)


def _key(key: str, rate: Rate) -> str:
    return f"{key}:{rate.seconds}"[:128]


def count(key: str, rate: Rate) -> int:
    """How many hits this key has in the current window."""
    row = (
        RateLimitBucket.objects.filter(
            key=_key(key, rate), window_start=_window_start(rate.seconds)
        )
        .values_list("count", flat=True)
        .first()
    )
    return row or 0


def is_limited(key: str, *rates: Rate) -> bool:
    """True when any of the rates is used up (does not count a hit)."""
    return any(count(key, rate) >= rate.limit for rate in rates)


def hit(key: str, *rates: Rate) -> bool:
    """Count one hit in every rate's window. True when the hit is within all limits."""
    allowed = True
    # Windows that are over, of any key, are deleted: a count at a unit's link must not stay
    # behind as a trace of when someone sent input (decision 0002).
    RateLimitBucket.objects.filter(expires_at__lte=timezone.now()).delete()
    for rate in rates:
        bucket_key = _key(key, rate)
        start = _window_start(rate.seconds)
        with transaction.atomic():
            updated = RateLimitBucket.objects.filter(key=bucket_key, window_start=start).update(
                count=F("count") + 1
            )
            if not updated:
                try:
                    with transaction.atomic():
                        RateLimitBucket.objects.create(
                            key=bucket_key,
                            window_start=start,
                            expires_at=start + datetime.timedelta(seconds=rate.seconds),
                            count=1,
                        )
                except IntegrityError:  # another process created the window just now
                    RateLimitBucket.objects.filter(key=bucket_key, window_start=start).update(
                        count=F("count") + 1
                    )
                # Old windows of this key are of no use any more.
                RateLimitBucket.objects.filter(key=bucket_key, window_start__lt=start).delete()
        if count(key, rate) > rate.limit:
            allowed = False
    return allowed


def reset(key: str, *rates: Rate) -> None:
    RateLimitBucket.objects.filter(key__in=[_key(key, r) for r in rates]).delete()
