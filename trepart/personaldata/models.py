"""The record of an erasure, for the municipality's own audit (P8).

It holds who erased whom and when, and how many rows were deleted or rewritten per kind of
record; never a name, an e-mail address or a phone number (the erased person is the
anonymised user row, shown by the role they held).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("erased person"),
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    erased_at = models.DateTimeField(_("erased"), default=timezone.now)
    # {"deleted": {"app.Model": n}, "rewritten": {"app.Model": n}}: counts only.
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("erasure of personal data")
        verbose_name_plural = _("erasures of personal data")
        ordering = ["-erased_at", "-id"]

    def __str__(self):
        return f"{self.erased_at:%Y-%m-%d %H:%M}"
