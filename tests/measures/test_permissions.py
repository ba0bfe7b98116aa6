"""Who may see and change measures (P4, P8, ARCHITECTURE rules 2 and 3): everybody with a role at
the unit reads its board and measures; only its party group changes them; a person of another
unit is refused; another municipality's measures are a 404 on every URL with an id."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import UnitFactory, person_with_role
from tests.measures.conftest import logged_in, measure_at, text_of, with_version
from tests.meetings.conftest import make_meeting
from trepart.measures import services, urls
from trepart.measures.models import Decision, Evidence, Measure, MeasureEvent, Stage
from trepart.meetings import services as meeting_services
from trepart.organisation.models import Role

UNIT_GET = {"board", "measure_create"}
MEASURE_GET = {"measure_detail", "plan_edit", "risk_edit"}
MEASURE_POST = {
    "trial_start",
    "note_add",
    "evidence_add",
    "evaluate",
    "decide",
    "outcome",
    "complete",
    "try_again",
    "stop",
    "win_mark",
}
OTHER_ID = {"evidence_download", "from_agenda_item"}
READ = {"board", "measure_detail", "evidence_download"}
CHANGE_PAGES = {"measure_create", "plan_edit", "risk_edit"}

# Valid data for every action, so that a refusal can only come from the permission check.
POST_DATA = {
    "measure_create": {"title": "Nytt tiltak"},
    "plan_edit": {"title": "Endret tittel"},
    "risk_edit": {
        "risk-TOTAL_FORMS": "0",
        "risk-INITIAL_FORMS": "0",
        "summary": "Lav risiko",
        "with_safety_rep": "Vera",
    },
    "trial_start": {"participants": "Alle"},
    "note_add": {"text": "Et notat"},
    "evidence_add": {"text": "Et funn"},
    "evaluate": {"findings": "Funn", "assessment": "Vurdering"},
    "decide": {"decision": "keep", "note": "Fordi"},
    "outcome": {"outcome": "Vedtatt"},
    "complete": {"comment": "Ferdig"},
    "try_again": {"comment": "Igjen"},
    "stop": {"reason": "Stopp"},
    "win_mark": {"story": "En historie"},
}


def _names_with_ids():
    return {
        p.name
        for p in urls.urlpatterns
        if {"pk", "unit_pk", "item_pk"} & set(p.pattern.converters.keys())
    }


def test_every_measures_url_with_an_id_is_covered_here():
    """A new URL with an id must be added to the permission tests below."""
    assert _names_with_ids() == UNIT_GET | MEASURE_GET | MEASURE_POST | OTHER_ID
    assert {p.name for p in urls.urlpatterns} - _names_with_ids() == {"index"}


@pytest.fixture
def world(unit, party_group):
    """Measures in several stages, evidence with a file, and an agenda item."""
    leader = party_group["leader"]
    measures = {
        stage: measure_at(party_group, unit, stage, title=f"Tiltak {stage}")
        for stage in (Stage.IDEA, Stage.PLANNED, Stage.IN_TRIAL, Stage.EVALUATED)
    }
    measures["decided"] = measure_at(party_group, unit, Stage.DECIDED, title="Beholdt")
    measures["adjust"] = measure_at(
        party_group, unit, Stage.DECIDED, decision=Decision.ADJUST, title="Justeres"
    )
    measures["referred"] = measure_at(
        party_group, unit, Stage.DECIDED, referred_to="AMU", title="Sendt til AMU"
    )
    evidence = services.evidence_add(
        actor=leader,
        measure=measures[Stage.IN_TRIAL],
        upload=SimpleUploadedFile("intervjuer.pdf", b"%PDF-1.7 hemmelig"),
    )
    meeting = make_meeting(leader, unit)
    item = meeting_services.agenda_item_propose(actor=leader, meeting=meeting, title="Pauserom")
    return {"measures": measures, "evidence": evidence, "item": item, "unit": unit}


def _target(name, world):
    """The measure each action is tried on: one where the action would succeed."""
    m = world["measures"]
    return {
        "plan_edit": m[Stage.IDEA],
        "risk_edit": m[Stage.PLANNED],
        "trial_start": m[Stage.PLANNED],
        "note_add": m[Stage.IN_TRIAL],
        "evidence_add": m[Stage.IN_TRIAL],
        "evaluate": m[Stage.IN_TRIAL],
        "decide": m[Stage.EVALUATED],
        "outcome": m["referred"],
        "complete": m["decided"],
        "try_again": m["adjust"],
        "stop": m[Stage.IDEA],
        "win_mark": m["decided"],
    }.get(name, m[Stage.IN_TRIAL])


def _url(name, world):
    if name in UNIT_GET:
        return reverse(f"measures:{name}", args=[world["unit"].pk])
    if name == "evidence_download":
        return reverse("measures:evidence_download", args=[world["evidence"].pk])
    if name == "from_agenda_item":
        return reverse("measures:from_agenda_item", args=[world["item"].pk])
    return reverse(f"measures:{name}", args=[_target(name, world).pk])


def _snapshot():
    return (
        sorted(Measure.objects.values_list("pk", "stage", "title", "is_win", "line_outcome")),
        MeasureEvent.objects.count(),
        Evidence.objects.count(),
    )


ALL_GET = UNIT_GET | MEASURE_GET | {"evidence_download"}
ALL_POST = MEASURE_POST | {"from_agenda_item"} | CHANGE_PAGES


def _get_and_post(client, world):
    """Every URL with an id: GET for pages, POST (with valid data) for actions and forms."""
    for name in sorted(ALL_GET):
        yield name, "GET", client.get(_url(name, world))
    for name in sorted(ALL_POST):
        yield name, "POST", client.post(_url(name, world), POST_DATA.get(name, {}))


# --- the party group can do everything ----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALL_POST - {"from_agenda_item"}))
def test_p4_party_group_member_can_do_every_action(world, party_group, name):
    """The same requests that are refused below succeed for the group (so the refusals are
    about permission, not about bad data)."""
    client = logged_in(party_group["rep_ff"])
    before = _snapshot()
    data = POST_DATA[name]
    if name in MEASURE_POST | {"plan_edit"}:
        data = with_version(_target(name, world), data)  # as the page sends it (issue 9)
    response = client.post(_url(name, world), data)
    assert response.status_code == 302, (name, text_of(response)[:2000])
    assert _snapshot() != before, name


def test_p4_party_group_member_reads_every_page(world, party_group):
    client = logged_in(party_group["safety"])
    for name in sorted(ALL_GET):
        assert client.get(_url(name, world)).status_code == 200, name
    assert client.get(reverse("measures:index")).status_code == 200


# --- employees of the unit read, never change ---------------------------------------------------


def test_p4_employee_reads_board_and_measures(world, employee):
    client = logged_in(employee)
    board = client.get(_url("board", world))
    assert board.status_code == 200
    body = text_of(board)
    for measure in world["measures"].values():
        assert measure.title in body
    assert reverse("measures:measure_create", args=[world["unit"].pk]) not in body
    for measure in world["measures"].values():
        detail = client.get(reverse("measures:measure_detail", args=[measure.pk]))
        assert detail.status_code == 200
        html = text_of(detail)
        assert "Next step" not in html
        for name in sorted(MEASURE_POST | {"plan_edit", "risk_edit"}):
            assert reverse(f"measures:{name}", args=[measure.pk]) not in html, name
    assert client.get(_url("evidence_download", world)).status_code == 200
    index = text_of(client.get(reverse("measures:index")))
    assert world["unit"].name in index


def test_p4_employee_gets_403_on_every_change(world, employee):
    client = logged_in(employee)
    before = _snapshot()
    for name in sorted(CHANGE_PAGES):
        assert client.get(_url(name, world)).status_code == 403, name
    for name in sorted(ALL_POST - {"from_agenda_item"}):
        response = client.post(_url(name, world), POST_DATA.get(name, {}))
        assert response.status_code == 403, name
    assert _snapshot() == before


@pytest.mark.parametrize("who", ["employee", "admin_user"])
def test_p4_services_refuse_non_members(world, request, who):
    m = world["measures"]
    person = request.getfixturevalue(who)
    calls = [
        lambda: services.measure_create(actor=person, unit=world["unit"], title="x"),
        lambda: services.plan_save(actor=person, measure=m[Stage.IDEA], goals="x"),
        lambda: services.risk_assessment_save(
            actor=person, measure=m[Stage.PLANNED], summary="x", risks=[], with_safety_rep="V"
        ),
        lambda: services.trial_start(actor=person, measure=m[Stage.PLANNED], participants="x"),
        lambda: services.note_add(actor=person, measure=m[Stage.IN_TRIAL], text="x"),
        lambda: services.evidence_add(actor=person, measure=m[Stage.IN_TRIAL], text="x"),
        lambda: services.evaluate(
            actor=person, measure=m[Stage.IN_TRIAL], findings="x", assessment="y"
        ),
        lambda: services.decide(
            actor=person, measure=m[Stage.EVALUATED], decision="keep", note="x"
        ),
        lambda: services.line_outcome_record(actor=person, measure=m["referred"], outcome="x"),
        lambda: services.complete(actor=person, measure=m["decided"]),
        lambda: services.try_again(actor=person, measure=m["adjust"]),
        lambda: services.stop(actor=person, measure=m[Stage.IDEA], reason="x"),
        lambda: services.win_mark(actor=person, measure=m["decided"], story="x"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


# --- the municipal administrator reads everything, changes nothing ------------------------------


def test_p4_admin_reads_every_units_measures_but_cannot_change(world, admin_user):
    client = logged_in(admin_user)
    assert client.get(_url("board", world)).status_code == 200
    assert client.get(_url("measure_detail", world)).status_code == 200
    assert world["unit"].name in text_of(client.get(reverse("measures:index")))
    before = _snapshot()
    for name in sorted(CHANGE_PAGES):
        assert client.get(_url(name, world)).status_code == 403, name
    for name in sorted(MEASURE_POST):
        assert client.post(_url(name, world), POST_DATA[name]).status_code == 403, name
    assert _snapshot() == before


# --- another unit in the same municipality ------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.UNIT_LEADER, Role.SAFETY_REP])
def test_p4_person_of_another_unit_gets_403_on_board_and_404_on_measures(world, municipality, role):
    neighbour = person_with_role(role, UnitFactory(municipality=municipality))
    client = logged_in(neighbour)
    before = _snapshot()
    assert client.get(_url("board", world)).status_code == 403
    assert client.get(_url("measure_create", world)).status_code == 403
    assert client.post(_url("measure_create", world), POST_DATA["measure_create"]).status_code == (
        403
    )
    for name in sorted(MEASURE_GET | {"evidence_download"}):
        assert client.get(_url(name, world)).status_code == 404, name
    for name in sorted(MEASURE_POST):
        assert client.post(_url(name, world), POST_DATA[name]).status_code == 404, name
    assert client.post(_url("from_agenda_item", world)).status_code == 404
    assert _snapshot() == before
    index = text_of(client.get(reverse("measures:index")))
    assert world["unit"].name not in index


# --- another municipality -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.UNIT_LEADER, Role.SAFETY_REP, Role.MUNICIPAL_ADMIN])
def test_p4_another_municipality_gets_404_on_every_measures_url_with_an_id(
    world, other_municipality, role
):
    """ARCHITECTURE rule 3: 404, never 403, even for a person with full rights at home."""
    other_unit = UnitFactory(municipality=other_municipality)
    outsider = person_with_role(
        role,
        other_unit if role != Role.MUNICIPAL_ADMIN else None,
        municipality=other_municipality,
    )
    client = logged_in(outsider)
    before = _snapshot()
    for name, method, response in _get_and_post(client, world):
        assert response.status_code == 404, (name, method)
    assert _snapshot() == before
    index = text_of(client.get(reverse("measures:index")))
    assert world["unit"].name not in index
    for measure in world["measures"].values():
        assert measure.title not in index


def test_p4_evidence_download_of_another_municipality_is_404(world, other_municipality):
    outsider = person_with_role(Role.UNIT_LEADER, UnitFactory(municipality=other_municipality))
    response = logged_in(outsider).get(_url("evidence_download", world))
    assert response.status_code == 404
    assert b"hemmelig" not in response.content


# --- not logged in ------------------------------------------------------------------------------


def test_p4_anonymous_users_are_sent_to_login(world):
    client = Client()
    login = reverse("accounts:login")
    before = _snapshot()
    for name, method, response in _get_and_post(client, world):
        assert response.status_code == 302, (name, method)
        assert response["Location"].startswith(login), (name, method)
    response = client.get(reverse("measures:index"))
    assert response.status_code == 302 and response["Location"].startswith(login)
    assert _snapshot() == before


def test_p4_actions_refuse_get(world, party_group):
    client = logged_in(party_group["leader"])
    for name in sorted(MEASURE_POST | {"from_agenda_item"}):
        assert client.get(_url(name, world)).status_code == 405, name
