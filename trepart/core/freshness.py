"""Issue 14 (P8): municipality-wide figures kept per web process while nothing has changed.

A few panels read every unit of a municipality (the composition findings on the chief reps'
and the administrator's home page, the input counts on the steering group's page): hundreds of
milliseconds at 1,000 units. They are computed once and kept in this process, keyed by the
municipality's *freshness token*, which the app owning the counter (trepart.reporting: its
`OverviewFreshness` row, bumped right after every write that changes such figures commits)
provides through `set_provider` — a lower app cannot import it (ARCHITECTURE rule 8).
Reading the token is one primary-key query, so a change shows at once in every process on every
host, without a shared cache. With no provider (not installed), nothing is kept.

What is kept is shared between requests of the process: callers must not change it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

MAX_AGE = 600  # seconds: the longest a write that sent no signal (bulk update, COPY) stays unseen
MAX_ENTRIES = 64

_provider: Callable[[int], int] | None = None
_lock = threading.Lock()
_entries: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()


def set_provider(fn: Callable[[int], int] | None) -> None:
    """Called by the app that owns the freshness counter, from its AppConfig.ready()."""
    global _provider
    _provider = fn


def cached(name: str, municipality_id: int, compute: Callable[[], Any], *key) -> Any:
    """`compute()`, or what it returned earlier in this process for the same name, key,
    municipality, day and language while the municipality's token has not moved."""
    if _provider is None or not municipality_id:
        return compute()
    # The token is read before computing: what is kept is at least as new as the token.
    full_key = (
        name,
        municipality_id,
        key,
        timezone.localdate(),
        get_language(),
        _provider(municipality_id),
    )
    now = time.monotonic()
    with _lock:
        found = _entries.get(full_key)
        if found is not None and now - found[0] < MAX_AGE:
            _entries.move_to_end(full_key)
            return found[1]
    value = compute()
    with _lock:
        _entries[full_key] = (now, value)
        _entries.move_to_end(full_key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
