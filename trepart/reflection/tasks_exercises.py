"""Background jobs of the exercises part (django-tasks; run `manage.py db_worker`)."""

from __future__ import annotations

import datetime

from django_tasks import task


@task()
def release_complete_runs(today: str | None = None) -> int:
    """Release the runs that became complete because a member left the party group (R5), also
    when the role ended on a later day than it was registered. Returns how many were released."""
    from trepart.reflection import services_exercises as services

    day = datetime.date.fromisoformat(today) if today else None
    return services.release_complete_runs(today=day)
