"""Run every daily job once: `manage.py daily [--today YYYY-MM-DD] [--now]`.

Schedule this one command once a day from cron or a systemd timer (docs/background-jobs.md).
The jobs are whatever the apps registered into `hooks.DAILY_JOBS` from their `extensions.py`
(series roll-forward, action reminders, evaluation reminders, …); this command knows none of
them (ARCHITECTURE rule 8: core imports no app above it). Reminders are enqueued for the worker
(`manage.py db_worker`) unless --now runs them in this process.
"""

import datetime
import traceback

from django.core.management.base import BaseCommand, CommandError

from trepart.core import hooks
from trepart.core.daily import DailyJobFailed, write


class Command(BaseCommand):
    help = (
        "Run every daily job: roll meeting series forward a year and send the day's reminders. "
        "Reminders are enqueued for the worker; use --now to run them in this process. Safe to "
        "run more than once a day: nothing is created or sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Treat this date as today (for testing). Default: today in Europe/Oslo, "
            "decided when each job runs.",
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="Run the jobs in this process instead of enqueueing them for the worker.",
        )

    def handle(self, *args, today=None, now=False, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(str(today))
            except ValueError as exc:
                raise CommandError(f"--today must be a date as YYYY-MM-DD, not {today!r}.") from exc
        jobs = hooks.get_hooks(hooks.DAILY_JOBS)
        enqueued = 0
        failures = []
        for job in jobs:
            # One failing job does not keep the others from running; the command fails at the
            # end so cron/systemd notice.
            try:
                enqueued += job(today, self.stdout, now=now)
            except DailyJobFailed as exc:
                enqueued += exc.enqueued
                failures.append(str(exc))
            except Exception:
                failures.append(
                    f"{job.__module__}.{job.__qualname__} failed:\n{traceback.format_exc()}"
                )
        write(
            self.stdout,
            f"Daily jobs: {len(jobs)} run, {enqueued} background job(s) enqueued"
            + (f", {len(failures)} failed." if failures else "."),
        )
        if failures:
            raise CommandError("\n".join(failures))
