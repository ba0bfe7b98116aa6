import pytest
from django.test import Client

from tests.factories import MunicipalityFactory, UnitFactory, person_with_role
from trepart.organisation.models import Role


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Fjordby kommune")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Annenby kommune")


@pytest.fixture
def unit(municipality):
    return UnitFactory(municipality=municipality, name="Solsiden sykehjem")


@pytest.fixture
def admin_user(municipality):
    return person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)


@pytest.fixture
def employee(unit):
    return person_with_role(Role.EMPLOYEE, unit)


@pytest.fixture
def local_rep(unit):
    return person_with_role(Role.LOCAL_UNION_REP, unit)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client_(admin_user):
    return client_for(admin_user)


@pytest.fixture
def reminder_jobs_only(monkeypatch):
    """For tests of the reminder jobs of `send_reminders`/`daily`. Later capabilities'
    daily jobs (the cooperation pulse, handovers) send their own mail to the same people; the
    whole set is tested in tests/core/test_daily_command.py."""
    from collections import defaultdict

    from trepart.core import hooks

    keep = ("trepart.meetings", "trepart.measures", "trepart.reporting")
    registry = defaultdict(list, {k: list(v) for k, v in hooks._registry.items()})
    registry[hooks.DAILY_JOBS] = [
        fn for fn in registry[hooks.DAILY_JOBS] if fn.__module__.startswith(keep)
    ]
    monkeypatch.setattr(hooks, "_registry", registry)
