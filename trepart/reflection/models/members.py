"""Telling the members what the group works on (R19).

After a party group publishes its minutes, each local union rep and the safety rep of the unit
gets a short plain-language summary (`MemberBrief`) to edit and forward to their members, and
the group sees who has shared it. One brief per rep and meeting: a correction of the minutes
refreshes a draft the rep has not edited yet, and nobody is e-mailed twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["MemberBrief"]


class MemberBrief(models.Model):
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The role the brief was written for: a local union rep (with the union) or the safety rep.
    role = models.CharField(_("role"), max_length=24)
    union = models.ForeignKey(
        "organisation.Union", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("summary for the members"))
    version_number = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("summary for the members")
        verbose_name_plural = _("summaries for the members")
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="member_brief_unique")
        ]

    def __str__(self):
        return f"{self.meeting} – {self.person}"
