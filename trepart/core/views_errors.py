"""Error views (issue 15): a database that cannot be reached answers 503, not a plain 500.

Django calls `handler500` from inside the `except` block that caught the exception (in the
view or in any middleware, e.g. the session middleware reading the session), so
`sys.exc_info()` still holds it. When the database cannot be reached (the server restarts, the
network drops, a persistent connection was cut) the request answers **503 Service Unavailable**
with `Retry-After` and a page that says nothing saved is lost. Everything else stays a 500.

Neither page touches the database: the templates are rendered without a request (so no context
processor runs) and the language comes from the language cookie or the default, never from the
person's profile.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from trepart.core.dbhealth import is_database_unavailable

RETRY_AFTER_SECONDS = 5
SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _language(request) -> str:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in SUPPORTED else settings.LANGUAGE_CODE


def outage_response(request) -> HttpResponse:
    """The 503 page: rendered from a plain template, without the database."""
    language = _language(request)
    with translation.override(language):
        body = loader.get_template("503.html").render({"LANGUAGE_CODE": language})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # An error page is never cached by a proxy or the browser.
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


@requires_csrf_token
def server_error(request) -> HttpResponse:
    """`handler500`: 503 while the database is unreachable, else Django's plain 500 page."""
    if is_database_unavailable(sys.exc_info()[1]):
        return outage_response(request)
    return defaults.server_error(request)
