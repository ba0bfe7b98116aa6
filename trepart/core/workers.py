"""Background workers that die are noticed, and their jobs run again (issue 15).

django-tasks-db marks a job RUNNING when a worker takes it and appends the worker's id to
`worker_ids`. A worker killed in the middle of a job (SIGKILL, out of memory, the machine
gone) leaves the job RUNNING for ever. So every worker (`manage.py db_worker`, our subclass of
django-tasks-db's command) keeps a heartbeat row (`WorkerHeartbeat`) fresh from a thread, also
while a long job blocks its loop, and deletes it when it stops cleanly. Regularly, any
worker puts a RUNNING job whose last worker has not been seen for `WORKER_STALE_SECONDS` back
to READY, so another worker takes it (the number of attempts is `len(worker_ids)`). A job
that lost its worker `WORKER_MAX_ATTEMPTS` times is marked failed instead: it is probably
what kills its workers.

A job may therefore run twice: every job must be safe to run again (the reminders are, with
`notify(..., key=...)`; docs/background-jobs.md).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from trepart.core.dbhealth import is_database_unavailable
from trepart.core.models import WorkerHeartbeat

logger = logging.getLogger("trepart.worker")

# A heartbeat row not refreshed for this long belongs to a worker that is gone: deleted.
FORGET_AFTER = datetime.timedelta(hours=1)


class WorkerLost(Exception):
    """Recorded as the error of a job that lost its worker too many times."""


def heartbeat_beat(worker_id: str, now: datetime.datetime | None = None) -> None:
    """The worker is alive now."""
    now = now or timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now):
        WorkerHeartbeat.objects.get_or_create(
            worker_id=worker_id, defaults={"started_at": now, "seen_at": now}
        )


def heartbeat_remove(worker_id: str) -> None:
    """The worker stopped cleanly."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def stale_tasks_requeue(
    now: datetime.datetime | None = None,
    stale_seconds: float | None = None,
    max_attempts: int | None = None,
) -> int:
    """Put back to READY every RUNNING job whose last worker has no heartbeat newer than
    `stale_seconds` (and that started before that); fail it instead after `max_attempts`
    workers. Returns the number of jobs requeued or failed.

    Each change is a conditional update (still RUNNING, same start), so two workers doing this
    at once, or a worker taking the job meanwhile, cannot requeue it twice."""
    now = now or timezone.now()
    stale = settings.WORKER_STALE_SECONDS if stale_seconds is None else stale_seconds
    limit = settings.WORKER_MAX_ATTEMPTS if max_attempts is None else max_attempts
    cutoff = now - datetime.timedelta(seconds=stale)
    running = list(
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .values_list("pk", "worker_ids", "started_at", "task_path")
    )
    changed = 0
    if running:
        last_workers = {ids[-1] for _pk, ids, _start, _path in running if ids}
        alive = set(
            WorkerHeartbeat.objects.filter(
                worker_id__in=last_workers, seen_at__gte=cutoff
            ).values_list("worker_id", flat=True)
        )
        for pk, ids, started_at, task_path in running:
            if ids and ids[-1] in alive:
                continue
            same = DBTaskResult.objects.filter(
                pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
            )
            if len(ids) >= limit:
                done = same.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path=f"{__name__}.{WorkerLost.__qualname__}",
                    traceback=f"WorkerLost: the job lost its worker {len(ids)} times; "
                    "not started again.\n",
                )
                if done:
                    logger.error(
                        "Task id=%s (%s) lost its worker %d times: marked failed",
                        pk,
                        task_path,
                        len(ids),
                    )
            else:
                done = same.update(status=TaskResultStatus.READY)
                if done:
                    logger.warning(
                        "Task id=%s (%s) lost its worker %s: queued again (attempt %d done)",
                        pk,
                        task_path,
                        ids[-1] if ids else "?",
                        len(ids),
                    )
            changed += done
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
    return changed


def own_tasks_requeue(worker_id: str, now: datetime.datetime | None = None) -> int:
    """After the database came back: the jobs this worker had taken but could not finish
    recording (it runs one at a time, so none of them is still running) go back to READY."""
    now = now or timezone.now()
    changed = 0
    for pk, ids, started_at in DBTaskResult.objects.running().values_list(
        "pk", "worker_ids", "started_at"
    ):
        if ids and ids[-1] == worker_id:
            changed += DBTaskResult.objects.filter(
                pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
            ).update(status=TaskResultStatus.READY)
    if changed:
        logger.warning("Worker %s: %d interrupted task(s) queued again", worker_id, changed)
    return changed


def requeue_after_outage(db_task_result: DBTaskResult, delay_seconds: float = 5) -> None:
    """A job failed because the database could not be reached: run it again a little later
    instead of recording it as failed."""
    DBTaskResult.objects.filter(pk=db_task_result.pk, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + datetime.timedelta(seconds=delay_seconds),
    )
    logger.warning(
        "Task id=%s (%s) failed while the database was unreachable: queued again",
        db_task_result.pk,
        db_task_result.task_path,
    )


class Heartbeat:
    """Keeps the worker's heartbeat fresh from a daemon thread and requeues the jobs of dead
    workers. The thread has its own database connection (Django's are per thread) and closes
    it after every beat, so a database restart costs it nothing but a skipped beat."""

    def __init__(self, worker_id: str, interval: float | None = None):
        self.worker_id = worker_id
        stale = settings.WORKER_STALE_SECONDS
        interval = settings.WORKER_HEARTBEAT_SECONDS if interval is None else interval
        # At least three beats within the stale time, so one slow beat never looks dead.
        self.interval = max(0.2, min(interval, stale / 3))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Since when this worker's beats have all succeeded (None after a failed one).
        self._beating_since: float | None = None

    def beat(self) -> None:
        now = timezone.now()
        heartbeat_beat(self.worker_id, now)
        began = self._beating_since
        if began is None:
            self._beating_since = began = time.monotonic()
        # Judge other workers only after beating without a gap for a whole stale time: after a
        # database outage every worker's heartbeat is old, and the live ones need that long to
        # beat again before any of them is taken for dead (their jobs are still running).
        if time.monotonic() - began >= settings.WORKER_STALE_SECONDS:
            stale_tasks_requeue(now=now)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.beat()
            except Exception as exc:  # noqa: BLE001 - the thread must keep beating
                self._beating_since = None
                if is_database_unavailable(exc):
                    logger.warning("Worker %s: heartbeat skipped: %s", self.worker_id, exc)
                else:
                    logger.exception("Worker %s: heartbeat failed", self.worker_id)
            finally:
                with contextlib.suppress(Exception):  # a broken connection is closed anyway
                    connections.close_all()

    def start(self) -> None:
        """Beat once now (before the first job is taken), then in the background."""
        try:
            self.beat()
        except Exception as exc:  # noqa: BLE001 - the worker's own loop reports the database
            self._beating_since = None
            logger.warning("Worker %s: first heartbeat failed: %s", self.worker_id, exc)
        self._thread = threading.Thread(
            target=self._loop, name=f"heartbeat-{self.worker_id[:8]}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop beating and delete the heartbeat (a clean stop)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 10)
        try:
            heartbeat_remove(self.worker_id)
        except Exception as exc:  # noqa: BLE001 - stopping anyway; the row goes stale
            logger.warning("Worker %s: heartbeat not removed: %s", self.worker_id, exc)
