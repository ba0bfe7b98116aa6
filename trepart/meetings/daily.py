"""The meetings app's daily jobs, registered into `hooks.DAILY_JOBS` by extensions.py and run by
`manage.py daily` (contract: trepart.core.daily)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from trepart.core.daily import run_task, write
from trepart.meetings import services, tasks


def series_roll_forward(today: datetime.date | None, stdout, now: bool = False) -> int:
    """R10: every active series keeps its meetings a year ahead.

    Runs inline, also without --now: it is a few quick inserts, its output can then say truly
    how many meetings were created, and meetings keep being created when no worker runs.
    """
    result = services.series_roll_forward(today or timezone.localdate())
    write(
        stdout,
        f"Series: {result.created} meeting(s) created in {result.extended} of {result.series} "
        f"active series (meetings planned up to {result.until.isoformat()}).",
    )
    return 0


def action_reminders(today: datetime.date | None, stdout, now: bool = False) -> int:
    """P2: e-mail assignees about overdue and soon-due actions."""
    return run_task(
        tasks.send_action_reminders,
        label="Action reminders",
        today=today,
        now=now,
        stdout=stdout,
    )
