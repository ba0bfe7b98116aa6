"""The demo token (trepart/demo/api.py): a description only, made once."""

from tests.api.conftest import ApiClient
from tests.factories import MunicipalityFactory, UserFactory
from trepart.api.models import ApiToken
from trepart.demo.api import PERSON, load_api_demo


def test_demo_token_is_made_once_and_lists_on_the_own_page(db):
    municipality = MunicipalityFactory(name="Fjordvik kommune")
    person = UserFactory(municipality=municipality, full_name=PERSON)
    assert load_api_demo(municipality) == 1
    assert load_api_demo(municipality) == 0
    token = ApiToken.objects.get(person=person)
    assert token.is_usable() and token.scope_list == ["read"]
    # Its secret was never kept: nothing can use it.
    assert ApiClient("trp_" + token.prefix[4:]).get("/me").status_code == 401


def test_demo_without_the_person_makes_nothing(db):
    assert load_api_demo(MunicipalityFactory()) == 0
