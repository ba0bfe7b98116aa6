"""Privacy on anonymous endpoints (P3): no IP address, user agent or receipt code in our logs.

- `anonymous_endpoint` marks a view. `AccessLogMiddleware` writes one access-log line per request
  to the `trepart.access` logger: with the client address for ordinary pages (useful against
  abuse of logged-in accounts), without it for marked views.
- `RedactAnonymousPaths` is a logging filter for Django's own `django.server` and
  `django.request` loggers, whose lines include the path (and so a receipt code).

The web server or proxy in front must not log these paths with addresses either; see
docs/deployment.md for an nginx example.
"""

from __future__ import annotations

import logging
import re
import time
from functools import wraps

# The part after /i/, /r/ or /s/: a link token, a receipt code (as typed: it may hold spaces)
# or an anonymous survey's token.
_PATH_SECRET = re.compile(r"^/(i|r|s)/[^/]+")
# The same inside a log line, where whitespace or a quote ends the path.
_TEXT_SECRET = re.compile(r"/(i|r|s)/[^/?#\s\"]+")
# Requests under these prefixes are anonymous even when refused before a view runs (e.g. CSRF).
ANONYMOUS_PREFIXES = ("/i/", "/r/", "/s/")

access_log = logging.getLogger("trepart.access")


def anonymous_endpoint(view):
    """Mark a view as anonymous: its requests are logged without the client address."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.trepart_anonymous = True
    return wrapper


def redact_path(path: str) -> str:
    return _PATH_SECRET.sub(lambda m: f"/{m.group(1)}/…", path)


def redact_text(text: str) -> str:
    return _TEXT_SECRET.sub(lambda m: f"/{m.group(1)}/…", text)


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.trepart_anonymous = False
        response = self.get_response(request)
        elapsed = int((time.monotonic() - started) * 1000)
        if request.trepart_anonymous or request.path.startswith(ANONYMOUS_PREFIXES):
            access_log.info(
                "%s %s %s %dms",
                request.method,
                redact_path(request.path),
                response.status_code,
                elapsed,
            )
        else:
            access_log.info(
                "%s %s %s %dms client=%s",
                request.method,
                request.path,
                response.status_code,
                elapsed,
                request.META.get("REMOTE_ADDR", "-"),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "trepart_anonymous", False):
            request.trepart_anonymous = True
        return None


class RedactAnonymousPaths(logging.Filter):
    """Strip link tokens and receipt codes from Django's request and server log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and path.startswith(ANONYMOUS_PREFIXES):
            # django.request: the decoded path may hold spaces; replace it whole. Drop the
            # request (and its address) that handlers could format.
            redacted = redacted.replace(path, redact_path(path))
            record.request = None
        redacted = redact_text(redacted)
        if redacted != message:
            record.msg = redacted
            record.args = ()
            if hasattr(record, "request"):  # django.server attaches its socket
                record.request = None
        return True
