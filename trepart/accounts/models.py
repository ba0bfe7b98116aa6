"""Accounts: one user per person, logging in with e-mail (P8).

A person belongs to exactly one municipality (the tenant). People who never log in (imported
staff) have an unusable password until they choose one through an invitation (`Invitation`) or
password reset.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("municipality"),
        help_text=_("Empty only for platform operators."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # P8: a person may choose their own language; empty follows the municipality's default.
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the municipality's default language."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform operator"),
        default=False,
        help_text=_("May use the technical admin site. Not a municipal role."),
    )
    date_joined = models.DateTimeField(_("created"), default=timezone.now)
    # P8 (GDPR): set when a municipal administrator erased the person's personal data
    # (trepart.personaldata.services.person_erase); the row stays so that archive material
    # keeps an author, shown as the role the person held.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    # Issue 15: part of the session auth hash (below). Raising it ends every session of the
    # person at once, on every device: "Log out everywhere" on My page, and deactivation in the
    # technical admin (services.sessions_end_everywhere). No scan of the session table.
    session_generation = models.PositiveIntegerField(
        _("times logged out everywhere"), default=0, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "email"]
        # Issue 14: the administrator's people list, a page at a time in name order.
        indexes = [
            models.Index(fields=["municipality", "full_name"], name="user_municipality_name")
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Django stores this hash in the session at login and compares it on every request; a
    # session whose hash no longer matches is flushed. Django's own hash covers the password
    # (a new password ends every session); ours adds the session generation. Generation 0 gives
    # exactly Django's hash, so sessions made before this field existed stay valid.
    _SESSION_HASH_SALT = "trepart.accounts.User.get_session_auth_hash"

    def _session_hash(self, secret=None) -> str:
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(
            self._SESSION_HASH_SALT, value, secret=secret, algorithm="sha256"
        ).hexdigest()

    def get_session_auth_hash(self):
        if not self.session_generation:
            return super().get_session_auth_hash()
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        if not self.session_generation:
            yield from super().get_session_auth_fallback_hash()
            return
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=secret)


class InvitationRun(models.Model):
    """Invitations requested together (everyone new from an import): one background job whose
    progress the import page shows ("12 of 40 sent")."""

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.municipality} {self.created_at:%Y-%m-%d %H:%M}"


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted, replaced by a newer one, cancelled nor failed."""
        return self.filter(
            accepted_at__isnull=True, superseded_at__isnull=True, failed_at__isnull=True
        )

    def live(self, now=None):
        """Open and still usable or about to be sent: waiting to be sent, or sent and unexpired."""
        now = now or timezone.now()
        return self.open().filter(models.Q(sent_at__isnull=True) | models.Q(expires_at__gt=now))


class Invitation(models.Model):
    """A one-time, expiring link that lets a person choose their first password.

    The link's token is made by the background job that sends the e-mail and stored only as a
    SHA-256 hash, so neither the database nor the job queue holds a usable link. A newer
    invitation to the same person replaces the older ones (their links stop working).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENT = "sent", _("sent")
        EXPIRED = "expired", _("expired")
        ACCEPTED = "accepted", _("accepted")
        SUPERSEDED = "superseded", _("replaced")
        FAILED = "failed", _("could not be sent")

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("person")
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    run = models.ForeignKey(
        InvitationRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self):
        return f"{self.person} ({self.state()})"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.superseded_at:
            return self.State.SUPERSEDED
        if self.failed_at:
            return self.State.FAILED
        if not self.sent_at:
            return self.State.QUEUED
        if self.expires_at and self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.SENT
