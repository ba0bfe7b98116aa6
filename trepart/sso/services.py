"""Writes of the sso app (issue 13): providers, the login policy, identities, second factor."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trepart.accounts.models import User
from trepart.organisation.permissions import is_municipal_admin
from trepart.sso.models import Identity, IdentityProvider, LoginPolicy
from trepart.sso.oidc import LoginRefused

PROVIDER_FIELDS = ("kind", "label", "issuer", "client_id", "client_secret", "scopes", "enabled")


def _require_admin(actor, municipality):
    if not is_municipal_admin(actor, municipality):
        raise PermissionDenied


def _claim_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _email_verified(provider, claims: dict, email: str) -> bool:
    """Whether the provider vouches for `email` (issue 13, P8).

    Standard OpenID Connect says so with `email_verified`. Microsoft Entra ID has no such
    claim; its optional claims `xms_edov` (the e-mail's domain is verified by the tenant) and
    `verified_primary_email` (the verified addresses of the account) say it instead.
    """
    if _claim_true(claims.get("email_verified")):
        return True
    if provider.kind == IdentityProvider.Kind.ENTRA_ID:
        if _claim_true(claims.get("xms_edov")):
            return True
        verified = claims.get("verified_primary_email")
        if isinstance(verified, str):
            verified = [verified]
        if isinstance(verified, list):
            wanted = email.strip().lower()
            return any(isinstance(v, str) and v.strip().lower() == wanted for v in verified)
    return False


def person_for_claims(provider, claims: dict, link_user=None) -> User:
    """The active person of the provider's municipality the verified id_token speaks for.

    By the stored `sub` first; else by an e-mail the provider says is verified
    (`email_verified`; for Entra ID also `xms_edov` or `verified_primary_email`), and the `sub`
    is then stored. Never by a national identity number: `pid`
    and similar claims are ignored (P8). With `link_user` (a person logged in who links their
    account, e.g. at ID-porten), the `sub` is stored for that person instead.
    """
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise LoginRefused("token")
    identity = Identity.objects.select_related("user").filter(provider=provider, sub=sub).first()
    if link_user is not None:
        return _link(provider, sub, identity, link_user)
    if identity is not None:
        user = identity.user
        if not user.is_active or user.municipality_id != provider.municipality_id:
            raise LoginRefused("unknown_person")
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["last_login_at"])
        return user
    email = claims.get("email")
    if (
        not isinstance(email, str)
        or not email.strip()
        or not _email_verified(provider, claims, email)
    ):
        raise LoginRefused("unknown_person")
    people = list(
        User.objects.filter(
            municipality_id=provider.municipality_id, is_active=True, email__iexact=email.strip()
        )[:2]
    )
    if len(people) != 1:
        raise LoginRefused("unknown_person")
    user = people[0]
    if Identity.objects.filter(provider=provider, user=user).exists():
        # The person is linked to another account at this provider: a recycled address must
        # not take over the account.
        raise LoginRefused("linked_elsewhere")
    _store(provider, user, sub)
    return user


def _link(provider, sub, identity, user) -> User:
    if not user.is_active or user.municipality_id != provider.municipality_id:
        raise LoginRefused("unknown_person")
    if identity is not None:
        if identity.user_id != user.pk:
            raise LoginRefused("linked_elsewhere")
        return user
    if Identity.objects.filter(provider=provider, user=user).exists():
        raise LoginRefused("linked_elsewhere")
    _store(provider, user, sub)
    return user


def _store(provider, user, sub) -> None:
    try:
        with transaction.atomic():
            Identity.objects.create(
                provider=provider, user=user, sub=sub, last_login_at=timezone.now()
            )
    except IntegrityError as exc:  # the same sub or person linked at the same moment
        raise LoginRefused("linked_elsewhere") from exc


def identity_unlink(*, actor, identity) -> None:
    if identity.user_id != actor.pk:
        raise PermissionDenied
    identity.delete()


def provider_save(*, actor, municipality, provider=None, **fields) -> IdentityProvider:
    """Create or change a sign-in service of the actor's own municipality.

    An empty client secret on a change keeps the stored one (the form never shows it)."""
    _require_admin(actor, municipality)
    if provider is None:
        provider = IdentityProvider(municipality=municipality)
    elif provider.municipality_id != municipality.pk:
        raise PermissionDenied
    for name in PROVIDER_FIELDS:
        if name in fields:
            setattr(provider, name, fields[name])
    if provider.pk and not fields.get("client_secret"):
        provider.client_secret = (
            IdentityProvider.objects.filter(pk=provider.pk)
            .values_list("client_secret", flat=True)
            .first()
            or ""
        )
    with transaction.atomic():
        provider.save()
        _check_password_login_reachable(municipality)
    return provider


def _check_password_login_reachable(municipality) -> None:
    """With password login off, at least one service must stay in use, or nobody can log in."""
    policy = LoginPolicy.objects.filter(municipality=municipality).first()
    if policy and not policy.password_login:
        if not IdentityProvider.objects.filter(municipality=municipality, enabled=True).exists():
            raise ValidationError(
                {
                    "enabled": _(
                        "Password login is switched off, so at least one sign-in service must "
                        "stay in use. Switch password login on first."
                    )
                }
            )


def login_policy_set(*, actor, municipality, password_login: bool) -> LoginPolicy:
    _require_admin(actor, municipality)
    if (
        not password_login
        and not IdentityProvider.objects.filter(municipality=municipality, enabled=True).exists()
    ):
        raise ValidationError(
            {
                "password_login": _(
                    "Put a sign-in service in use before you switch password login off, or "
                    "nobody will be able to log in."
                )
            }
        )
    if (
        not password_login
        and not Identity.objects.filter(
            user=actor, provider__municipality=municipality, provider__enabled=True
        ).exists()
    ):
        # Lock-out guard (issue 13): the admin who switches passwords off must have proved that
        # a service in use works for them, so a misconfigured service cannot lock everyone out.
        raise ValidationError(
            {
                "password_login": _(
                    "Log in once with a sign-in service in use (link your account on your own "
                    "page) before you switch password login off. Then you know that the "
                    "service works, and you are not locked out."
                )
            }
        )
    policy, _created = LoginPolicy.objects.update_or_create(
        municipality=municipality,
        defaults={"password_login": password_login, "updated_at": timezone.now()},
    )
    return policy


def totp_device_confirm(*, user, key: str, token: str) -> TOTPDevice | None:
    """Save the authenticator app's key when the code it shows is right; None otherwise."""
    device = TOTPDevice(user=user, key=key, name="Authenticator", confirmed=True)
    # Checked with the TOTP algorithm itself: TOTPDevice.verify_token() would save the unsaved
    # device when it counts a failure.
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    try:
        right = totp.verify(int(token), tolerance=device.tolerance)
    except ValueError:
        right = False
    if not right:
        return None
    device.last_t = totp.t()  # the same code cannot be used again
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.save()
    return device
