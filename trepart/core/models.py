"""Shared infrastructure tables: the rate limiter and spent proof-of-work challenges."""

from django.db import models


class RateLimitBucket(models.Model):
    """Requests counted for one key in one fixed time window (see `trepart.core.ratelimit`).

    Keys never hold a person, an IP address or a user agent: the anonymous input form is limited
    per unit link, receipt lookups per platform (see docs/decisions/0002-staff-input.md).
    """

    key = models.CharField(max_length=128)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    # When the window is over. Every hit deletes the windows that are over, whatever their key,
    # so a per-minute count at a unit's link does not linger as a trace of when someone sent
    # input (decision 0002). Empty only for rows from before this field.
    expires_at = models.DateTimeField(null=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_unique_window")
        ]

    def __str__(self):
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class SpentChallenge(models.Model):
    """A solved proof-of-work challenge that was used once (`trepart.core.proofofwork`).

    Only a SHA-256 digest of the challenge's signature, so the same solution cannot be sent
    twice, and the whole hour after which the challenge expired anyway and the row is deleted.
    No link, unit, address, time of sending or sequence number (the digest is the key).
    """

    digest = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.digest[:12]


class WorkerHeartbeat(models.Model):
    """A background worker that is alive (issue 15, `manage.py db_worker`).

    Each worker writes its row every few seconds from a thread, also while a long job runs, and
    deletes it when it stops cleanly. A job still marked running whose worker has not been seen
    for `WORKER_STALE_SECONDS` lost its worker (killed, machine gone) and is queued again
    (`trepart.core.workers.stale_tasks_requeue`).
    """

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
