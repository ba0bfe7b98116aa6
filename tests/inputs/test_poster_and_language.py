"""P3, R23: the channel must be easy and visible – a printable QR poster for the break room.
P8: anonymous pages speak the municipality's language when nobody chose one."""

from django.conf import settings
from django.urls import reverse

from tests.inputs.conftest import link_url, logged_in, phone, receipt_url, submit
from trepart.inputs import exports, services


def test_input_poster_pdf_for_the_party_group(unit, leader):
    response = logged_in(leader).get(reverse("inputs:poster_pdf", args=[unit.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert "innspill-Solsiden sykehjem.pdf" in response["Content-Disposition"]


def test_input_poster_html_has_the_link_and_a_qr_code(unit):
    url = settings.SITE_URL + link_url(unit)
    html = exports.poster_html(unit, url)
    assert url in html
    assert "<svg" in html
    assert unit.name in html and unit.municipality.name in html


def test_input_poster_follows_the_renewed_link(unit, leader):
    old = settings.SITE_URL + link_url(unit)
    services.input_link_renew(actor=leader, unit=unit)
    new = settings.SITE_URL + link_url(unit)
    html = exports.poster_html(unit, new)
    assert new in html and old not in html


def _nynorsk(municipality):
    municipality.default_language = "nn"
    municipality.save()


def test_input_anonymous_form_speaks_the_municipalitys_language(unit, municipality):
    """P8: without a language cookie the link opens in nynorsk for a nynorsk municipality."""
    _nynorsk(municipality)
    body = phone(language=None).get(link_url(unit)).content.decode()
    assert '<html lang="nn"' in body
    assert "Hopp til hovudinnhaldet" in body


def test_input_receipt_speaks_the_municipalitys_language(unit, municipality):
    _nynorsk(municipality)
    _item, code = submit(unit)
    body = phone(language=None).get(receipt_url(code)).content.decode()
    assert '<html lang="nn"' in body


def test_input_anonymous_form_chosen_language_wins(unit, municipality):
    _nynorsk(municipality)
    body = phone(language="nb").get(link_url(unit)).content.decode()
    assert '<html lang="nb"' in body
    assert "Hopp til hovedinnholdet" in body


def test_input_anonymous_form_bokmal_by_default(unit):
    """A bokmål municipality (the default), whatever the phone's browser asks for."""
    client = phone(language=None)
    body = client.get(link_url(unit), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="nb"' in body
