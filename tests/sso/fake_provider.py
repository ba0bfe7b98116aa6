"""A small OpenID Connect provider for the tests (issue 13), served on a random localhost port.

    with FakeProvider() as op:
        provider = IdentityProviderFactory(issuer=op.issuer, client_id=op.client_id, ...)
        op.claims = {"sub": "abc", "email": "kari@example.test", "email_verified": True}

Endpoints: discovery, JWKS (an RSA key made with `cryptography`), authorize (redirects back at
once with a code and the state), token (checks client, redirect URI and the PKCE verifier;
answers an RS256 id_token). `fault` makes a bad answer: "nonce", "aud", "expired", "issuer",
"signature" (signed with another key), "unknown" (a sub and e-mail nobody has), "unverified"
(email_verified false).
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProvider:
    def __init__(self, client_id="trepart-test", client_secret="test-secret"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = _rsa_key()
        self.kid = "fake-key-1"
        self.claims = {"sub": "sub-kari", "email": "kari@example.test", "email_verified": True}
        self.fault = None
        self.codes = {}
        self.authorize_requests = []
        self.token_requests = []
        self.token_refusals = []
        self.issuer = ""

    # -- serving --------------------------------------------------------------------------
    def start(self):
        self.server = make_server("127.0.0.1", 0, self.app, handler_class=_Quiet)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- the WSGI app ---------------------------------------------------------------------
    def app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
        }
        handler = routes.get(path)
        if handler is None:
            return self._json(start_response, {"error": "not_found"}, "404 Not Found")
        return handler(environ, start_response)

    def _json(self, start_response, data, status="200 OK"):
        body = json.dumps(data).encode()
        start_response(status, [("Content-Type", "application/json")])
        return [body]

    def discovery(self, environ, start_response):
        return self._json(
            start_response,
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            },
        )

    def jwks(self, environ, start_response):
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, alg="RS256", use="sig")
        return self._json(start_response, {"keys": [jwk]})

    def authorize(self, environ, start_response):
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        self.authorize_requests.append(query)
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        back = query.get("redirect_uri", "")
        params = {"code": code, "state": query.get("state", "")}
        start_response("302 Found", [("Location", back + "?" + urlencode(params))])
        return [b""]

    def token(self, environ, start_response):
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
        self.token_requests.append(form)
        asked = self.codes.pop(form.get("code", ""), None)
        problem = None
        if asked is None:
            problem = "unknown or used code"
        elif (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            problem = "client"
        elif form.get("redirect_uri") != asked.get("redirect_uri"):
            problem = "redirect_uri"
        elif asked.get("code_challenge_method") != "S256":
            problem = "PKCE method"
        else:
            verifier = form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if challenge.decode() != asked.get("code_challenge"):
                problem = "PKCE verifier"
        if problem:
            self.token_refusals.append(problem)
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        return self._json(
            start_response,
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(asked.get("nonce")),
            },
        )

    def id_token(self, nonce):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            # A national identity number, as ID-porten sends: never used for matching (P8).
            "pid": "01017012345",
            **self.claims,
        }
        key = self.key
        if self.fault == "nonce":
            claims["nonce"] = "not-the-nonce-we-were-given"
        elif self.fault == "aud":
            claims["aud"] = "another-application"
        elif self.fault == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif self.fault == "issuer":
            claims["iss"] = "https://somebody-else.example"
        elif self.fault == "signature":
            key = _rsa_key()
        elif self.fault == "unknown":
            claims.update(sub="sub-nobody", email="nobody@example.test", email_verified=True)
        elif self.fault == "unverified":
            claims.update(sub="sub-unverified", email_verified=False)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
