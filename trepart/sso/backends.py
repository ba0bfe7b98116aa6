"""OpenID Connect authentication per municipality (issue 13, PRODUCT P8).

mozilla-django-oidc's backend reads one provider from the settings; here each call is for one
`IdentityProvider` of a municipality, so the settings it asks for come from that row and the
provider's discovery document. Kept from the library: the token request (with the PKCE
verifier) and finding the signing key in the provider's JWKS. Made stricter: the id_token must
be RS256 and carry our client id as audience, the provider's issuer, an unexpired `exp` and the
nonce we sent. The person is matched by `services.person_for_claims` (sub, then verified
e-mail; never a national identity number).
"""

import jwt
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.utils.crypto import constant_time_compare
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from trepart.sso import oidc
from trepart.sso.oidc import LoginRefused

SIGN_ALGORITHM = "RS256"  # what Entra ID and ID-porten sign with
LEEWAY = 60  # seconds of clock difference accepted for exp/iat


class OidcBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Nothing from global settings: the provider is given to authenticate().
        self.UserModel = get_user_model()
        self.provider = None
        self.discovery = {}
        self.link_user = None

    def get_settings(self, attr, *args):
        per_provider = {
            "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:callback",
            "OIDC_RP_SIGN_ALGO": SIGN_ALGORITHM,
            "OIDC_USE_NONCE": True,
            "OIDC_CREATE_USER": False,
            "OIDC_STORE_ACCESS_TOKEN": False,
            "OIDC_STORE_ID_TOKEN": False,
            "OIDC_TOKEN_USE_BASIC_AUTH": False,
            "OIDC_VERIFY_KID": True,
            "OIDC_ALLOW_UNSECURED_JWT": False,
            "OIDC_TIMEOUT": oidc.TIMEOUT,
            "OIDC_VERIFY_SSL": True,
            "OIDC_PROXY": None,
        }
        if attr in per_provider:
            return per_provider[attr]
        return import_from_settings(attr, *args)

    def authenticate(
        self,
        request,
        sso_provider=None,
        nonce=None,
        code_verifier=None,
        link_user=None,
        **kwargs,
    ):
        """The person for the callback's code, or LoginRefused; None for other credentials."""
        if sso_provider is None or request is None:
            return None
        if not request.GET.get("code") or not request.GET.get("state"):
            raise LoginRefused("cancelled")
        self.provider = sso_provider
        self.link_user = link_user
        self.discovery = oidc.discovery(sso_provider)
        self.OIDC_OP_TOKEN_ENDPOINT = self.discovery["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = self.discovery.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = self.discovery["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = sso_provider.client_id
        self.OIDC_RP_CLIENT_SECRET = sso_provider.client_secret
        self.OIDC_RP_SIGN_ALGO = SIGN_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None
        # The token request carries the client secret: never to Trepart's own network.
        oidc.check_public(self.OIDC_OP_TOKEN_ENDPOINT)
        oidc.check_public(self.OIDC_OP_JWKS_ENDPOINT)
        try:
            user = super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except requests.HTTPError as exc:  # the token endpoint said no (e.g. PKCE verifier)
            raise LoginRefused("token") from exc
        except requests.RequestException as exc:
            raise LoginRefused("unreachable") from exc
        except (SuspiciousOperation, ValueError, KeyError, TypeError) as exc:
            raise LoginRefused("token") from exc
        if user is None:
            raise LoginRefused("unknown_person")
        return user

    def get_token(self, payload):
        """The token request (with the client secret): to a public host only, and never
        following a redirect, which could lead it into Trepart's own network."""
        oidc.check_public(self.OIDC_OP_TOKEN_ENDPOINT)
        response = requests.post(
            self.OIDC_OP_TOKEN_ENDPOINT, data=payload, timeout=oidc.TIMEOUT, allow_redirects=False
        )
        if response.is_redirect:
            raise LoginRefused("token")
        self.raise_token_response_error(response)
        return response.json()

    def retrieve_matching_jwk(self, token):
        """The signing key from the provider's JWKS (public host, no redirects), matched by the
        token's kid and alg."""
        oidc.check_public(self.OIDC_OP_JWKS_ENDPOINT)
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT, timeout=oidc.TIMEOUT, allow_redirects=False
        )
        if response.is_redirect:
            raise LoginRefused("token")
        response.raise_for_status()
        header = jwt.get_unverified_header(token)
        key = None
        for jwk in response.json()["keys"]:
            if not isinstance(jwk, dict) or not jwk.get("kid") or jwk["kid"] != header.get("kid"):
                continue  # the kid is needed (OIDC_VERIFY_KID)
            if "alg" in jwk and jwk["alg"] != header.get("alg"):
                continue
            key = jwk
        if key is None:
            raise SuspiciousOperation("Could not find a valid JWKS.")
        return jwt.PyJWK(key)

    def verify_token(self, token, **kwargs):
        """Signature (JWKS), algorithm, issuer, audience, expiry and nonce of the id_token."""
        if not isinstance(token, str) or not token:
            raise LoginRefused("token")
        try:
            key = self.retrieve_matching_jwk(token)
        except (jwt.PyJWTError, SuspiciousOperation, KeyError, TypeError, ValueError) as exc:
            raise LoginRefused("token") from exc
        payload = self._verify_jws(token, key)
        expected = kwargs.get("nonce") or ""
        got = payload.get("nonce")
        if not expected or not isinstance(got, str) or not constant_time_compare(got, expected):
            raise LoginRefused("nonce")
        return payload

    def _verify_jws(self, payload, key):
        try:
            if jwt.get_unverified_header(payload).get("alg") != SIGN_ALGORITHM:
                raise LoginRefused("token")
            claims = jwt.decode(
                payload,
                key,
                algorithms=[SIGN_ALGORITHM],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.discovery["issuer"],
                leeway=LEEWAY,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise LoginRefused("expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise LoginRefused("audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise LoginRefused("issuer") from exc
        except jwt.PyJWTError as exc:
            raise LoginRefused("token") from exc
        # OpenID Connect Core 3.1.3.7: with several audiences, azp must be us.
        audience = claims.get("aud")
        if isinstance(audience, list) and len(audience) > 1:
            if claims.get("azp") != self.OIDC_RP_CLIENT_ID:
                raise LoginRefused("audience")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        # The verified id_token's claims are enough (sub, email, email_verified); no userinfo.
        from trepart.sso import services

        return services.person_for_claims(self.provider, payload, link_user=self.link_user)

    def get_user(self, user_id):
        try:
            user = self.UserModel.objects.get(pk=user_id)
        except self.UserModel.DoesNotExist:
            return None
        return user if user.is_active else None
