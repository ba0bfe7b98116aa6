"""The API holds its own contract (issue 13): schemathesis generates requests for every
operation of /api/openapi.json — valid ones and broken ones — against the Django app in this
process (WSGI), with a valid token over a small world. No answer is a 5xx, and every answer
matches the schema (status codes, content type, body).

The number of examples is bounded so the whole run stays under a minute; run it longer with
`API_EXAMPLES=200 .venv/bin/pytest tests/api/test_contract.py`.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks

from tests.api.conftest import make_token

EXAMPLES = int(os.environ.get("API_EXAMPLES", "15"))


def _settings(examples):
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


def _real_ids(world) -> dict:
    return {
        "unit_id": world["unit"].pk,
        "meeting_id": world["meetings"]["published"].pk,
        "input_id": world["inputs"]["named"].pk,
        "measure_id": world["measure"].pk,
        "report_id": world["reports"]["sent"].pk,
    }


def _run(operation, mode, auth, path_parameters=None, examples=EXAMPLES):
    strategy = operation.as_strategy(
        generation_mode=mode, path_parameters=path_parameters, headers=auth
    )

    @_settings(examples)
    @given(case=strategy)
    def check(case):
        response = case.call(headers=auth)
        assert response.status_code < 500, (case.method, case.formatted_path, response.text)
        content_type = {k.lower(): v for k, v in response.headers.items()}.get("content-type")
        assert "application/json" in str(content_type), (case.method, case.formatted_path)
        # An opaque cursor is any string to the schema, but only a cursor the API gave out is
        # accepted (400 otherwise): the "valid data is accepted" check does not apply.
        case.validate_response(
            response, headers=auth, excluded_checks=[checks.positive_data_acceptance]
        )

    try:
        check()
    except Unsatisfiable:
        # Nothing to break (an operation without parameters or body): the negative mode has
        # no example to make; the positive mode covered it.
        assert mode == GenerationMode.NEGATIVE, operation.label


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request (request_finished);
    Django's test client switches that off, and so must we: the test's transaction holds the
    world (on PostgreSQL a closed connection would lose it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_keeps_the_contract(world, keep_connection):
    leader = world["people"]["leader"]
    auth = {"Authorization": f"Bearer {make_token(leader)}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    real = _real_ids(world)
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, mode, auth)
        names = {p.name for p in operation.path_parameters}
        if names:
            # With ids that exist, so the successful answers are checked too.
            _run(
                operation,
                GenerationMode.POSITIVE,
                auth,
                {n: real[n] for n in names},
                examples=max(3, EXAMPLES // 2),
            )
