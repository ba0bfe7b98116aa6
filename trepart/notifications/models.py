"""Notification preferences and the log of every notification (P8, issue 13).

A person chooses per kind how to hear about it (`NotificationSetting`; without a row the kind's
default holds). Every notification is logged in `Notification`, also the ones not sent (off)
and the ones waiting for the weekly digest. Rows belong to a municipality through their
recipient: only the recipient ever sees them (selectors.notifications_visible_to).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    WEEKLY = "weekly", _("In a weekly digest")
    OFF = "off", _("Off")


class NotificationSetting(models.Model):
    """How one person wants one kind of notification."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    kind = models.CharField(max_length=80)
    mode = models.CharField(max_length=12, choices=Mode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="notification_setting_once"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.kind}: {self.mode}"


class Notification(models.Model):
    """One notification to one person, whatever became of it."""

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        WAITING = "waiting", _("Waiting for the weekly digest")
        OFF = "off", _("Not sent (turned off)")
        FAILED = "failed", _("Sending failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=80)
    # The person's choice when the notification was made.
    mode = models.CharField(max_length=12, choices=Mode.choices)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The weekly digest that carried it: notifications sent together share `digest`.
    digest = models.UUIDField(null=True, blank=True)
    digest_on = models.DateField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # Issue 15: what this notification is about, for the job that sent it ("the action
    # reminder of 2026-03-10", "minutes version 12"). A job run again (its worker was killed)
    # finds the row and sends nothing twice (services.notify(..., key=...)). NULL, not "",
    # means no key: the unique constraint below holds only for rows with a key.
    idempotency_key = models.CharField(max_length=150, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
            models.Index(fields=["state", "recipient"], name="notification_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="notification_once_per_key",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_sent(self) -> bool:
        """Sent (for the row `notify()` returns: sent by this call, not found from before)."""
        return self.state == self.State.SENT and not getattr(self, "repeated", False)
