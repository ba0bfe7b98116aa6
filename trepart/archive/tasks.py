"""Background jobs of the archive app (django-tasks; run `manage.py db_worker`)."""

from __future__ import annotations

import datetime

from django_tasks import task


@task()
def import_files_purge(today: str | None = None) -> int:
    """Retention of uploaded import files (docs/archive.md): the content of an applied file is
    removed, an upload never applied is deleted after its retention period. Returns the number
    of files removed."""
    from trepart.organisation import importing

    day = datetime.date.fromisoformat(today) if today else None
    return importing.import_files_purge(today=day)
