"""Shared by the query-count tests: a page's SQL must not grow with the data (ARCHITECTURE 4)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(clients, pages):
    """SQL per (viewer, page). Each page is requested once first, so caches are warm.

    `pages` is a list of (viewer, name, url); `clients` maps a viewer to a logged-in client.
    """
    result = {}
    for viewer, name, url in pages:
        client = clients[viewer]
        assert client.get(url).status_code == 200, (viewer, name)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (viewer, name)
        result[(viewer, name)] = [q["sql"] for q in ctx.captured_queries]
    return result


def assert_same_counts(few, many):
    grown = {
        page: (len(few[page]), len(many[page])) for page in few if len(few[page]) != len(many[page])
    }
    details = "\n".join(
        f"{page}: {a} → {b} queries; first extra: {many[page][a] if b > a else '-'}"
        for page, (a, b) in grown.items()
    )
    assert not grown, f"query count depends on the number of rows:\n{details}"
