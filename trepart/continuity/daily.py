"""The handover part's daily job, registered into `hooks.DAILY_JOBS` by contrib_handover.py and
run by `manage.py daily` (contract: trepart.core.daily)."""

from __future__ import annotations

import datetime

from trepart.continuity import tasks
from trepart.core.daily import run_task


def handovers(today: datetime.date | None, stdout, now: bool = False) -> int:
    """R5: an end date in the future opens the vacancy on that day; the chief reps are told."""
    return run_task(
        tasks.handovers_sync,
        label="Handovers",
        today=today,
        now=now,
        stdout=stdout,
    )
