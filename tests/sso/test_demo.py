import pytest

from tests.factories import MunicipalityFactory
from trepart.demo.sso import load
from trepart.sso.models import IdentityProvider

pytestmark = pytest.mark.django_db


def test_demo_provider_is_disabled_and_idempotent():
    municipality = MunicipalityFactory(name="Fjordvik kommune")
    load(municipality)
    load(municipality)
    provider = IdentityProvider.objects.get()
    assert provider.municipality == municipality and not provider.enabled
