"""Single sign-on per municipality (issue 13, PRODUCT P8).

A municipality registers its OpenID Connect providers (Microsoft Entra ID for employees,
ID-porten for politicians without a municipal account) and decides whether password login stays
on. A person is linked to a provider by the provider's stable subject (`sub`) in `Identity`;
never by a national identity number (P8: none stored).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_SCOPES = "openid email profile"


class IdentityProvider(models.Model):
    class Kind(models.TextChoices):
        ENTRA_ID = "entra_id", _("Microsoft Entra ID (employees)")
        ID_PORTEN = "id_porten", _("ID-porten (politicians without a municipal account)")

    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="identity_providers",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(
        _("name on the login button"),
        max_length=80,
        help_text=_('Shown as "Log in with …", for example "Fjordvik kommune (Entra ID)".'),
    )
    issuer = models.URLField(
        _("issuer (discovery address)"),
        max_length=300,
        help_text=_(
            "The provider's issuer. Trepart reads its settings from "
            "/.well-known/openid-configuration under this address."
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    scopes = models.CharField(_("scopes"), max_length=300, default=DEFAULT_SCOPES)
    enabled = models.BooleanField(_("in use"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["municipality", "label", "pk"]
        verbose_name = _("sign-in service")
        verbose_name_plural = _("sign-in services")

    def __str__(self):
        return self.label

    @property
    def scope_list(self) -> list[str]:
        scopes = self.scopes.split()
        return scopes if "openid" in scopes else ["openid", *scopes]


class LoginPolicy(models.Model):
    """How the municipality's people may log in. No row: password login is on."""

    municipality = models.OneToOneField(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="login_policy"
    )
    password_login = models.BooleanField(_("allow login with e-mail and password"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.municipality}: password {'on' if self.password_login else 'off'}"


class Identity(models.Model):
    """A person's account at a provider, by the provider's subject identifier (`sub`)."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="sso_identities"
    )
    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="identities"
    )
    sub = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "sub"], name="sso_identity_unique_sub"),
            models.UniqueConstraint(fields=["provider", "user"], name="sso_identity_one_per_user"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.provider}"
