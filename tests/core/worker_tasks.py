"""Tasks for tests/core/test_worker_recovery.py (imported by the worker by path)."""

import time

from django.db import OperationalError
from django_tasks import task


@task()
def sleepy(seconds: float = 0.0, marker: str = "") -> str:
    time.sleep(seconds)
    return marker or "done"


@task()
def database_gone() -> None:
    raise OperationalError("server closed the connection unexpectedly")


@task()
def ordinary_bug() -> None:
    raise ValueError("an ordinary bug")
