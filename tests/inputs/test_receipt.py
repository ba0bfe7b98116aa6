"""P3: an anonymous submitter follows the status and reads the answer (R21) with a receipt code.
The code is accepted however it is typed, an unknown code reveals nothing, a receipt shows only
its own input, and wrong codes are rate limited."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import MunicipalityFactory, UnitFactory
from tests.inputs.conftest import TEXT, link_url, phone, receipt_url, submit
from trepart.core import ratelimit
from trepart.core.ratelimit import Rate
from trepart.inputs import services


def _spaced(code: str) -> str:
    return services.format_receipt_code(code)


def test_receipt_redirect_after_sending_shows_text_status_and_code(unit):
    client = phone()
    response = client.post(link_url(unit), {"text": TEXT})
    assert response.status_code == 302
    match = re.fullmatch(r"/r/([A-Z2-9]{12})/\?sent=[A-Za-z0-9_-]+", response["Location"])
    assert match, response["Location"]
    code = match.group(1)
    assert set(code) <= set(services.RECEIPT_ALPHABET)
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "Thank you – your input is sent" in body
    assert TEXT in body
    assert ">New</span>" in body
    assert _spaced(code) in body  # shown as XXXX-XXXX-XXXX
    assert "Solsiden sykehjem" in body and "Fjordby kommune" in body
    # Without ?sent=1 the thank-you is not repeated.
    assert "Thank you" not in client.get(receipt_url(code)).content.decode()


def test_receipt_shows_status_and_published_answer(unit, leader):
    """R21: the submitter reads the status and the reasoned answer."""
    item, code = submit(unit)
    client = phone()
    services.input_consider(actor=leader, item=item)
    assert ">Under consideration</span>" in client.get(receipt_url(code)).content.decode()
    services.input_close(
        actor=leader, item=item, status="not_taken_up", answer="Turnusen er låst til august."
    )
    body = client.get(receipt_url(code)).content.decode()
    assert ">Not taken up</span>" in body
    assert "Turnusen er låst til august." in body


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: _spaced(code).lower(),  # abcd-efgh-jkmn
        lambda code: " " + " ".join(code[i : i + 4] for i in range(0, 12, 4)).lower() + " ",
        lambda code: code,
    ],
    ids=["lower-dashes", "spaces", "plain"],
)
def test_receipt_lookup_accepts_code_in_any_case_with_dashes_or_spaces(unit, typed):
    item, code = submit(unit)
    response = phone().post(reverse("inputs:receipt_lookup"), {"code": typed(code)})
    assert response.status_code == 302
    assert response["Location"] == receipt_url(code)


def test_receipt_page_accepts_lower_case_dashed_code_in_the_address(unit):
    _item, code = submit(unit)
    response = phone().get(receipt_url(_spaced(code).lower()))
    assert response.status_code == 200
    body = response.content.decode()
    assert TEXT in body and _spaced(code) in body


def test_receipt_unknown_code_is_404_and_reveals_nothing(unit):
    """P3: a wrong code gets the same page as a mistyped one: no unit, no municipality."""
    submit(unit)
    client = phone()
    response = client.get(receipt_url("ABCDEFGHJKMN"))
    assert response.status_code == 404
    body = response.content.decode()
    for secret in ("Solsiden sykehjem", "Fjordby kommune", TEXT):
        assert secret not in body
    assert "We found no input with this code" in body

    response = client.post(reverse("inputs:receipt_lookup"), {"code": "abcd-efgh-jkmn"})
    assert response.status_code == 200
    body = response.content.decode()
    for secret in ("Solsiden sykehjem", "Fjordby kommune", TEXT):
        assert secret not in body
    assert "We found no input with this code" in body


def test_receipt_empty_code_is_a_form_error(unit):
    response = phone().post(reverse("inputs:receipt_lookup"), {"code": ""})
    assert response.status_code == 200
    assert "Write the receipt code." in response.content.decode()


def test_receipt_shows_only_its_own_input(unit, municipality):
    """A receipt of one input never shows another's text, whether that input is at the same
    unit, another unit of the municipality or another municipality."""
    neighbour = UnitFactory(municipality=municipality, name="Nordsiden barnehage")
    elsewhere = UnitFactory(
        municipality=MunicipalityFactory(name="Annenby kommune"), name="Annenby skole"
    )
    a, code_a = submit(unit, "Innspill A om vaktlister")
    _b, code_b = submit(unit, "Innspill B om kantina")
    _c, code_c = submit(neighbour, "Innspill C om parkering")
    _d, code_d = submit(elsewhere, "Innspill D om garderober")
    client = phone()
    pages = {
        code: client.get(receipt_url(code)).content.decode()
        for code in (code_a, code_b, code_c, code_d)
    }
    texts = {
        code_a: "Innspill A",
        code_b: "Innspill B",
        code_c: "Innspill C",
        code_d: "Innspill D",
    }
    for code, body in pages.items():
        for other_code, text in texts.items():
            assert (text in body) == (code == other_code), (code, text)
    assert "Annenby" not in pages[code_a] and "Nordsiden" not in pages[code_a]
    assert "Fjordby" not in pages[code_d] and "Solsiden" not in pages[code_d]


def test_receipt_wrong_codes_are_limited_and_reveal_nothing(unit, settings, steady_clock):
    """P3, issue 10: after RECEIPT_FAILURE_RATES wrong codes, further wrong codes get 429 (by
    address or by form), still showing nothing of any input; the next window opens again."""
    settings.RECEIPT_FAILURE_RATES = [(3, 600)]
    _item, code = submit(unit)
    client = phone()
    assert client.get(receipt_url("ABCDEFGHJKMN")).status_code == 404
    wrong = client.post(reverse("inputs:receipt_lookup"), {"code": "BCDEFGHJKMNP"})
    assert wrong.status_code == 200
    assert client.get(receipt_url("CDEFGHJKMNPQ")).status_code == 404

    limited = client.get(receipt_url("DEFGHJKMNPQR"))
    assert limited.status_code == 429
    body = limited.content.decode()
    assert TEXT not in body and "Solsiden" not in body
    assert "Many wrong codes have been tried just now" in body
    assert "a correct code is always shown" in body
    lookup = client.post(reverse("inputs:receipt_lookup"), {"code": "EFGHJKMNPQRS"})
    assert lookup.status_code == 429
    assert TEXT not in lookup.content.decode()
    assert "EFGHJKMNPQRS" in lookup.content.decode()  # what was typed stays

    # The next window opens again.
    steady_clock["now"] += datetime.timedelta(seconds=600)
    assert client.get(receipt_url("ABCDEFGHJKMN")).status_code == 404


def test_receipt_correct_code_is_answered_during_a_wrong_code_flood(unit, settings, steady_clock):
    """Issue 10: a lookup with a correct code is always answered, whatever flood of wrong codes
    goes on elsewhere; only wrong codes are counted."""
    settings.RECEIPT_FAILURE_RATES = [(30, 600)]
    item, code = submit(unit)
    attacker = phone()
    for _ in range(200):
        attacker.get(receipt_url(services.new_receipt_code()))
    assert attacker.get(receipt_url(services.new_receipt_code())).status_code == 429

    colleague = phone()
    page = colleague.get(receipt_url(code))
    assert page.status_code == 200 and TEXT in page.content.decode()
    typed = colleague.post(reverse("inputs:receipt_lookup"), {"code": _spaced(code).lower()})
    assert typed.status_code == 302 and typed["Location"] == receipt_url(code)
    # Correct lookups are not counted against the wrong-code limit.
    assert ratelimit.count("receipt-failures", Rate(30, 600)) == 201


def test_receipt_just_sent_is_shown_while_lookups_are_limited(unit, settings, steady_clock):
    """P3: 'an anonymous submitter gets a receipt code'. Anyone can use up the platform-wide
    wrong-code limit (30 per 10 minutes by default); someone sending an input meanwhile is
    still shown their code (a correct code is always answered)."""
    settings.RECEIPT_FAILURE_RATES = [(3, 600)]
    client = phone()
    for _ in range(3):
        assert client.get(receipt_url("ABCDEFGHJKMN")).status_code == 404
    sent = client.post(link_url(unit), {"text": TEXT})
    assert sent.status_code == 302
    code = sent["Location"].split("/")[2]
    page = client.get(sent["Location"])
    assert page.status_code == 200
    assert _spaced(code) in page.content.decode()
