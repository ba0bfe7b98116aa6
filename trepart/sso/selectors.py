"""Reads of the sso app (issue 13)."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from trepart.sso.models import Identity, IdentityProvider, LoginPolicy


def providers_visible_to(user):
    """The sign-in services of the person's own municipality (ARCHITECTURE: tenancy)."""
    if not user.is_authenticated or not user.municipality_id:
        return IdentityProvider.objects.none()
    return IdentityProvider.objects.filter(municipality_id=user.municipality_id)


def login_buttons():
    """Every sign-in service in use, with its municipality's name: one query.

    The login page cannot know the municipality before login (P8), so it lists them all."""
    return list(
        IdentityProvider.objects.filter(enabled=True)
        .select_related("municipality")
        .order_by("municipality__name", "label", "pk")
    )


def enabled_provider(pk):
    return (
        IdentityProvider.objects.filter(pk=pk, enabled=True).select_related("municipality").first()
    )


def password_login_allowed(municipality_id) -> bool:
    if municipality_id is None:
        return True
    policy = LoginPolicy.objects.filter(municipality_id=municipality_id).first()
    return policy is None or policy.password_login


def login_policy(municipality) -> LoginPolicy:
    return LoginPolicy.objects.filter(municipality=municipality).first() or LoginPolicy(
        municipality=municipality
    )


def identities_of(user):
    return list(Identity.objects.filter(user=user).select_related("provider"))


def linkable_providers(user):
    """Services in use in the person's municipality that the person has not linked yet."""
    linked = Identity.objects.filter(user=user).values("provider_id")
    return list(providers_visible_to(user).filter(enabled=True).exclude(pk__in=linked))


def has_totp_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_devices(user):
    return list(TOTPDevice.objects.filter(user=user, confirmed=True))
