"""Issue 15: while the database cannot be reached, requests answer 503 with our own page.

The outage is simulated by making every new use of the database connection raise
OperationalError (as a refused connection or a connection cut by a restart does), once in a
view and once in the middleware (the session read of a logged-in person). An ordinary bug
still answers 500.
"""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.test import Client
from django.utils import translation

from tests.conftest import client_for
from trepart.core.dbhealth import is_database_unavailable
from trepart.core.views_errors import RETRY_AFTER_SECONDS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.outage_urls")]

HEADING = "Trepart is briefly unavailable"


def database_down(exc=None):
    """Every query fails as when the server is unreachable."""
    exc = exc or OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    return mock.patch.object(connections["default"], "ensure_connection", side_effect=exc)


def assert_outage_page(response, language="nb"):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = response.content.decode()
    assert "<main" in body and "data-outage" in body
    with translation.override(language):
        assert translation.gettext(HEADING) in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "Connection refused" not in body


def test_outage_in_a_view_answers_503():
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/test-outage/count/")
    assert_outage_page(response)


def test_outage_in_the_session_middleware_answers_503(employee):
    client = client_for(employee, raise_request_exception=False)
    with database_down():
        response = client.get("/")
    assert_outage_page(response)


def test_outage_for_an_htmx_request_answers_503(employee):
    client = client_for(employee, raise_request_exception=False)
    with database_down():
        response = client.get("/", headers={"HX-Request": "true"})
    assert_outage_page(response)


def test_a_closed_connection_is_an_outage_too():
    client = Client(raise_request_exception=False)
    with database_down(InterfaceError("connection already closed")):
        response = client.get("/test-outage/count/")
    assert_outage_page(response)


def test_outage_page_follows_the_language_cookie():
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "nn"
    with database_down():
        response = client.get("/test-outage/count/")
    assert_outage_page(response, language="nn")
    assert 'lang="nn"' in response.content.decode()


def test_the_outage_page_reads_nothing_from_the_database():
    """Rendering the page must work with the database gone: the view and the template run
    while every query raises, and the test would see a 500 if one of them queried."""
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/test-outage/count/")
    assert response.status_code == 503


def test_an_ordinary_bug_is_still_a_500():
    client = Client(raise_request_exception=False)
    response = client.get("/test-outage/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "data-outage" not in response.content.decode()


def test_a_database_error_other_than_unreachable_is_a_500():
    client = Client(raise_request_exception=False)
    from django.db import IntegrityError

    with database_down(IntegrityError("duplicate key")):
        response = client.get("/test-outage/count/")
    assert response.status_code == 500


def test_unavailable_found_through_the_cause():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as exc:
            raise RuntimeError("while rendering") from exc
    except RuntimeError as exc:
        assert is_database_unavailable(exc)
    assert not is_database_unavailable(ValueError("x"))
    assert not is_database_unavailable(None)


def test_settings_replace_broken_persistent_connections():
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
