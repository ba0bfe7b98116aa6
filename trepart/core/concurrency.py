"""Changes that race are refused, not merged (issue 9, part 5).

Two people triaging the same input, or moving the same measure through its stages, at the same
moment: the second is told who changed it just now, and nothing of their change is applied.

The version a page carries is the id of the object's latest timeline event (`InputEvent`,
`MeasureEvent`; 0 while there is none). Why not a separate `version` counter on the models:
every triage action and every stage move already writes exactly one timeline event with its
actor, in the same transaction as the change, so the latest event id moves whenever the state a
person decided on moves, and it names who moved it. A second counter would have to be bumped in
every write by hand, could drift from the timeline, and would still need the timeline to say
who. Event ids only grow (an auto-increment / identity that never reuses a value), and every
event of an object is written while its row is locked (`versioned` below takes the lock in all
of the object's writes), so the ids of one object's events follow the order of its commits.

A service decorated with `versioned("item")` takes an optional keyword `version`:

* `None` (internal callers: other services, the demo, tests of other rules) — no comparison,
  but the row is still locked so the change is serialised with everybody else's;
* an int from the page (`posted_version(request.POST)`) — refused with `StaleChange` unless it is
  still the latest; `UNKNOWN_VERSION` (missing or junk in the POST) is always refused.
"""

from __future__ import annotations

import functools
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

# What a POST without a usable version is read as: never equal to a real version (ids are > 0,
# "no event yet" is 0), so the change is refused instead of silently applied.
UNKNOWN_VERSION = -1

_DIGITS = re.compile(r"[0-9]{1,18}")


def posted_version(data) -> int:
    """The version a form sent back (the hidden field `version`), or UNKNOWN_VERSION."""
    raw = (data.get("version") or "").strip()
    return int(raw) if _DIGITS.fullmatch(raw) else UNKNOWN_VERSION


def version_of(events) -> int:
    """The version of an object whose timeline (events) is already loaded: no extra query."""
    return max((event.pk for event in events), default=0)


def current_version(instance) -> int:
    """The version of an object whose timeline is not loaded (one query)."""
    return instance.events.order_by("-id").values_list("id", flat=True).first() or 0


class StaleChange(ValidationError):
    """The object changed after the person opened the page; their change is refused.

    A ValidationError, like the services' other refusals, so every view that shows a service's
    refusal shows this one too; views that keep what was typed catch it first."""

    def __init__(self, *, changed_by=None, actor=None, unknown: bool = False):
        self.changed_by = changed_by
        if unknown:
            message = _(
                "The page you sent this from was incomplete or out of date. Look at the current "
                "state and try again."
            )
        elif changed_by is None:  # the system, or a person who has since been deleted
            message = _("Someone else changed this just now. Look at the new state and try again.")
        elif actor is not None and changed_by.pk == actor.pk:
            message = _(
                "You changed this yourself just now, with an earlier click or in another window. "
                "Look at the new state and try again."
            )
        else:
            message = _("%(name)s changed this just now. Look at the new state and try again.") % {
                "name": changed_by.get_full_name() or str(changed_by)
            }
        super().__init__(message, code="stale")


def lock_and_check(instance, *, version: int | None, actor=None) -> None:
    """Lock the object's row, reload it, and refuse when `version` is not its latest.

    Call inside transaction.atomic(). On PostgreSQL a second writer waits here until the first
    commits, then reads the committed state (READ COMMITTED), so it compares against the change
    that beat it. SQLite ignores FOR UPDATE; it serialises writers by locking the whole file."""
    model = type(instance)
    instance.refresh_from_db(from_queryset=model._base_manager.select_for_update())
    if version is None:
        return
    latest = instance.events.select_related("actor").order_by("-id").first()
    current = latest.pk if latest else 0
    if version == UNKNOWN_VERSION:
        raise StaleChange(unknown=True)
    if version != current:
        raise StaleChange(changed_by=latest.actor if latest else None, actor=actor)


def versioned(instance_kwarg: str):
    """Run the service in one transaction that starts by locking its object's row and checking
    the `version` keyword (see the module docstring). Everything the service does — its checks
    of the current state included — then sees the locked, current row, and a refusal anywhere
    rolls back all of it."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, version: int | None = None, **kwargs):
            with transaction.atomic():
                lock_and_check(kwargs[instance_kwarg], version=version, actor=kwargs.get("actor"))
                return service(*args, **kwargs)

        return wrapper

    return decorate


def typed_texts(form) -> list[tuple[str, str]]:
    """What the person wrote in a refused form (label, text), to show next to the conflict
    message: the form itself may no longer be on the page once the state moved on."""
    if form is None or not form.is_bound:
        return []
    texts = []
    for name, field in form.fields.items():
        value = form.data.get(form.add_prefix(name))
        if isinstance(value, str) and value.strip() and not field.widget.is_hidden:
            if getattr(field, "choices", None) is not None:
                continue  # a choice is quickly made again; the text is what must not be lost
            texts.append((str(field.label or name), value.strip()))
    return texts
