"""A person's own page (P8): their language, and what other apps add to it."""

import pytest
from django.conf import settings
from django.template import Template
from django.urls import reverse
from django.utils import translation

from tests.conftest import client_for
from tests.factories import UserFactory
from trepart.accounts.services import language_of
from trepart.core import hooks

pytestmark = pytest.mark.django_db
URL = reverse("accounts:own_page")


def test_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_shows_the_person_and_the_municipality_default(employee):
    employee.municipality.default_language = "nn"
    employee.municipality.save()
    response = client_for(employee).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert employee.email in body
    # The municipality's default is the first choice, named.
    with translation.override("nn"):
        expected = f"({employee.municipality.get_default_language_display()})"
    assert expected in body


def test_own_language_wins_over_the_municipality_default(employee):
    """Nynorsk municipality, a person who prefers English: pages and e-mails follow the person."""
    employee.municipality.default_language = "nn"
    employee.municipality.save()
    client = client_for(employee)
    assert client.get(URL)["Content-Language"] == "nn"
    response = client.post(URL, {"language": "en"})
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.language == "en"
    assert language_of(employee) == "en"
    assert client.get(URL)["Content-Language"] == "en"
    # Empty again: back to the municipality's default.
    client.post(URL, {"language": ""})
    employee.refresh_from_db()
    assert employee.language == "" and language_of(employee) == "nn"
    assert client.get(URL)["Content-Language"] == "nn"


def test_saving_replaces_the_header_switch_choice(employee):
    client = client_for(employee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(URL, {"language": "nn"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert client.get(URL)["Content-Language"] == "nn"


@pytest.mark.parametrize("value", ["xx", "de", "nb" * 10, "<script>"])
def test_a_language_we_do_not_have_is_refused_in_norwegian(employee, value):
    response = client_for(employee).post(URL, {"language": value})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    employee.refresh_from_db()
    assert employee.language == ""


def test_other_apps_add_panels(employee, monkeypatch):
    from collections import defaultdict

    registry = defaultdict(list, {k: list(v) for k, v in hooks._registry.items()})
    panel = Template("<p>PANEL-MARK {{ panel.who }}</p>")
    registry[hooks.OWN_PAGE_PANELS] = [
        lambda user: [{"order": 1, "template": panel, "who": user.pk}]
    ]
    monkeypatch.setattr(hooks, "_registry", registry)
    assert f"PANEL-MARK {employee.pk}" in client_for(employee).get(URL).content.decode()


def test_platform_operator_without_municipality_can_open_it(db):
    operator = UserFactory(municipality=None)
    assert client_for(operator).get(URL).status_code == 200
