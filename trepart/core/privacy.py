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

# Paths of the anonymous endpoints, whatever their last part: /i/<link>/…, /r/<code>/
ANONYMOUS_PATH = re.compile(r"/(i|r)/[A-Za-z0-9_-]+")
# Requests under these prefixes are anonymous even when refused before a view runs (e.g. CSRF).
ANONYMOUS_PREFIXES = ("/i/", "/r/")

access_log = logging.getLogger("trepart.access")


def anonymous_endpoint(view):
    """Mark a view as anonymous: its requests are logged without the client address."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.trepart_anonymous = True
    return wrapper


def redact_path(path: str) -> str:
    return ANONYMOUS_PATH.sub(lambda m: f"/{m.group(1)}/…", path)


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
        if ANONYMOUS_PATH.search(message):
            record.msg = redact_path(message)
            record.args = ()
            # django.request attaches the request (with its address) for handlers to use.
            if hasattr(record, "request"):
                record.request = None
        return True
