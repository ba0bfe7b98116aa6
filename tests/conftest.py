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


def client_for(user, second_factor=True, **client_kwargs) -> Client:
    """A client logged in as ``user`` with a password. A municipal admin has also passed the
    second factor (issue 13), as they must before the administration pages; pass
    ``second_factor=False`` to test the refusal."""
    client = Client(**client_kwargs)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if second_factor:
        pass_second_factor(client, user)
    return client


def pass_second_factor(client, user) -> None:
    """Mark the client's session as having passed the second factor when ``user`` is a
    municipal admin (issue 13), with an authenticator device made for the test."""
    from trepart.organisation.permissions import is_municipal_admin

    if not is_municipal_admin(user):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


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


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Issue 14: figures kept per process (trepart.core.freshness, the steering overview) must
    not leak from one test into the next, whose rows may reuse the same primary keys."""
    from trepart.core import freshness
    from trepart.reporting import overview_cache

    freshness.clear()
    overview_cache.clear()
    yield


@pytest.fixture(autouse=True)
def _national_union_catalogue(request):
    """The national union catalogue comes from a data migration. A test that runs in real
    transactions (a live server for the browser) ends by emptying every table; with one
    pytest-xdist worker per core a later test on the same worker would find no unions. Put the
    catalogue back where a test uses the database and it is missing (one query per test)."""
    if request.node.get_closest_marker("django_db") is None and not (
        {"db", "transactional_db"} & set(request.fixturenames)
    ):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from trepart.organisation.catalogue import ensure_catalogue
    from trepart.organisation.models import Union

    if not Union.objects.filter(municipality=None).exists():
        ensure_catalogue()
    yield
