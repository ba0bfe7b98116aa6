"""Bad input on the forms: empty, too long, markup. Nothing half-stored; text kept; markup shown
as text everywhere (P3, R23: the channel must be easy and safe)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.inputs.conftest import link_url, logged_in, phone, receipt_url, submit
from trepart.inputs import services
from trepart.inputs.models import MAX_TEXT_LENGTH, Input

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.parametrize("text", ["", "   \n  "], ids=["empty", "blank"])
def test_input_text_required(unit, text):
    response = phone().post(link_url(unit), {"text": text})
    assert response.status_code == 200
    assert "Write your input before sending." in response.content.decode()
    assert not Input.objects.exists()


def test_input_text_too_long_says_the_length_and_keeps_the_text(unit):
    typed = ("Lang tekst om turnus. " * 100)[:2100]
    assert len(typed) == 2100
    response = phone().post(link_url(unit), {"text": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The input is 2100 characters long. Keep it under 2000 characters." in body
    assert typed in body  # nothing lost: the person shortens it themselves
    assert "maxlength" not in body.split('name="text"')[1].split(">")[0]
    assert not Input.objects.exists()


def test_input_text_at_the_limit_is_accepted(unit):
    response = phone().post(link_url(unit), {"text": "x" * MAX_TEXT_LENGTH})
    assert response.status_code == 302
    assert len(Input.objects.get().text) == MAX_TEXT_LENGTH


def test_input_text_too_long_refused_by_the_service_too(unit, employee):
    with pytest.raises(ValidationError) as exc:
        submit(unit, "y" * (MAX_TEXT_LENGTH + 1), author=employee)
    assert exc.value.code == "too_long"
    with pytest.raises(ValidationError):
        submit(unit, "  ")
    with pytest.raises(ValidationError):
        submit(unit, "Gyldig tekst", category="no-such-category")
    assert not Input.objects.exists()


def test_input_logged_in_empty_text_is_a_form_error(unit, employee):
    response = logged_in(employee).post(reverse("inputs:input_new"), {"unit": unit.pk, "text": ""})
    assert response.status_code == 200
    assert "Write your input before sending." in response.content.decode()
    assert not Input.objects.exists()


def test_input_markup_is_stored_raw_and_shown_escaped(unit, leader):
    """Markup is kept exactly as typed and rendered as text on the receipt, the group's list
    and detail pages (also in an answer)."""
    response = phone().post(link_url(unit), {"text": SCRIPT})
    assert response.status_code == 302
    item = Input.objects.get()
    assert item.text == SCRIPT
    receipt = phone().get(response["Location"]).content.decode()
    assert ESCAPED in receipt and SCRIPT not in receipt

    group = logged_in(leader)
    detail = group.get(reverse("inputs:input_detail", args=[item.pk])).content.decode()
    assert ESCAPED in detail and SCRIPT not in detail
    listing = group.get(reverse("inputs:unit_inputs", args=[unit.pk])).content.decode()
    assert ESCAPED in listing and SCRIPT not in listing

    services.input_close(actor=leader, item=item, status="answered", answer=f"Svar {SCRIPT}")
    receipt = phone().get(receipt_url(response["Location"].split("/")[2])).content.decode()
    assert receipt.count(ESCAPED) == 2 and SCRIPT not in receipt
