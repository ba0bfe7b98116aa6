"""A small world for the API tests: one municipality with a unit, its party group, staff, a
steering group, meetings (one with published minutes), inputs, measures and reports; and the
helpers to make tokens and call the API with them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import MunicipalityFactory, UnitFactory, person_with_role, presence, union
from tests.measures.conftest import measure_at
from tests.meetings.conftest import make_meeting, publishable
from trepart.api import services as token_services
from trepart.api.models import Scope
from trepart.organisation.models import Role

ALL_SCOPES = [Scope.READ, Scope.INPUTS_WRITE, Scope.AGENDA_WRITE]


def make_token(person, scopes=ALL_SCOPES, days=30, name="Sak") -> str:
    _token, secret = token_services.token_create(
        person=person,
        name=name,
        scopes=list(scopes),
        expires_on=timezone.localdate() + datetime.timedelta(days=days),
    )
    return secret


class ApiClient:
    """Calls the API with `Authorization: Bearer <secret>`."""

    def __init__(self, secret: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path, **params):
        return self.client.get("/api" + path, params, headers=self.headers)

    def post(self, path, data):
        return self.client.post(
            "/api" + path, data, content_type="application/json", headers=self.headers
        )


def api_for(person, scopes=ALL_SCOPES) -> ApiClient:
    return ApiClient(make_token(person, scopes))


def build_world(name: str, extra_units: int = 0) -> dict:
    """Everything an endpoint can list, in one municipality."""
    from trepart.inputs import services as input_services
    from trepart.measures.models import Stage
    from trepart.meetings import services as meeting_services
    from trepart.reporting import selectors_reports as report_sel
    from trepart.reporting import services_reports as report_services

    today = timezone.localdate()
    municipality = MunicipalityFactory(name=name)
    unit = UnitFactory(municipality=municipality, name=f"Sjøsiden sykehjem ({name})")
    presence(unit, "Fagforbundet")
    group = {
        "leader": person_with_role(Role.UNIT_LEADER, unit, full_name=f"Liv Leder {name}"),
        "rep": person_with_role(Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet")),
        "safety": person_with_role(Role.SAFETY_REP, unit),
    }
    employee = person_with_role(Role.EMPLOYEE, unit, full_name=f"Eva Ansatt {name}")
    people = {
        **group,
        "employee": employee,
        "admin": person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality),
        "director": person_with_role(Role.ADMINISTRATION, municipality=municipality),
        "politician": person_with_role(Role.POLITICIAN, municipality=municipality),
        "chief_rep": person_with_role(Role.CHIEF_UNION_REP, municipality=municipality),
    }
    for i in range(extra_units):
        UnitFactory(municipality=municipality, name=f"Enhet {i} ({name})")
    leader, director = group["leader"], people["director"]
    coming = make_meeting(leader, unit, day=today + datetime.timedelta(days=7))
    meeting_services.agenda_item_propose(actor=leader, meeting=coming, title="Turnus")
    published = make_meeting(leader, unit, day=today - datetime.timedelta(days=7), title="Forrige")
    publishable(leader, published, [leader, group["rep"], group["safety"]])
    meeting_services.minutes_publish(actor=leader, meeting=published, notify=False)
    steering = make_meeting(director, None, day=today + datetime.timedelta(days=3), title="Styring")

    anonymous, _code = input_services.input_submit(unit=unit, text="Vi trenger langvakter")
    named, _ = input_services.input_submit(unit=unit, text="Bedre pauserom", author=employee)
    private, _ = input_services.input_submit(
        unit=unit, text="Jeg vil snakke om lønna mi", author=employee, to_leader=True
    )
    measure = measure_at(group, unit, Stage.IN_TRIAL, title="Langvakter")

    last = report_sel.last_ended_period(today, 3)
    before = report_sel.last_ended_period(last[0], 3)
    sent = report_services.report_draft_create(unit, *last)
    report_services.report_save(actor=leader, report=sent, went_well="Bra", hard="", need="")
    report_services.report_send(actor=leader, report=sent)
    draft = report_services.report_draft_create(unit, *before)
    return {
        "municipality": municipality,
        "unit": unit,
        "people": people,
        "meetings": {"coming": coming, "published": published, "steering": steering},
        "inputs": {"anonymous": anonymous, "named": named, "private": private},
        "measure": measure,
        "reports": {"sent": sent, "draft": draft},
    }


@pytest.fixture
def world(db):
    return build_world("Fjordby kommune")


@pytest.fixture
def other_world(db):
    return build_world("Annenby kommune")


@pytest.fixture(autouse=True)
def generous_rates(settings):
    """The rate limit has its own test; elsewhere it must not get in the way."""
    settings.API_TOKEN_RATES = [(100_000, 60)]
    settings.INPUT_USER_RATES = [(100_000, 60)]
