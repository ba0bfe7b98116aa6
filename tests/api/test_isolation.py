"""Municipalities are strictly apart (P8, ARCHITECTURE rule 3): a person of another
municipality — every role, the administrator included — calls every operation of the API with
the first municipality's ids and gets nothing of it: empty lists, 404s, and no writes.

The operations are read from the OpenAPI description, so a new endpoint fails here until it is
in the table below."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.api.conftest import api_for
from trepart.inputs.models import Input
from trepart.meetings.models import AgendaItem

ROLES = ("admin", "leader", "employee", "politician", "director", "chief_rep")


def _paths(world) -> dict[tuple[str, str], list[tuple[str, dict | None]]]:
    """(method, templated path) -> the concrete calls with the first municipality's ids."""
    unit = world["unit"].pk
    meetings = [m.pk for m in world["meetings"].values()]
    inputs = [i.pk for i in world["inputs"].values()]
    reports = [r.pk for r in world["reports"].values()]
    lists = ["/meetings", "/minutes", "/inputs", "/measures", "/reports"]
    return {
        ("get", "/api/me"): [("/me", None)],
        ("get", "/api/steering-group"): [("/steering-group", None)],
        ("get", "/api/units"): [("/units", None)],
        ("get", "/api/party-groups"): [("/party-groups", None)],
        **{("get", f"/api{p}"): [(p, None), (f"{p}?unit={unit}", None)] for p in lists},
        ("get", "/api/units/{unit_id}"): [(f"/units/{unit}", None)],
        ("get", "/api/party-groups/{unit_id}"): [(f"/party-groups/{unit}", None)],
        ("get", "/api/meetings/{meeting_id}"): [(f"/meetings/{pk}", None) for pk in meetings],
        ("get", "/api/meetings/{meeting_id}/minutes"): [
            (f"/meetings/{pk}/minutes", None) for pk in meetings
        ],
        ("get", "/api/inputs/{input_id}"): [(f"/inputs/{pk}", None) for pk in inputs],
        ("get", "/api/measures/{measure_id}"): [(f"/measures/{world['measure'].pk}", None)],
        ("get", "/api/reports/{report_id}"): [(f"/reports/{pk}", None) for pk in reports],
        ("post", "/api/inputs"): [("/inputs", {"unit_id": unit, "text": "Fra en annen kommune"})],
        ("post", "/api/meetings/{meeting_id}/agenda-items"): [
            (f"/meetings/{pk}/agenda-items", {"title": "Fremmed sak"}) for pk in meetings
        ],
    }


def _operations() -> set[tuple[str, str]]:
    schema = json.loads(Client().get("/api/openapi.json").content)
    return {(method, path) for path, ops in schema["paths"].items() for method in ops}


def _secrets_of(world) -> list[str]:
    """Texts that belong to the first municipality and must never show up elsewhere."""
    people = world["people"]
    return [
        world["municipality"].name,
        world["unit"].name,
        people["leader"].full_name,
        people["employee"].full_name,
    ]


def _first_ids(world) -> dict[str, set[int]]:
    """The first municipality's ids per kind of list item (names alike in both worlds)."""
    return {
        "unit_id": {world["unit"].pk},
        "meeting_id": {m.pk for m in world["meetings"].values()},
        "/meetings": {m.pk for m in world["meetings"].values()},
        "/inputs": {i.pk for i in world["inputs"].values()},
        "/measures": {world["measure"].pk},
        "/reports": {r.pk for r in world["reports"].values()},
        "/units": {world["unit"].pk},
    }


def test_every_operation_is_in_the_table(world):
    assert _operations() == set(_paths(world))


@pytest.mark.parametrize("role", ROLES)
def test_another_municipality_gets_nothing_of_the_first(world, other_world, role):
    client = api_for(other_world["people"][role])
    secrets = _secrets_of(world)
    first = _first_ids(world)
    items_before = AgendaItem.objects.filter(meeting__municipality=world["municipality"]).count()
    inputs_before = Input.objects.filter(municipality=world["municipality"]).count()
    for (method, _template), calls in _paths(world).items():
        for path, data in calls:
            response = client.post(path, data) if method == "post" else client.get(path)
            body = response.content.decode()
            assert response["Content-Type"].startswith("application/json"), path
            assert not [s for s in secrets if s in body], (role, path, body[:300])
            parsed = json.loads(body)
            if "{" in _template or method == "post":
                assert response.status_code == 404, (role, path, response.status_code, body)
                assert parsed["code"] == "not_found"
            elif "items" in parsed:
                assert response.status_code == 200
                kind = path.split("?")[0]
                for item in parsed["items"]:
                    for key in ("unit_id", "meeting_id"):
                        assert item.get(key) not in first[key], (role, path, item)
                    assert item.get("id") not in first.get(kind, set()), (role, path, item)
                if "?unit=" in path:
                    assert parsed["items"] == [], (role, path)
    assert (
        AgendaItem.objects.filter(meeting__municipality=world["municipality"]).count()
        == items_before
    )
    assert Input.objects.filter(municipality=world["municipality"]).count() == inputs_before
