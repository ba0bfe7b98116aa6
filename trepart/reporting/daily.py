"""The reports part's daily job, registered into `hooks.DAILY_JOBS` by contrib_reports.py and
run by `manage.py daily` (contract: trepart.core.daily)."""

from __future__ import annotations

import datetime

from trepart.core.daily import run_task
from trepart.reporting import tasks_reports


def report_drafts_and_reminders(today: datetime.date | None, stdout, now: bool = False) -> int:
    """R30: draft the reports of the period just ended; remind groups of reports due."""
    return run_task(
        tasks_reports.report_drafts_and_reminders,
        label="Report drafts and reminders",
        today=today,
        now=now,
        stdout=stdout,
    )
