"""`manage.py db_worker`: django-tasks-db's worker with recovery (issue 15).

The same command and options as django-tasks-db's (systemd units and docs keep working; this
app comes before django_tasks_db in INSTALLED_APPS, so Django finds this one), plus:

- a heartbeat thread, and the jobs of workers that died are queued again
  (`trepart.core.workers`, `WORKER_STALE_SECONDS`);
- a job that failed because the database could not be reached is queued again, and the worker
  itself waits for the database to come back instead of exiting.

SIGTERM still lets the current job finish; a clean stop deletes the worker's heartbeat.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as upstream

from trepart.core import workers
from trepart.core.dbhealth import is_database_unavailable

logger = logging.getLogger("trepart.worker")

DATABASE_RETRY_SECONDS = 2


class Worker(upstream.Worker):
    def run(self) -> None:
        heartbeat = workers.Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            while True:
                try:
                    return super().run()
                except Exception as exc:
                    if not is_database_unavailable(exc) or not self.running:
                        raise
                    logger.warning(
                        "Worker %s: database unavailable (%s); waiting for it", self.worker_id, exc
                    )
                    self.running_task = False
                    self.wait_for_database()
                    workers.own_tasks_requeue(self.worker_id)
        finally:
            heartbeat.stop()

    def wait_for_database(self) -> None:
        while self.running:
            with contextlib.suppress(Exception):  # the connection is broken anyway
                connection.close()
            try:
                connection.ensure_connection()
                return
            except Exception as exc:
                if not is_database_unavailable(exc):
                    raise
            time.sleep(DATABASE_RETRY_SECONDS)

    def run_task(self, db_task_result) -> None:
        # A job that failed because the database went away is queued again (not marked failed),
        # unless it already had WORKER_MAX_ATTEMPTS tries.
        record_failure = db_task_result.set_failed

        def set_failed(exc: BaseException) -> None:
            attempts = len(db_task_result.worker_ids)
            if is_database_unavailable(exc) and attempts < settings.WORKER_MAX_ATTEMPTS:
                # If the database is still gone this raises: run() waits for it, then
                # queues the job again (workers.own_tasks_requeue).
                workers.requeue_after_outage(db_task_result)
            else:
                record_failure(exc)

        db_task_result.set_failed = set_failed
        super().run_task(db_task_result)


class Command(upstream.Command):
    help = (
        "Run a database background worker (with heartbeat and recovery of jobs whose worker "
        "died; see docs/background-jobs.md)"
    )

    worker_class = Worker

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        # As django-tasks-db 0.13's Command.handle, with our Worker.
        self.configure_logging(verbosity)
        if not logging.getLogger("trepart.worker").hasHandlers():
            logging.getLogger("trepart.worker").addHandler(logging.StreamHandler(self.stdout))
        if reload and batch:
            upstream.logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = self.worker_class(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
