"""Check what the simulated users were told against the database, after the soak.

    python -m drill.verify MANIFEST EVENTS MAILBOX   → one JSON object on stdout

- every receipt code a person was given belongs to an input (or to one it was folded into);
- every acknowledged minutes save is still the item's text unless a later save (one that had
  seen it: a higher revision) replaced it; no two saves were acknowledged for the same revision
  (that would be a silent overwrite); every second save of the "two tabs" case was refused;
- every colleague with an overdue action got exactly one reminder e-mail and one logged
  notification; which jobs ran more than once (a worker killed under them).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter, defaultdict


def _lines(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def receipts(events: list[dict]) -> dict:
    from trepart.inputs.models import Input, InputReceipt
    from trepart.inputs.services import receipt_hash

    given = {receipt_hash(e["code"]) for e in events if e["kind"] == "receipt"}
    found = set(Input.objects.filter(receipt_hash__in=given).values_list("receipt_hash", flat=True))
    found |= set(
        InputReceipt.objects.filter(receipt_hash__in=given).values_list("receipt_hash", flat=True)
    )
    return {"acknowledged": len(given), "found": len(given & found), "lost": len(given - found)}


def minutes(events: list[dict]) -> dict:
    from trepart.meetings.models import AgendaItem

    saved = [e for e in events if e["kind"] == "saved"]
    attempts = {e["marker"] for e in events if e["kind"] == "attempt"}
    by_item: dict[int, list[dict]] = defaultdict(list)
    for e in saved:
        by_item[e["item"]].append(e)
    overwritten = sum(
        n - 1 for item in by_item.values() for n in Counter(e["revision"] for e in item).values()
    )
    items = AgendaItem.objects.in_bulk(list(by_item))
    lost, found = [], 0
    for item_id, acks in by_item.items():
        item = items[item_id]
        newest = max(acks, key=lambda e: e["revision"])
        if item.revision < newest["revision"]:
            lost.append(item_id)  # the item went back: an acknowledged save is gone
        elif item.revision == newest["revision"] and newest["marker"] not in item.summary:
            lost.append(item_id)
        elif item.revision > newest["revision"] and not any(m in item.summary for m in attempts):
            lost.append(item_id)  # a later save, but not one of ours
        else:
            found += len(acks)  # the newest is there; the older ones were seen and replaced
    conflicts = [e for e in events if e["kind"] == "conflict"]
    two_tabs = [e for e in events if e["kind"] == "two_tabs"]
    return {
        "acknowledged": len(saved),
        "found": found,
        "lost_items": lost,
        "items_written": len(by_item),
        "silent_overwrites": overwritten,
        "conflicts_shown": sum(1 for e in conflicts if e["shown"]),
        "conflicts_without_message": sum(1 for e in conflicts if not e["shown"]),
        "two_tabs": len(two_tabs),
        "two_tabs_second_refused": sum(1 for e in two_tabs if e["second"] == 409),
    }


def reminders(manifest: dict, mailbox_path: str) -> dict:
    from trepart.accounts.models import User
    from trepart.meetings.tasks import ACTION_REMINDER
    from trepart.notifications.models import Notification

    expected = set(manifest["reminder_people"])
    mails = Counter(to for line in _lines(mailbox_path) for to in line["to"] if to in expected)
    logged = Counter(
        Notification.objects.filter(
            kind=ACTION_REMINDER, recipient__email__in=expected
        ).values_list("recipient__email", flat=True)
    )
    people = User.objects.filter(email__in=expected).count()
    return {
        "expected": len(expected),
        "people": people,
        "sent": sum(mails.values()),
        "recipients": len(mails),
        "twice": sum(1 for n in mails.values() if n > 1),
        "missing": len(expected - set(mails)),
        "logged": sum(logged.values()),
    }


def jobs() -> dict:
    from django_tasks_db.models import DBTaskResult

    rows = list(DBTaskResult.objects.values("task_path", "status", "worker_ids"))
    return {
        "total": len(rows),
        "by_status": dict(Counter(r["status"] for r in rows)),
        "retried": [r["task_path"] for r in rows if len(r["worker_ids"] or []) > 1],
    }


def main(manifest_path: str, events_path: str, mailbox_path: str) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drill.settings")
    django.setup()
    manifest = json.loads(open(manifest_path, encoding="utf-8").read())
    events = _lines(events_path)
    return {
        "receipts": receipts(events),
        "minutes": minutes(events),
        "reminders": reminders(manifest, mailbox_path),
        "jobs": jobs(),
        "outage_answers": sum(1 for e in events if e["kind"] == "outage"),
        "outage_times": [e["t"] for e in events if e["kind"] == "outage"],
        "unexpected": [e for e in events if e["kind"] == "unexpected"][:5],
        "failures": [e for e in events if e["kind"] == "failure"][:5],
    }


if __name__ == "__main__":
    json.dump(main(*sys.argv[1:4]), sys.stdout)
