"""Daily reminders about overdue and soon-due action items (P2) and trials to evaluate (P4).

Run once a day from cron or a systemd timer (docs/background-jobs.md). By default the job is
enqueued for the worker (`manage.py db_worker`); `--now` runs it in this process instead.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from trepart.meetings import tasks


class Command(BaseCommand):
    help = (
        "Remind assignees by e-mail about overdue actions and actions due within three days. "
        "Enqueues the job for the worker; use --now to send from this process. Safe to run "
        "more than once a day: nobody is reminded twice on the same day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Treat this date as today (for testing). Default: today in Europe/Oslo, "
            "decided when the job runs.",
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send the reminders from this process instead of enqueueing a job.",
        )

    def handle(self, *args, today=None, now=False, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(str(today)).isoformat()
            except ValueError as exc:
                raise CommandError(f"--today must be a date as YYYY-MM-DD, not {today!r}.") from exc
        from trepart.measures import tasks as measure_tasks

        if now:
            sent = tasks.send_action_reminders.call(today=today)
            self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder e-mail(s)."))
            sent = measure_tasks.send_evaluation_reminders.call(today=today)
            self.stdout.write(self.style.SUCCESS(f"Sent {sent} evaluation reminder e-mail(s)."))
            return
        # P4: reminders before trials' evaluation dates run as their own job.
        measure_tasks.send_evaluation_reminders.enqueue(today=today)
        result = tasks.send_action_reminders.enqueue(today=today)
        self.stdout.write(f"Enqueued 1 reminder job (id {result.id}).")
        if result.status == "FAILED":
            # Only a backend that runs jobs at once (ImmediateBackend) gets here.
            details = "\n".join(error.traceback for error in result.errors)
            raise CommandError(f"The reminder job failed:\n{details}")
        if result.is_finished:
            self.stdout.write(self.style.SUCCESS(f"Sent {result.return_value} reminder e-mail(s)."))
        else:
            self.stdout.write("The worker (manage.py db_worker) sends the e-mails.")
