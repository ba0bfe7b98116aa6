"""Background jobs for notifications (django-tasks; run `manage.py db_worker`)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from trepart.notifications import services


@task()
def send_weekly_digests(today: str | None = None) -> int:
    """On Mondays (local date) send each person's weekly digest; other days do nothing."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return services.digest_send(day)
