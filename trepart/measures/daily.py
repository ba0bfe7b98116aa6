"""The measures app's daily jobs, registered into `hooks.DAILY_JOBS` by extensions.py and run by
`manage.py daily` (contract: trepart.core.daily)."""

from __future__ import annotations

import datetime

from trepart.core.daily import run_task
from trepart.measures import tasks


def evaluation_reminders(today: datetime.date | None, stdout, now: bool = False) -> int:
    """P4: remind the party group before (and after) a trial's evaluation date."""
    return run_task(
        tasks.send_evaluation_reminders,
        label="Evaluation reminders",
        today=today,
        now=now,
        stdout=stdout,
    )
