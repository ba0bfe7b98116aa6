"""The notifications app's daily job, registered into `hooks.DAILY_JOBS` by extensions.py and run
by `manage.py daily` (contract: trepart.core.daily)."""

from __future__ import annotations

import datetime

from trepart.core.daily import run_task
from trepart.notifications import tasks


def weekly_digest(today: datetime.date | None, stdout, now: bool = False) -> int:
    """P8: on Mondays, one e-mail per person with the notifications waiting for the digest."""
    return run_task(
        tasks.send_weekly_digests, label="Weekly digest", today=today, now=now, stdout=stdout
    )
