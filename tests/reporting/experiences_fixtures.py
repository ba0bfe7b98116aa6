"""Fixtures of the experience library tests (P5, R28, R31).

Fjordby kommune (`municipality`) has Solsiden sykehjem (`unit`, with its `party_group`) and
Lia barnehage (`lia`, with its own leader); Annenby kommune (`other_municipality`) has one unit
and a leader. Import the fixture functions (`lia_fixture`, …) into a test module; the
party group comes from tests/reporting/conftest.py.
"""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role
from tests.measures.conftest import measure_at
from trepart.measures.models import Stage
from trepart.organisation.models import Role
from trepart.reporting import experiences as exp
from trepart.reporting.models import Experience, ReportingSettings, Theme


@pytest.fixture(name="english", autouse=True)
def english_fixture():
    with translation.override("en"):
        yield


def logged_in(user, language="en"):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture(name="lia")
def lia_fixture(municipality):
    unit = UnitFactory(municipality=municipality, name="Lia barnehage")
    return {
        "unit": unit,
        "leader": person_with_role(Role.UNIT_LEADER, unit, full_name="Lars Lia"),
        "employee": person_with_role(Role.EMPLOYEE, unit, full_name="Eva Ansatt"),
    }


@pytest.fixture(name="annenby")
def annenby_fixture(other_municipality):
    unit = UnitFactory(municipality=other_municipality, name="Annenby omsorgssenter")
    return {
        "municipality": other_municipality,
        "unit": unit,
        "leader": person_with_role(Role.UNIT_LEADER, unit, full_name="Anna Annenby"),
        "admin": person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality),
    }


def opt_in(municipality, share=True) -> ReportingSettings:
    settings_, _ = ReportingSettings.objects.update_or_create(
        municipality=municipality, defaults={"share_experiences": share}
    )
    return settings_


def write(actor, unit, title="Langvakter i helgene", *, publish=True, **overrides) -> Experience:
    fields = {
        "title": title,
        "theme": Theme.ROTA,
        "tried": "Åtte ansatte fikk langvakter annenhver helg.",
        "happened": "Sykefraværet gikk ned fra 9 til 6 prosent.",
        "learned": "Start med de som vil, og evaluer etter tre måneder.",
        "contact_role": "Verneombudet ved Solsiden",
    }
    fields.update(overrides)
    experience = exp.experience_create(actor=actor, unit=unit, **fields)
    if publish:
        experience = exp.experience_publish(actor=actor, experience=experience)
    return experience


def won_measure(group, unit, title="Helsefagarbeidere skifter smerteplaster"):
    """A kept measure marked as a win (R28)."""
    from trepart.measures import services

    measure = measure_at(group, unit, Stage.DECIDED, title=title)
    measure = services.complete(actor=group["leader"], measure=measure, comment="Innført.")
    return services.win_mark(
        actor=group["leader"], measure=measure, story="Sykepleierne fikk mer tid."
    )
