"""The kinds of notification a person can choose how to receive (P8).

Each app registers its kinds from its own ``extensions.register()``; the settings page shows
them in the order they were registered (the apps' layer order)::

    from trepart.notifications import kinds
    kinds.register("meetings.minutes_published", _("Minutes published"), _("…"))

A kind's code is stored in the log and in each person's settings, so it must never change.
"""

from __future__ import annotations

from dataclasses import dataclass

IMMEDIATELY = "immediately"
WEEKLY = "weekly"
OFF = "off"
MODES = (IMMEDIATELY, WEEKLY, OFF)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # lazy translation
    description: str  # lazy translation
    default: str = IMMEDIATELY


_kinds: dict[str, Kind] = {}


def register(code: str, label, description, default: str = IMMEDIATELY) -> Kind:
    """Declare a kind of notification; registering the same code again replaces it."""
    if default not in MODES:
        raise ValueError(f"Unknown mode {default!r} for {code!r}; use one of {MODES}")
    kind = Kind(code=code, label=label, description=description, default=default)
    _kinds[code] = kind
    return kind


def get(code: str) -> Kind:
    """The kind with this code; an unknown code is a programming error (KeyError)."""
    try:
        return _kinds[code]
    except KeyError:
        raise KeyError(f"Unknown notification kind {code!r}; register it first") from None


def find(code: str) -> Kind | None:
    """The kind, or None for a code no app registers any more (old rows in the log)."""
    return _kinds.get(code)


def all_kinds() -> list[Kind]:
    return list(_kinds.values())
