"""The pulse's pages keep a fixed number of queries as periods and answers grow
(ARCHITECTURE rule 4)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role
from tests.query_counts import assert_same_counts, measure
from tests.surveys.test_pulse import group_of, pulse_with
from trepart.organisation.models import Role
from trepart.surveys import pulse, services_pulse

pytestmark = pytest.mark.django_db
D = datetime.date


def _pages(unit, members, director, politician):
    return [
        ("member", "trends", reverse("surveys:pulse_unit", args=[unit.pk])),
        ("member", "answer", reverse("surveys:pulse_answer", args=[unit.pk])),
        ("member", "home", reverse("home:home")),
        ("member", "unit", reverse("organisation:unit_detail", args=[unit.pk])),
        ("director", "trends", reverse("surveys:pulse_unit", args=[unit.pk])),
        ("politician", "overview", reverse("reporting:overview")),
    ]


def _clients(members, director, politician):
    return {
        "member": client_for(members[0]),
        "director": client_for(director),
        "politician": client_for(politician),
    }


def test_pulse_pages_use_the_same_number_of_queries_with_more_periods(municipality):
    unit = UnitFactory(municipality=municipality, name="Solsiden")
    other = UnitFactory(municipality=municipality, name="Lia")
    members = group_of(unit, 7)
    others = group_of(other, 6)
    director = person_with_role(Role.ADMINISTRATION, municipality=municipality)
    politician = person_with_role(Role.POLITICIAN, municipality=municipality, side="position")
    today = datetime.date.today()
    services_pulse.pulse_open(unit, pulse.period_for(today), today=today)
    pulse_with(unit, members[:5], D(2024, 2, 1), text="Første")
    pulse_with(other, others[:5], D(2024, 2, 1))
    clients = _clients(members, director, politician)
    pages = _pages(unit, members, director, politician)
    few = measure(clients, pages)

    for n, day in enumerate(
        [D(2024, 5, 1), D(2024, 8, 1), D(2024, 11, 1), D(2025, 2, 1), D(2025, 5, 1)]
    ):
        pulse_with(unit, members[: 4 + n % 3], day, value=lambda i: 1 + i % 5, text="Mer")
        pulse_with(other, others[: 2 + n], day, value=3)
    many = measure(clients, pages)
    assert_same_counts(few, many)
