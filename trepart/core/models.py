"""Shared infrastructure tables. Only the rate limiter lives here."""

from django.db import models


class RateLimitBucket(models.Model):
    """Requests counted for one key in one fixed time window (see `trepart.core.ratelimit`).

    Keys never hold a person, an IP address or a user agent: the anonymous input form is limited
    per unit link, receipt lookups per platform (see docs/decisions/0002-staff-input.md).
    """

    key = models.CharField(max_length=128)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_unique_window")
        ]

    def __str__(self):
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
