"""The demo administrator can pass the second factor without an authenticator app (issue 13):
`manage.py demo_code` prints the current code of the demo's public key, and that code lets the
administrator in (wrong codes: tests/sso)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from trepart.demo.organisation import load_demo
from trepart.demo.second_factor import current_code, load

pytestmark = pytest.mark.django_db


def test_demo_code_opens_the_administration_pages():
    municipality = load_demo()
    load(municipality)
    load(municipality)  # idempotent
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    email, code = current_code()
    assert f"{email}: {code}" in out.getvalue()

    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": email, "password": "trepart-demo"}
    )
    assert response.status_code == 302
    response = client.get(reverse("organisation:manage"))
    assert response.status_code == 302 and "/sso/second-factor/" in response["Location"]
    response = client.post(reverse("sso:second_factor"), {"code": code, "next": "/manage/"})
    assert response.status_code == 302
    assert client.get(reverse("organisation:manage")).status_code == 200


def test_demo_code_without_the_demo_says_what_to_do():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("demo_code", stdout=io.StringIO())
