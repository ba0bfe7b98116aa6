"""Regression tests for review rev1 (issue 13): the hidden reason only for those who triage,
Norwegian validation messages, and no rule numbers in the API's description."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.utils import translation

from tests.api.conftest import api_for
from trepart.api.core import validation_message
from trepart.inputs.models import Input

pytestmark = pytest.mark.django_db

REASON = "Nevner Ola ved navn, skjult"


def test_hidden_reason_only_for_those_who_triage(world):
    named = world["inputs"]["named"]
    Input.objects.filter(pk=named.pk).update(hidden=True, hidden_reason=REASON)
    # The submitter still sees the input, but not the moderator's reason (as on the web page).
    response = api_for(world["people"]["employee"]).get(f"/inputs/{named.pk}")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["hidden"] is True and body["hidden_reason"] == "" and body["mine"]
    listed = json.loads(api_for(world["people"]["employee"]).get("/inputs").content)["items"]
    assert all(REASON not in json.dumps(item) for item in listed)
    # A member of the party group triages it and sees why.
    for who in ("leader", "rep"):
        body = json.loads(api_for(world["people"][who]).get(f"/inputs/{named.pk}").content)
        assert body["hidden_reason"] == REASON, who


def _fields(response) -> dict:
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["code"] == "invalid"
    return body["fields"]


def test_validation_messages_are_norwegian(world):
    client = api_for(world["people"]["employee"])
    english_bits = [
        "Field required",
        "Input should",
        "String should",
        "Value error",
    ]
    fields = _fields(client.post("/inputs", {"text": "Hei"}))
    with translation.override("nb"):
        assert fields["unit_id"] == [validation_message({"type": "missing"})]
    for body in ({"unit_id": "abc", "text": "x"}, {"unit_id": 1, "text": ""}, {"unit_id": 1}):
        fields = _fields(client.post("/inputs", body))
        text = json.dumps(fields)
        assert not any(english in text for english in english_bits), text
    fields = _fields(client.get("/meetings", limit=0))
    assert not any(english in json.dumps(fields) for english in english_bits)


@pytest.mark.parametrize(
    "error, english",
    [
        ({"type": "missing"}, "This field is required."),
        ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "Must be at least 1."),
        ({"type": "less_than_equal", "ctx": {"le": 100}}, "Must be at most 100."),
        ({"type": "string_too_long", "ctx": {"max_length": 200}}, "At most 200 characters"),
        ({"type": "string_too_short", "ctx": {"min_length": 1}}, "This field cannot be empty."),
        ({"type": "int_parsing"}, "Must be a whole number."),
        ({"type": "literal_error", "ctx": {"expected": "'a' or 'b'"}}, "'a' or 'b'"),
        ({"type": "something_new", "msg": "English"}, "Invalid value."),
    ],
)
def test_every_error_type_has_a_message_of_our_own(error, english):
    with translation.override("en"):
        assert english in validation_message(error)
    with translation.override("nb"):
        assert "English" not in validation_message(error)


def test_no_rule_numbers_in_the_description():
    response = Client().get("/api/openapi.json")
    schema = response.content.decode()
    assert response.status_code == 200 and "agenda-items" in schema
    assert "personnel cases" in schema  # said in words instead
    assert not re.search(r"\bR\d{1,2}\b", schema)
