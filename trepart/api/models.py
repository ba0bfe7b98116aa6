"""Personal API tokens (issue 13, PRODUCT P8).

A person creates a token on their own page, with a name, scopes and an expiry date (at most a
year ahead). Only the SHA-256 hash of the secret is stored; the secret is shown once, when the
token is made. A token acts as its person: the API calls the same permission functions as the
web pages, so a token never sees more than its person does, and only what its scopes allow.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read what I may see")
    INPUTS_WRITE = "inputs:write", _("Send input in my name")
    AGENDA_WRITE = "agenda:write", _("Put items on the agenda of meetings I plan")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    # Space-separated Scope values.
    scopes = models.CharField(_("scopes"), max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    # The start of the secret, shown in the list so the person can tell tokens apart.
    prefix = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split() if s in Scope.values]

    def scope_labels(self) -> list[str]:
        return [str(Scope(s).label) for s in self.scope_list]

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
