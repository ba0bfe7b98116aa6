"""Issue 14 (P8): the steering overview's aggregates, cached with correct invalidation.

Counting a 1,000-unit municipality's meetings, inputs, measures and reports takes about a
second; the overview must answer in a small multiple of a minimal page. So the figures are
computed once and kept in the web process, keyed by

- the municipality, the service area, the day (figures such as "waiting too long" move with
  the date) and the language (the labels are translated when computed), and
- the municipality's *freshness token*: `OverviewFreshness.version`, a counter bumped right
  after every write that changes the figures commits (the signal receivers below), read in one
  primary-key query per view.

A new input (or meeting, measure, report, question, role …) therefore changes the overview at
once, in every process on every host, with no shared cache: each process sees the new counter
in the database and recomputes. A write that bypasses `save()` and `delete()` (a queryset's
`update()`, `bulk_create()`, a COPY) sends no signal; it is seen at the latest after
`MAX_AGE`, or at once after `bump(municipality_id)`.

The cache is per process and holds the computed objects themselves (no pickling: a shared
cache would have to pickle a thousand rows per view, slower than keeping them here). A few
overviews per process: `MAX_ENTRIES`, least recently used first out.
"""

from __future__ import annotations

import datetime
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from trepart.accounts.models import User
from trepart.inputs.models import Input
from trepart.measures.models import Measure
from trepart.meetings.models import Meeting
from trepart.organisation.models import (
    Department,
    Municipality,
    RoleAssignment,
    ServiceArea,
    Union,
    UnionPresence,
    Unit,
)
from trepart.reporting.models import OverviewFreshness, ReportVersion, SteeringQuestion, UnitReport

MAX_AGE = 600  # seconds: the longest a write that sent no signal can stay unseen
MAX_ENTRIES = 16

MAX_FRAGMENTS = 32  # rendered pieces kept per overview (pages × what the reader may open)

_lock = threading.Lock()
_entries: OrderedDict[tuple, Entry] = OrderedDict()


@dataclass
class Entry:
    """One computed overview, and pieces of the page rendered from it (the unit tables of a
    page, for the reports its reader may open): they change only when the figures do."""

    data: dict
    at: float = field(default_factory=time.monotonic)
    fragments: dict = field(default_factory=dict)

    def fragment(self, key, render) -> str:
        found = self.fragments.get(key)
        if found is None:
            found = render()
            if len(self.fragments) < MAX_FRAGMENTS:
                self.fragments[key] = found
        return found


def token(municipality_id: int) -> int:
    """The municipality's freshness token: one query by primary key."""
    found = (
        OverviewFreshness.objects.filter(municipality_id=municipality_id)
        .values_list("version", flat=True)
        .first()
    )
    return found or 0


def bump(municipality_id: int | None) -> None:
    """Mark the municipality's overview as changed now (one upsert, the same SQL on
    PostgreSQL and SQLite). Writes use `bump_after_commit`."""
    if not municipality_id:
        return
    table = connection.ops.quote_name(OverviewFreshness._meta.db_table)
    # A new row starts at a random value, so a row deleted and made again (a municipality
    # removed, a test's rolled-back transaction) never repeats a token already cached.
    start = secrets.randbits(48)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (municipality_id, version) VALUES (%s, %s) "  # noqa: S608 — table name from the model
            f"ON CONFLICT (municipality_id) DO UPDATE SET version = {table}.version + 1",
            [municipality_id, start],
        )


class _Bump:
    """An after-commit bump of one municipality's counter. The bumps asked for by one
    transaction share a state, so a transaction that writes a thousand rows of a municipality
    moves its counter once."""

    def __init__(self, municipality_id: int, state: dict):
        self.municipality_id = municipality_id
        self.state = state

    def __call__(self):
        if self.state["done"]:
            return
        self.state["done"] = True
        try:
            with transaction.atomic():
                bump(self.municipality_id)
        except IntegrityError:
            pass  # the municipality itself was deleted by that transaction


def bump_after_commit(municipality_id: int | None) -> None:
    """`bump()` once the writer's transaction has committed (at once outside a transaction).

    Bumping inside the transaction would lock the municipality's counter row until the commit:
    every writer of the municipality would queue behind a long import, and two writers could
    deadlock over it. After the commit the new rows are already visible, so a process that
    still reads the old token recomputes as soon as the bump lands (the token is read before
    the figures). If the bump itself fails, the write stands and the figures are at most
    MAX_AGE old (robust: the error is logged, not shown). A savepoint rolled back drops its
    own callbacks, never an earlier one's, so a shared state is never lost with it."""
    if not municipality_id:
        return
    state = None
    if connection.in_atomic_block:
        for _savepoints, fn, _robust in reversed(connection.run_on_commit):
            if isinstance(fn, _Bump) and fn.municipality_id == municipality_id:
                state = None if fn.state["done"] else fn.state
                break
    transaction.on_commit(_Bump(municipality_id, state or {"done": False}), robust=True)


def get(municipality, area, today: datetime.date, compute) -> Entry:
    """The overview for these arguments: from this process's cache when the municipality's
    token has not moved since it was computed, else `compute()` (and kept)."""
    # The token is read before the figures: what is computed is at least as new as the token.
    key = (
        municipality.pk,
        area.pk if area is not None else None,
        today,
        get_language(),
        token(municipality.pk),
    )
    with _lock:
        found = _entries.get(key)
        if found is not None and time.monotonic() - found.at < MAX_AGE:
            _entries.move_to_end(key)
            return found
    entry = Entry(data=compute())
    with _lock:
        _entries[key] = entry
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return entry


def clear() -> None:
    with _lock:
        _entries.clear()


# --- what changes the figures -------------------------------------------------------------------


def _via_unit(instance) -> int | None:
    return (
        Unit.objects.filter(pk=instance.unit_id).values_list("municipality_id", flat=True).first()
    )


def _via_report(instance) -> int | None:
    return (
        UnitReport.objects.filter(pk=instance.report_id)
        .values_list("municipality_id", flat=True)
        .first()
    )


# model → how to find the municipality of a saved or deleted row
WATCHED = {
    Municipality: lambda obj: obj.pk,
    ServiceArea: lambda obj: obj.municipality_id,
    Unit: lambda obj: obj.municipality_id,
    RoleAssignment: lambda obj: obj.municipality_id,
    UnionPresence: _via_unit,
    # Names shown in the composition findings kept by trepart.core.freshness.
    Union: lambda obj: obj.municipality_id,
    Department: _via_unit,
    User: lambda obj: obj.municipality_id,
    Meeting: lambda obj: obj.municipality_id,
    Input: lambda obj: obj.municipality_id,
    Measure: lambda obj: obj.municipality_id,
    UnitReport: lambda obj: obj.municipality_id,
    ReportVersion: _via_report,
    SteeringQuestion: lambda obj: obj.municipality_id,
}


def _changed(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loading fixtures
        return
    fields = kwargs.get("update_fields")
    if sender is User and fields and set(fields) <= {"last_login", "password"}:
        return  # logging in changes no figure
    if sender is Municipality and kwargs.get("signal") is post_delete:
        OverviewFreshness.objects.filter(municipality_id=instance.pk).delete()
        return
    bump_after_commit(WATCHED[sender](instance))


def connect() -> None:
    for model in WATCHED:
        uid = f"overview-freshness-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
