"""The extension points that tell higher apps about changes fire after commit, and only then:
ROLES_CHANGED (R5/R6: vacancies and newcomers) and MINUTES_PUBLISHED (R19: tell the members)."""

import datetime
from collections import defaultdict

import pytest

from tests.factories import UnitFactory, UserFactory, give_role, person_with_role
from trepart.core import hooks
from trepart.organisation import services
from trepart.organisation.models import Role


@pytest.fixture
def recorded(monkeypatch):
    calls = []
    registry = defaultdict(list, {k: list(v) for k, v in hooks._registry.items()})
    registry[hooks.ROLES_CHANGED] = [lambda assignment, change: calls.append((assignment, change))]
    monkeypatch.setattr(hooks, "_registry", registry)
    return calls


@pytest.mark.django_db(transaction=True)
def test_roles_changed_fires_after_commit_for_start_and_end(recorded):
    unit = UnitFactory()
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=unit.municipality)
    person = UserFactory(municipality=unit.municipality)
    assignment = services.role_assign(
        actor=admin,
        municipality=unit.municipality,
        person=person,
        role=Role.SAFETY_REP,
        unit=unit,
        starts_on=datetime.date(2026, 1, 1),
    )
    assert recorded == [(assignment, "started")]
    services.role_end(actor=admin, assignment=assignment, ends_on=datetime.date.today())
    assert [c for _, c in recorded] == ["started", "ended"]


@pytest.mark.django_db
def test_roles_changed_does_not_fire_when_the_transaction_is_rolled_back(recorded):
    # In a test transaction that never commits, on_commit callbacks never run.
    unit = UnitFactory()
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=unit.municipality)
    give_role(UserFactory(municipality=unit.municipality), Role.EMPLOYEE, unit)
    services.role_assign(
        actor=admin,
        municipality=unit.municipality,
        person=UserFactory(municipality=unit.municipality),
        role=Role.SAFETY_REP,
        unit=unit,
        starts_on=datetime.date(2026, 1, 1),
    )
    assert recorded == []
