"""Helpers for the daily jobs that apps register into ``hooks.DAILY_JOBS``.

`manage.py daily` (trepart/core/management/commands/daily.py) calls every registered job as
``fn(today, stdout, now=False) -> int``: `today` is a date, or None for "the local date when the
work runs" (a queued job that waits past midnight uses the day it actually runs); `now` asks for
the work to be done in this process instead of being enqueued; the return value is the number of
background jobs enqueued. Each job writes one or more lines saying truly what it did.
"""

from __future__ import annotations

import datetime


class DailyJobFailed(Exception):
    """A daily job failed; `enqueued` says how many background jobs it had enqueued."""

    def __init__(self, message: str, enqueued: int = 0):
        super().__init__(message)
        self.enqueued = enqueued


def write(stdout, line: str) -> None:
    """One line of output (works with a plain stream and with a command's OutputWrapper)."""
    stdout.write(line if line.endswith("\n") else line + "\n")


def run_task(
    task,
    *,
    label: str,
    today: datetime.date | None,
    now: bool,
    stdout,
    counts: str = "e-mail(s) sent",
) -> int:
    """Run a django-tasks task that takes ``today`` (ISO date or None) and returns a count.

    Enqueues it for the worker and returns 1, or with `now` calls it in this process and
    returns 0. `counts` names what the task's return value counts ("e-mail(s) sent").
    """
    kwargs = {"today": today.isoformat() if today else None}
    if now:
        done = task.call(**kwargs)
        write(stdout, f"{label}: {done} {counts} (ran in this process).")
        return 0
    result = task.enqueue(**kwargs)
    write(stdout, f"{label}: enqueued job {result.id}.")
    if result.status == "FAILED":
        # Only a backend that runs jobs at once (ImmediateBackend) gets here.
        details = "\n".join(error.traceback for error in result.errors)
        raise DailyJobFailed(f"{label}: the job failed:\n{details}", enqueued=1)
    if result.is_finished:
        write(stdout, f"{label}: {result.return_value} {counts} (the job ran at once).")
    else:
        write(stdout, f"{label}: the worker (manage.py db_worker) runs the job.")
    return 1
