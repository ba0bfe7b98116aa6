"""The demo administrator's second factor (issue 13).

Municipal admins who log in with a password give a code from an authenticator app before the
administration pages. So that the demo can be tried without setting up an app, the demo
administrator has an authenticator whose key is public (demo only) and `manage.py demo_code`
prints its current code. Idempotent.
"""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from trepart.accounts.models import User
from trepart.demo.organisation import email_for

# A fixed, public key: the demo only. Never do this with a real account.
DEMO_ADMIN = "Hanne Berg"
DEMO_KEY = "5472657061727420646f7420646f7420646f7420"


def load(municipality) -> TOTPDevice | None:
    admin = User.objects.filter(municipality=municipality, email=email_for(DEMO_ADMIN)).first()
    if admin is None:
        return None
    device, _created = TOTPDevice.objects.get_or_create(
        user=admin, name="Demo", defaults={"key": DEMO_KEY, "confirmed": True}
    )
    return device


def current_code(municipality=None) -> tuple[str, str] | None:
    """(the admin's e-mail, the current six-digit code), or None without the demo."""
    device = (
        TOTPDevice.objects.filter(name="Demo", user__email=email_for(DEMO_ADMIN))
        .select_related("user")
        .first()
    )
    if device is None:
        return None
    return (
        device.user.email,
        f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}",
    )
