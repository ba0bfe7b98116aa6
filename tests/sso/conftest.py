import pytest

from tests.factories import UserFactory, give_role
from tests.sso.fake_provider import FakeProvider
from trepart.organisation.models import Role
from trepart.sso.models import IdentityProvider


@pytest.fixture
def op(settings):
    # The fake provider runs on 127.0.0.1, which production refuses (no requests into
    # Trepart's own network); tests allow it here, never in the settings files.
    settings.SSO_ALLOW_PRIVATE_HOSTS = True
    with FakeProvider() as provider:
        yield provider


@pytest.fixture
def provider(op, municipality):
    return IdentityProvider.objects.create(
        municipality=municipality,
        kind=IdentityProvider.Kind.ENTRA_ID,
        label="Fjordby kommune (Entra ID)",
        issuer=op.issuer,
        client_id=op.client_id,
        client_secret=op.client_secret,
        enabled=True,
    )


@pytest.fixture
def kari(unit):
    person = UserFactory(
        municipality=unit.municipality, email="kari@example.test", full_name="Kari Nordmann"
    )
    give_role(person, Role.EMPLOYEE, unit)
    return person
