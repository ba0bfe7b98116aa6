"""Who may do what in the sso app (issue 13)."""

from django.contrib.auth import BACKEND_SESSION_KEY

from trepart.organisation.permissions import is_municipal_admin

# Logins that prove only a password. Single sign-on (OidcBackend) counts as verified: the
# municipality's provider does its own second factor.
PASSWORD_BACKENDS = frozenset({"django.contrib.auth.backends.ModelBackend"})
# What a municipal admin who has given only a password may still open: the second-factor page
# itself, logging out, the language switch and static files. Everything else waits for the code,
# so no admin-only action anywhere (unit settings under /units/, erasure, the archive package,
# linking a single sign-on account, which would count as verified) is reachable with a password
# alone.
# Starting and finishing a single sign-on login is open too: it replaces the session with one
# that counts as verified (the callback refuses to *link* an identity to an unverified session).
EXEMPT_PREFIXES = (
    "/sso/second-factor/",
    "/sso/login/",
    "/sso/callback/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/favicon",
)


def can_manage_sign_in(user) -> bool:
    return is_municipal_admin(user)


def logged_in_with_password(request) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) in PASSWORD_BACKENDS


def second_factor_needed(request) -> bool:
    """A municipal admin who logged in with a password and has not passed a second factor in
    this session (issue 13)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not logged_in_with_password(request):
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django-otp's OTPMiddleware
    if is_verified is not None and is_verified():
        return False
    return is_municipal_admin(user)
