"""Each API operation as the web pages answer it (issue 13): the same visibility and permission
functions, so a token sees what its person sees, and no more. Happy paths and denials."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import api_for
from trepart.inputs.models import Input
from trepart.meetings.models import AgendaItem


def _json(response, status=200):
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def _ids(response) -> set[int]:
    return {row["id"] for row in _json(response)["items"]}


def _code(response, status) -> str:
    return _json(response, status)["code"]


@pytest.fixture
def people(world):
    return world["people"]


def test_me(world, people):
    body = _json(api_for(people["employee"]).get("/me"))
    assert body["email"] == people["employee"].email
    assert body["municipality"] == "Fjordby kommune"
    assert body["scopes"] == ["read", "inputs:write", "agenda:write"]


# --- organisation ----------------------------------------------------------------------------


def test_units_are_read_by_everyone_in_the_municipality(world, people):
    unit = world["unit"]
    client = api_for(people["politician"])
    assert _ids(client.get("/units")) == {unit.pk}
    body = _json(client.get(f"/units/{unit.pk}"))
    assert body["name"] == unit.name and body["service_area"] == unit.service_area.name
    assert _code(client.get("/units/999999"), 404) == "not_found"


def test_party_group_shows_the_union_only_to_those_who_may_know_it(world, people):
    """GDPR art. 9: which union a local rep represents (can_see_union_affiliations)."""
    unit = world["unit"]
    own = _json(api_for(people["employee"]).get(f"/party-groups/{unit.pk}"))
    roles = {m["role"] for m in own["members"]}
    assert roles == {"unit_leader", "local_union_rep", "safety_rep"}
    rep = next(m for m in own["members"] if m["role"] == "local_union_rep")
    assert rep["union"] == "Fagforbundet"
    outsider = _json(api_for(people["politician"]).get(f"/party-groups/{unit.pk}"))
    rep = next(m for m in outsider["members"] if m["role"] == "local_union_rep")
    assert rep["union"] is None
    listed = _json(api_for(people["politician"]).get("/party-groups"))
    assert [g["unit_id"] for g in listed["items"]] == [unit.pk]


def test_steering_group(world, people):
    body = _json(api_for(people["employee"]).get("/steering-group"))
    assert {m["role"] for m in body["members"]} == {
        "politician",
        "administration",
        "chief_union_rep",
    }


# --- meetings and minutes --------------------------------------------------------------------


def test_group_member_sees_the_groups_meetings_and_the_agenda(world, people):
    m = world["meetings"]
    client = api_for(people["leader"])
    assert _ids(client.get("/meetings")) == {m["coming"].pk, m["published"].pk}
    body = _json(client.get(f"/meetings/{m['coming'].pk}"))
    assert "Turnus" in [it["title"] for it in body["agenda"]]
    assert _code(client.get(f"/meetings/{m['steering'].pk}"), 404) == "not_found"


def test_staff_see_published_minutes_only_never_drafts(world, people):
    """R20: the unit's people read the published minutes; the group's drafts stay closed."""
    m = world["meetings"]
    client = api_for(people["employee"])
    assert _ids(client.get("/meetings")) == {m["published"].pk}
    body = _json(client.get(f"/meetings/{m['published'].pk}"))
    assert body["agenda"] is None and body["has_published_minutes"] is True
    assert _code(client.get(f"/meetings/{m['coming'].pk}"), 404) == "not_found"
    minutes = _json(client.get("/minutes"))["items"]
    assert [x["meeting_id"] for x in minutes] == [m["published"].pk]
    assert minutes[0]["version"] == 1 and minutes[0]["content"]["title"] == "Forrige"
    one = _json(client.get(f"/meetings/{m['published'].pk}/minutes"))
    assert one["content"]["items"]
    assert _code(client.get(f"/meetings/{m['coming'].pk}/minutes"), 404) == "not_found"


def test_minutes_of_a_meeting_without_any_are_not_found(world, people):
    coming = world["meetings"]["coming"]
    response = api_for(people["leader"]).get(f"/meetings/{coming.pk}/minutes")
    assert _code(response, 404) == "not_found"


def test_politician_sees_the_steering_groups_meetings(world, people):
    m = world["meetings"]
    assert _ids(api_for(people["politician"]).get("/meetings")) == {m["steering"].pk}


def test_meetings_filtered_by_unit(world, people):
    client = api_for(people["admin"])
    unit = world["unit"]
    ids = _ids(client.get("/meetings", unit=unit.pk))
    assert world["meetings"]["steering"].pk not in ids and world["meetings"]["coming"].pk in ids


def test_member_puts_an_item_on_the_agenda(world, people):
    coming = world["meetings"]["coming"]
    response = api_for(people["rep"]).post(
        f"/meetings/{coming.pk}/agenda-items",
        {"title": "Vikarbruk", "description": "Bakgrunn", "kind": "consultation"},
    )
    body = _json(response, 201)
    item = AgendaItem.objects.get(pk=body["id"])
    assert (item.meeting_id, item.kind, item.proposed_by) == (
        coming.pk,
        "consultation",
        people["rep"],
    )


def test_steering_items_are_for_dialogue(world, people):
    """R2: the steering group's items are for information and dialogue, whatever is asked."""
    steering = world["meetings"]["steering"]
    response = api_for(people["politician"]).post(
        f"/meetings/{steering.pk}/agenda-items", {"title": "Heltidskultur", "kind": "consultation"}
    )
    assert _json(response, 201)["kind"] == "dialogue"


def test_agenda_item_denials(world, people):
    m = world["meetings"]
    before = AgendaItem.objects.count()
    employee = api_for(people["employee"])
    # Cannot open the coming meeting at all: not found. May read the published one: forbidden.
    assert (
        _code(employee.post(f"/meetings/{m['coming'].pk}/agenda-items", {"title": "X"}), 404)
        == "not_found"
    )
    assert (
        _code(employee.post(f"/meetings/{m['published'].pk}/agenda-items", {"title": "X"}), 403)
        == "forbidden"
    )
    leader = api_for(people["leader"])
    # Published minutes are not changed through the agenda.
    assert (
        _code(leader.post(f"/meetings/{m['published'].pk}/agenda-items", {"title": "X"}), 400)
        == "invalid"
    )
    # R14: personnel cases are never the group's topic.
    response = leader.post(
        f"/meetings/{m['coming'].pk}/agenda-items", {"title": "Oppfølging", "personnel_case": True}
    )
    assert _code(response, 400) == "out_of_scope"
    response = leader.post(
        f"/meetings/{m['coming'].pk}/agenda-items", {"title": "Oppsigelse av Per"}
    )
    assert _code(response, 400) == "out_of_scope"
    for bad in ({}, {"title": ""}, {"title": "x" * 201}, {"title": "a\x00b"}, {"title": 5}):
        assert _code(leader.post(f"/meetings/{m['coming'].pk}/agenda-items", bad), 400) == "invalid"
    assert AgendaItem.objects.count() == before


# --- staff input -------------------------------------------------------------------------------


def test_group_sees_group_inputs_leader_also_private_ones(world, people):
    i = world["inputs"]
    assert _ids(api_for(people["rep"]).get("/inputs")) == {i["anonymous"].pk, i["named"].pk}
    assert _ids(api_for(people["leader"]).get("/inputs")) == {
        i["anonymous"].pk,
        i["named"].pk,
        i["private"].pk,
    }
    assert _code(api_for(people["rep"]).get(f"/inputs/{i['private'].pk}"), 404) == "not_found"


def test_submitter_name_only_to_those_who_triage_and_to_the_submitter(world, people):
    i = world["inputs"]
    named = _json(api_for(people["rep"]).get(f"/inputs/{i['named'].pk}"))
    assert named["author"] == people["employee"].full_name and named["mine"] is False
    anonymous = _json(api_for(people["rep"]).get(f"/inputs/{i['anonymous'].pk}"))
    assert anonymous["author"] is None and anonymous["anonymous"] is True
    own = _json(api_for(people["employee"]).get(f"/inputs/{i['named'].pk}"))
    assert own["mine"] is True and own["author"] == people["employee"].full_name


def test_staff_see_their_own_inputs_not_the_groups(world, people):
    i = world["inputs"]
    client = api_for(people["employee"])
    assert _ids(client.get("/inputs")) == {i["named"].pk, i["private"].pk}
    assert _code(client.get(f"/inputs/{i['anonymous'].pk}"), 404) == "not_found"


def test_administrators_and_the_steering_group_see_no_input_texts(world, people):
    """P3: they see counts on the overview, never the texts."""
    for role in ("admin", "politician", "director"):
        assert _ids(api_for(people[role]).get("/inputs")) == set()


def test_send_input_in_ones_own_name(world, people):
    unit = world["unit"]
    response = api_for(people["employee"]).post(
        "/inputs", {"unit_id": unit.pk, "text": "Kan vi få ny kaffemaskin?", "category": "other"}
    )
    body = _json(response, 201)
    item = Input.objects.get(pk=body["id"])
    # Never anonymous through the API: the person is the author, no receipt code.
    assert item.author == people["employee"] and item.receipt_hash is None
    assert body["mine"] is True and body["anonymous"] is False
    private = _json(
        api_for(people["employee"]).post(
            "/inputs", {"unit_id": unit.pk, "text": "Om vaktene mine", "to_leader": True}
        ),
        201,
    )
    assert private["audience"] == "leader"


def test_input_denials(world, people):
    unit = world["unit"]
    before = Input.objects.count()
    # Only people who work at the unit give input for it (as on the web form).
    response = api_for(people["politician"]).post("/inputs", {"unit_id": unit.pk, "text": "Hei"})
    assert _code(response, 403) == "forbidden"
    client = api_for(people["employee"])
    assert _code(client.post("/inputs", {"unit_id": 999999, "text": "Hei"}), 404) == "not_found"
    # R14: a wage matter to the group is refused with its own code.
    response = client.post("/inputs", {"unit_id": unit.pk, "text": "Lønnsforhandling for meg"})
    assert _code(response, 400) == "out_of_scope"
    for bad in (
        {"unit_id": unit.pk},
        {"unit_id": unit.pk, "text": ""},
        {"unit_id": unit.pk, "text": "x" * 2001},
        {"unit_id": unit.pk, "text": "Hei", "category": "nonsense"},
        {"unit_id": "abc", "text": "Hei"},
    ):
        assert _code(client.post("/inputs", bad), 400) == "invalid"
    assert Input.objects.count() == before


def test_input_rate_limit_is_the_web_forms(world, people, settings):
    settings.INPUT_USER_RATES = [(1, 60)]
    client = api_for(people["employee"])
    unit = world["unit"]
    assert client.post("/inputs", {"unit_id": unit.pk, "text": "Første"}).status_code == 201
    response = client.post("/inputs", {"unit_id": unit.pk, "text": "Andre"})
    assert _code(response, 429) == "rate_limited"


# --- measures and reports --------------------------------------------------------------------


def test_measures_for_the_units_people_and_administrators(world, people):
    measure = world["measure"]
    for role in ("employee", "leader", "admin"):
        assert _ids(api_for(people[role]).get("/measures")) == {measure.pk}
    body = _json(api_for(people["employee"]).get(f"/measures/{measure.pk}"))
    assert body["stage"] == "in_trial" and body["title"] == "Langvakter"
    assert _ids(api_for(people["politician"]).get("/measures")) == set()
    assert _code(api_for(people["politician"]).get(f"/measures/{measure.pk}"), 404) == "not_found"


def test_reports_sent_for_readers_drafts_for_the_group(world, people):
    r = world["reports"]
    assert _ids(api_for(people["leader"]).get("/reports")) == {r["sent"].pk, r["draft"].pk}
    for role in ("employee", "politician"):
        client = api_for(people[role])
        assert _ids(client.get("/reports")) == {r["sent"].pk}
        assert _code(client.get(f"/reports/{r['draft'].pk}"), 404) == "not_found"
    body = _json(api_for(people["politician"]).get(f"/reports/{r['sent'].pk}"))
    assert body["version"] == 1 and body["went_well"] == "Bra" and body["status"] == "sent"


# --- pagination and errors -------------------------------------------------------------------


def test_cursor_pagination_walks_every_row_once(world, people):
    client = api_for(people["leader"])
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        body = _json(client.get("/inputs", **params))
        seen += [row["id"] for row in body["items"]]
        cursor = body["next"]
        pages += 1
        if not cursor:
            break
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 3 and pages == 3
    meetings = _json(client.get("/meetings", limit=1))
    following = _json(client.get("/meetings", limit=1, cursor=meetings["next"]))
    assert meetings["items"][0]["starts_at"] <= following["items"][0]["starts_at"]


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"limit": "x"}, {"cursor": "junk"}, {"unit": "x"}]
)
def test_bad_paging_is_400_json(world, people, params):
    assert _code(api_for(people["leader"]).get("/inputs", **params), 400) == "invalid"


def test_a_cursor_of_one_list_is_refused_by_a_list_ordered_otherwise(world, people):
    client = api_for(people["leader"])
    cursor = _json(client.get("/inputs", limit=1))["next"]
    assert _code(client.get("/meetings", cursor=cursor), 400) == "invalid"


def test_errors_are_json_never_html(world, people):
    client = api_for(people["leader"])
    assert _code(client.get("/nowhere"), 404) == "not_found"
    assert _code(client.get("/units/abc"), 400) == "invalid"
    response = client.client.delete("/api/units", headers=client.headers)
    assert _code(response, 405) == "method_not_allowed"
    response = client.client.post(
        "/api/inputs", "{not json", content_type="application/json", headers=client.headers
    )
    assert _code(response, 400) == "invalid"


def test_openapi_and_docs(db):
    from django.test import Client

    schema = _json(Client().get("/api/openapi.json"))
    assert "/api/inputs" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    docs = Client().get("/api/docs")
    body = docs.content.decode()
    assert docs.status_code == 200
    # CSP without 'unsafe-inline': no inline script or style, no CDN.
    assert "<script>" not in body and "style=" not in body and "<style" not in body
    assert "cdn" not in body.lower()
    assert 'type="application/json"' in body
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "favicon.png"):
        response = Client().get(f"/api/docs/{asset}")
        assert response.status_code == 200 and int(response["Content-Length"]) > 100
