"""The OpenID Connect authorization code flow with PKCE, state and nonce (issue 13).

`begin()` makes the address of the provider's authorization endpoint and keeps what the
callback needs (provider, nonce, PKCE verifier, where to go next) in the session under a random
`state`; `take_state()` gives it back exactly once. The token exchange and the id_token checks
live in `trepart.sso.backends.OidcBackend` (mozilla-django-oidc's backend, per provider).
"""

import hashlib
import ipaddress
import secrets
import socket
import time
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from mozilla_django_oidc.utils import absolutify, generate_code_challenge

SESSION_STATES = "sso_states"
MAX_STATES = 10  # parallel logins in one browser; the oldest goes first
STATE_TTL = 600  # seconds from leaving Trepart to coming back
DISCOVERY_TTL = 3600
TIMEOUT = 10


class LoginRefused(Exception):
    """A single sign-on that ends on the refusal page; `reason` picks the text shown."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def private_hosts_allowed() -> bool:
    """Loopback and private addresses are for development and tests only: a municipal admin
    is not a platform operator, so their provider settings must not reach Trepart's own
    network (server-side request forgery)."""
    return bool(settings.DEBUG or getattr(settings, "SSO_ALLOW_PRIVATE_HOSTS", False))


def _not_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    return not ip.is_global or ip.is_multicast


def host_is_private(host: str | None) -> bool:
    """Whether `host` is, or resolves to, a loopback, private, link-local or otherwise
    non-public address. A name that does not resolve is not private (its request fails)."""
    host = (host or "").strip("[]").rstrip(".").lower()
    if not host:
        return True
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return _not_public(host)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    return any(_not_public(info[4][0]) for info in infos)


def check_public(url: str) -> None:
    """Refuse a request to a non-public host (LoginRefused "unreachable") unless allowed."""
    if private_hosts_allowed():
        return
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise LoginRefused("unreachable") from exc
    if parts.scheme != "https" or host_is_private(host):
        raise LoginRefused("unreachable")


def _issuer(value: str) -> str:
    return (value or "").rstrip("/")


def discovery(provider) -> dict:
    """The provider's /.well-known/openid-configuration, cached for an hour per issuer."""
    issuer = _issuer(provider.issuer)
    key = "sso:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    document = cache.get(key)
    if document is not None:
        return document
    check_public(issuer)
    try:
        response = requests.get(
            issuer + "/.well-known/openid-configuration", timeout=TIMEOUT, allow_redirects=False
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise LoginRefused("unreachable") from exc
    needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not isinstance(document, dict) or not all(isinstance(document.get(k), str) for k in needed):
        raise LoginRefused("unreachable")
    # OpenID Connect Discovery 1.0, section 4.3: the issuer in the document is the one asked for.
    if _issuer(document["issuer"]) != issuer:
        raise LoginRefused("issuer")
    cache.set(key, document, DISCOVERY_TTL)
    return document


def redirect_uri(request) -> str:
    """The one redirect URI registered at every provider (docs/sso.md)."""
    return absolutify(request, reverse("sso:callback"))


def begin(request, provider, next_url: str = "", link_user_id: int | None = None) -> str:
    """Remember a new login attempt in the session; return the provider's authorize address."""
    document = discovery(provider)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # RFC 7636: 43 to 128 characters
    states = request.session.get(SESSION_STATES)
    states = states if isinstance(states, dict) else {}
    now = time.time()
    states = {k: v for k, v in states.items() if now - v.get("added_on", 0) < STATE_TTL}
    while len(states) >= MAX_STATES:
        states.pop(min(states, key=lambda k: states[k].get("added_on", 0)))
    states[state] = {
        "provider": provider.pk,
        "nonce": nonce,
        "code_verifier": verifier,
        "next": next_url,
        "link_user": link_user_id,
        "added_on": now,
    }
    request.session[SESSION_STATES] = states
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri(request),
        "scope": " ".join(provider.scope_list),
        "state": state,
        "nonce": nonce,
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    endpoint = document["authorization_endpoint"]
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)


def take_state(request, state) -> dict:
    """The attempt started under `state`, removed from the session (usable once)."""
    states = request.session.get(SESSION_STATES)
    if not isinstance(state, str) or not state or not isinstance(states, dict):
        raise LoginRefused("state")
    attempt = states.pop(state, None)
    request.session[SESSION_STATES] = states
    if not attempt or time.time() - attempt.get("added_on", 0) >= STATE_TTL:
        raise LoginRefused("state")
    return attempt
