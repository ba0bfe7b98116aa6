"""The archive app's daily job, registered into `hooks.DAILY_JOBS` by extensions.py and run by
`manage.py daily` (contract: trepart.core.daily)."""

from __future__ import annotations

import datetime

from trepart.archive import tasks
from trepart.core.daily import run_task


def import_files_retention(today: datetime.date | None, stdout, now: bool = False) -> int:
    """Uploaded import files are not kept: removed after apply, or after the retention period
    when never applied (organisation.importing.IMPORT_FILE_RETENTION_DAYS)."""
    return run_task(
        tasks.import_files_purge,
        label="Import files",
        today=today,
        now=now,
        stdout=stdout,
        counts="file(s) removed",
    )
