"""Issue 15: a job whose worker was killed runs again.

Workers keep a heartbeat (trepart.core.workers); a RUNNING job whose last worker has no fresh
heartbeat is put back to READY, and another worker takes it. `manage.py db_worker` is our
subclass of django-tasks-db's command.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from trepart.core import workers
from trepart.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

STALE = 60


def job(worker_ids=("w1",), started_ago=120, task="tests.core.worker_tasks.sleepy"):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=task,
        backend_name="default",
        worker_ids=list(worker_ids),
        started_at=now - datetime.timedelta(seconds=started_ago),
        run_after=datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
    )


def beat(worker_id, ago):
    now = timezone.now() - datetime.timedelta(seconds=ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, started_at=now, seen_at=now)


def status(task):
    task.refresh_from_db()
    return task.status


def test_a_job_whose_worker_is_silent_is_queued_again():
    task = job(["w1"])
    beat("w1", ago=STALE + 5)
    assert workers.stale_tasks_requeue(stale_seconds=STALE) == 1
    assert status(task) == TaskResultStatus.READY
    assert task.worker_ids == ["w1"]  # the attempt is counted: len(worker_ids)


def test_a_job_whose_worker_has_no_heartbeat_is_queued_again():
    task = job(["w1"])
    assert workers.stale_tasks_requeue(stale_seconds=STALE) == 1
    assert status(task) == TaskResultStatus.READY


def test_a_job_whose_worker_is_alive_keeps_running():
    task = job(["w1"], started_ago=3600)
    beat("w1", ago=2)
    assert workers.stale_tasks_requeue(stale_seconds=STALE) == 0
    assert status(task) == TaskResultStatus.RUNNING


def test_only_the_last_worker_counts():
    """An earlier worker died; the one running it now is alive."""
    task = job(["dead", "alive"])
    beat("alive", ago=1)
    assert workers.stale_tasks_requeue(stale_seconds=STALE) == 0
    assert status(task) == TaskResultStatus.RUNNING


def test_a_job_just_started_is_left_alone():
    task = job(["w1"], started_ago=5)
    assert workers.stale_tasks_requeue(stale_seconds=STALE) == 0
    assert status(task) == TaskResultStatus.RUNNING


def test_a_job_that_keeps_losing_its_worker_fails():
    task = job(["a", "b", "c"])
    assert workers.stale_tasks_requeue(stale_seconds=STALE, max_attempts=3) == 1
    assert status(task) == TaskResultStatus.FAILED
    assert task.exception_class_path == "trepart.core.workers.WorkerLost"


def test_finished_jobs_are_not_touched():
    task = job(["w1"])
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.SUCCESSFUL)
    assert workers.stale_tasks_requeue(stale_seconds=STALE) == 0
    assert status(task) == TaskResultStatus.SUCCESSFUL


@override_settings(WORKER_STALE_SECONDS=STALE)
def test_a_worker_judges_others_only_after_beating_for_a_whole_stale_time(monkeypatch):
    """After a database outage every heartbeat is old, also those of live workers whose jobs
    still run: a worker that beats again requeues nothing until it has beaten for a whole stale
    time, by which the live ones have beaten too (review finding)."""
    task = job(["dead"], started_ago=300)
    clock = [1000.0]
    monkeypatch.setattr(workers.time, "monotonic", lambda: clock[0])
    hb = workers.Heartbeat("back-again", interval=5)
    hb.beat()  # the first beat after starting, or after the outage
    assert status(task) == TaskResultStatus.RUNNING
    clock[0] += STALE - 1
    hb.beat()
    assert status(task) == TaskResultStatus.RUNNING
    clock[0] += 2
    hb.beat()
    assert status(task) == TaskResultStatus.READY
    # A failed beat starts the wait again.
    other = job(["dead-too"], started_ago=300)
    hb._beating_since = None  # what the heartbeat loop does when a beat fails
    hb.beat()
    assert status(other) == TaskResultStatus.RUNNING


def test_heartbeat_rows_are_written_and_removed_on_a_clean_stop():
    hb = workers.Heartbeat("w-clean", interval=60)
    hb.beat()
    first = WorkerHeartbeat.objects.get(worker_id="w-clean").seen_at
    hb.beat()
    assert WorkerHeartbeat.objects.get(worker_id="w-clean").seen_at >= first
    hb.stop()
    assert not WorkerHeartbeat.objects.filter(worker_id="w-clean").exists()


def test_old_heartbeats_of_dead_workers_are_forgotten():
    beat("long-gone", ago=2 * 3600)
    beat("recent", ago=10)
    workers.stale_tasks_requeue(stale_seconds=STALE)
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["recent"]


def test_own_interrupted_jobs_are_queued_again_after_an_outage():
    mine = job(["other", "me"], started_ago=1)
    theirs = job(["other"], started_ago=1)
    assert workers.own_tasks_requeue("me") == 1
    assert status(mine) == TaskResultStatus.READY
    assert status(theirs) == TaskResultStatus.RUNNING


def _worker(worker_id="w-test"):
    from trepart.core.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def test_a_job_failing_because_the_database_is_gone_is_queued_again():
    task = job(["w-test"], started_ago=0, task="tests.core.worker_tasks.database_gone")
    _worker().run_task(task)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.run_after > timezone.now()  # a little later, not in a tight loop


def test_an_ordinary_failure_is_still_recorded_as_failed():
    task = job(["w-test"], started_ago=0, task="tests.core.worker_tasks.ordinary_bug")
    _worker().run_task(task)
    assert status(task) == TaskResultStatus.FAILED


def test_a_database_failure_after_too_many_attempts_is_failed():
    ids = [f"w{i}" for i in range(settings.WORKER_MAX_ATTEMPTS)]
    task = job(ids, started_ago=0, task="tests.core.worker_tasks.database_gone")
    _worker().run_task(task)
    assert status(task) == TaskResultStatus.FAILED


def test_the_worker_waits_for_the_database_instead_of_exiting():
    """The worker's loop raised OperationalError (PostgreSQL restarting): it waits, queues
    its interrupted job again and carries on; a clean stop removes its heartbeat."""
    from unittest import mock

    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker as upstream

    interrupted = job(["w-test"], started_ago=0)
    worker = _worker()
    calls = []

    def loop(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")

    with (
        mock.patch.object(upstream.Worker, "run", loop),
        mock.patch.object(type(worker), "wait_for_database") as wait,
    ):
        worker.run()
    assert len(calls) == 2
    wait.assert_called_once()
    assert status(interrupted) == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.filter(worker_id="w-test").exists()


def test_db_worker_command_is_ours():
    """trepart.core comes before django_tasks_db in INSTALLED_APPS: our command wins."""
    assert get_commands()["db_worker"] == "trepart.core"
    command = load_command_class("trepart.core", "db_worker")
    from django_tasks_db.management.commands.db_worker import Command as Upstream

    assert isinstance(command, Upstream)
    assert settings.INSTALLED_APPS.index("trepart.core") < settings.INSTALLED_APPS.index(
        "django_tasks_db"
    )


# --- a real worker, killed in the middle of a job (PostgreSQL only: the subprocess needs a
# database it can share with the test) ----------------------------------------------------


def _start_worker(env, worker_id):
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--worker-id",
            worker_id,
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait(predicate, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
@override_settings(WORKER_STALE_SECONDS=2)
def test_a_killed_worker_s_job_is_finished_by_another_worker():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared with a subprocess (PostgreSQL)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trepart.settings",
        "SECRET_KEY": "test-only-secret-key-not-for-production",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "WORKER_STALE_SECONDS": "2",
        "WORKER_HEARTBEAT_SECONDS": "0.5",
        "DEBUG": "0",
    }
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"seconds": 3, "marker": "finished"}},
        task_path="tests.core.worker_tasks.sleepy",
        backend_name="default",
        run_after=datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
    )
    first = _start_worker(env, "first")
    second = None
    try:
        assert _wait(lambda: status(task) == TaskResultStatus.RUNNING, 15)
        first.send_signal(signal.SIGKILL)
        first.wait(5)
        assert status(task) == TaskResultStatus.RUNNING  # left behind by the dead worker
        second = _start_worker(env, "second")
        assert _wait(lambda: status(task) == TaskResultStatus.SUCCESSFUL, 20), (
            second.stdout.read1().decode() if second.stdout else ""
        )
        assert task.worker_ids == ["first", "second"]
        assert task.return_value == "finished"
        second.send_signal(signal.SIGTERM)
        second.wait(10)
        assert second.returncode == 0
        # A clean stop removes the heartbeat; the killed worker's stays (and goes stale).
        assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["first"]
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(5)
