"""Issue 14: with QUERY_COUNT_HEADER on, every answer says how many SQL statements it ran
(`X-Query-Count`) and how long it spent inside Django (`Server-Timing: app;dur=…`), so that
`make bench` can report both from gunicorn with DEBUG off. Off, neither header is sent."""

import re

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from trepart.core.middleware import QueryCountMiddleware

COUNTING = "trepart.core.middleware.QueryCountMiddleware"


def with_counting(settings):
    return [COUNTING, *[m for m in settings.MIDDLEWARE if m != COUNTING]]


def test_no_headers_by_default(db, employee):
    response = client_for(employee).get("/ping/")
    assert response.status_code == 200
    assert "X-Query-Count" not in response.headers
    assert "Server-Timing" not in response.headers


def test_count_equals_the_queries_the_request_ran(db, employee, settings):
    client = client_for(employee)
    with override_settings(MIDDLEWARE=with_counting(settings)):
        for path in ["/ping/", "/"]:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path)
            assert response.status_code == 200
            assert int(response.headers["X-Query-Count"]) == len(ctx.captured_queries)
            assert re.fullmatch(r"app;dur=\d+(\.\d)?", response.headers["Server-Timing"])


def test_count_on_an_api_error_and_a_404(db, settings, client):
    with override_settings(MIDDLEWARE=with_counting(settings)):
        api = client.get("/api/units")  # no token: a JSON 401
        missing = client.get("/no-such-page/")
    assert api.status_code == 401 and api.headers["X-Query-Count"].isdigit()
    assert missing.status_code == 404 and missing.headers["X-Query-Count"].isdigit()


def test_counter_is_removed_after_the_request(db):
    """The execute wrapper does not outlive the request, even when the view raises."""

    def failing(request):
        raise RuntimeError("boom")

    middleware = QueryCountMiddleware(failing)
    try:
        middleware(object())
    except RuntimeError:
        pass
    assert connection.execute_wrappers == []
