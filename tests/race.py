"""Two real transactions racing on PostgreSQL (issue 9): the helper behind the `..._two_real_
transactions` tests in tests/inputs/test_race.py and tests/measures/test_race.py.

Each side runs in its own thread, so with its own database connection and transaction:

1. both read the object and its version (the same state);
2. the first makes its change inside a transaction it keeps open (its row lock held);
3. the second calls its service with the version it read, and must block on the row lock —
   we wait until PostgreSQL reports it waiting for a lock;
4. the first commits; the second then gets the lock, sees the first's change and is refused.

Needs PostgreSQL (SQLite has no row locks: it refuses a second writer of the file instead), and
`@pytest.mark.django_db(transaction=True)`, so that the threads see the test's data.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

TIMEOUT = 15  # seconds; generous for a loaded CI machine


@pytest.fixture
def race_catalogue(transactional_db):
    """Transactional tests flush the tables, the national union catalogue (loaded by a
    migration) included: restore it before the test's own data is made (as tests/e2e does)."""
    from trepart.organisation.catalogue import ensure_catalogue

    ensure_catalogue()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def race(read, first, second) -> dict:
    """Run the race described above. `read()` is called in each thread and returns what that
    side saw (e.g. the object and its version); `first(seen)` and `second(seen)` make the
    changes. Returns {"first": result, "second": result or None, "second_error": exception or
    None, "second_blocked": whether the second waited on the first's lock}."""
    both_read = threading.Barrier(2, timeout=TIMEOUT)
    first_changed = threading.Event()
    first_may_commit = threading.Event()
    second_pid: dict[str, int] = {}
    out: dict = {"second": None, "second_error": None, "first_error": None}

    def first_side():
        try:
            seen = read()
            both_read.wait()
            with transaction.atomic():
                out["first"] = first(seen)
                first_changed.set()
                if not first_may_commit.wait(TIMEOUT):
                    raise TimeoutError("the second side never reached the row lock")
        except BaseException as exc:  # noqa: BLE001 — reported to the test below
            out["first_error"] = exc
            first_changed.set()
        finally:
            connections.close_all()

    def second_side():
        try:
            seen = read()
            second_pid["pid"] = _backend_pid()
            both_read.wait()
            first_changed.wait(TIMEOUT)
            out["second"] = second(seen)
        except BaseException as exc:  # noqa: BLE001 — the refusal the test expects
            out["second_error"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_side), threading.Thread(target=second_side)]
    for thread in threads:
        thread.start()
    first_changed.wait(TIMEOUT)
    deadline = time.monotonic() + TIMEOUT
    blocked = False
    while time.monotonic() < deadline and out["first_error"] is None:
        if "pid" in second_pid and _waits_for_a_lock(second_pid["pid"]):
            blocked = True
            break
        if out["second"] is not None or out["second_error"] is not None:
            break  # the second finished without waiting: reported as not blocked
        time.sleep(0.02)
    first_may_commit.set()
    for thread in threads:
        thread.join(TIMEOUT)
    if out["first_error"] is not None:
        raise out["first_error"]
    out["second_blocked"] = blocked
    return out
