import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    """Choose the interface language (P8).

    Bokmål is the default for everybody, whatever the browser asks for: a Norwegian municipal
    tool should not switch to English because a phone is set up in English. A logged-in person
    gets the language chosen on their own page, else their municipality's default language
    (e.g. nynorsk). A language chosen with the
    language switch is kept in the language cookie and always wins. Replaces Django's
    LocaleMiddleware, which would follow the browser's Accept-Language header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                if getattr(user, "language", "") in SUPPORTED:
                    language = user.language
                elif user.municipality_id:
                    language = user.municipality.default_language or language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class QueryCountMiddleware:
    """Adds `X-Query-Count: N` (SQL statements run for this request) and
    `Server-Timing: app;dur=<ms>` (time inside Django, from this first middleware to the
    response, without gunicorn's queue) when QUERY_COUNT_HEADER is on. `make bench` reads both
    from gunicorn with DEBUG off (issue 14); off by default in production. Counting uses an
    execute wrapper, so it costs a function call per query, not DEBUG's query log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connections

        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        start = time.perf_counter()
        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response.headers["X-Query-Count"] = str(count[0])
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.1f}"
        return response
