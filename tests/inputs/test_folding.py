"""Issue 10 (R20, P3): near-duplicate folding. The same or nearly the same anonymous text sent
again to a unit the same day is not listed anew: it is folded into the earlier open input, the
group sees "sent N times", and the repeat's own receipt code follows the earlier input."""

import pytest
from django.urls import reverse

from tests.factories import UnitFactory
from tests.inputs.conftest import TEXT, age, link_url, logged_in, phone, receipt_url, submit
from trepart.inputs import folding, services
from trepart.inputs.models import Input, InputReceipt

LONG = "Vi trenger flere langvakter i helgene fordi det blir for mange vaktskifter på søndager"


@pytest.mark.parametrize(
    "a, b, folds",
    [
        (TEXT, TEXT, True),
        (TEXT, "  vi TRENGER flere langvakter, i helgene!!  ", True),  # case, punctuation
        (LONG, LONG.replace("mange", "mange mange"), True),  # one word in 16 added
        (LONG, LONG.replace("søndager", "lørdager"), True),  # one word in 15 changed
        (LONG, LONG + " 17", True),  # a script's counter
        (LONG, LONG.replace("Vi trenger", "Vi trenger ikke"), False),  # negation
        (LONG, LONG.replace("det blir", "det blir aldri"), False),
        (TEXT, TEXT.replace("helgene", "ukedagene"), False),  # short: one word in 6
        (LONG, "Kantina bør ha åpent lenger på kveldstid", False),
        (LONG, LONG + " og dessuten trenger vi nye senger", False),
        ("", "", True),
        (TEXT, "", False),
    ],
)
def test_folding_nearly_same_rule(a, b, folds):
    assert folding.nearly_same(folding.words(a), folding.words(b)) is folds
    assert folding.nearly_same(folding.words(b), folding.words(a)) is folds


def test_folding_repeat_is_folded_and_its_code_follows_the_first(unit, leader):
    first, first_code = submit(unit, LONG)
    again, again_code = submit(unit, LONG.lower() + "!")
    assert again.pk == first.pk and again_code != first_code
    assert Input.objects.count() == 1
    first.refresh_from_db()
    assert first.sent_count == 2
    assert InputReceipt.objects.get().receipt_hash == services.receipt_hash(again_code)
    assert first.receipt_hash == services.receipt_hash(first_code)  # unchanged

    services.input_close(actor=leader, item=first, status="answered", answer="Vi ser på det.")
    client = phone()
    for code in (first_code, again_code):
        body = client.get(receipt_url(code)).content.decode()
        assert "Vi ser på det." in body and LONG in body
    folded_page = client.get(receipt_url(again_code)).content.decode()
    assert "The group gets it as one input, sent 2 times" in folded_page
    assert "The text the group reads" in folded_page
    assert (
        "The group gets it as one input" not in client.get(receipt_url(first_code)).content.decode()
    )
    lookup = client.post(reverse("inputs:receipt_lookup"), {"code": again_code.lower()})
    assert lookup.status_code == 302 and lookup["Location"] == receipt_url(again_code)


def test_folding_through_the_link_gives_every_sender_a_receipt(unit):
    client = phone()
    locations = []
    for _ in range(3):
        response = client.post(link_url(unit), {"text": LONG})
        assert response.status_code == 302
        locations.append(response["Location"])
        assert client.get(response["Location"]).status_code == 200
    assert len(set(locations)) == 3
    item = Input.objects.get()
    assert item.sent_count == 3 and item.folded_receipts.count() == 2


def test_folding_group_sees_sent_n_times(unit, leader):
    item, _code = submit(unit, LONG)
    submit(unit, LONG)
    submit(unit, LONG)
    client = logged_in(leader)
    listing = client.get(reverse("inputs:unit_inputs", args=[unit.pk])).content.decode()
    assert "Sent 3 times" in listing
    assert listing.count(item.title) == 1
    assert (
        "Sent 3 times"
        in client.get(reverse("inputs:input_detail", args=[item.pk])).content.decode()
    )


def test_folding_only_what_it_should(unit, municipality, employee, leader):
    """Never folded: named input, a private message to the leader, another unit's input, an
    input from another day, a closed or hidden one."""
    named, _ = submit(unit, LONG, author=employee)
    anonymous, _ = submit(unit, LONG)
    assert anonymous.pk != named.pk  # a named input is not a fold target
    named_again, _ = submit(unit, LONG, author=employee)
    assert named_again.pk not in (named.pk, anonymous.pk)  # and named input is never folded

    private, _ = submit(unit, LONG, to_leader=True)
    assert private.pk != anonymous.pk and private.sent_count == 1

    other = UnitFactory(municipality=municipality)
    elsewhere, _ = submit(other, LONG)
    assert elsewhere.pk != anonymous.pk

    age(anonymous, 1)
    tomorrow, _ = submit(unit, LONG)
    assert tomorrow.pk != anonymous.pk

    services.input_close(actor=leader, item=tomorrow, status="answered", answer="Svar.")
    after_closed, _ = submit(unit, LONG)
    assert after_closed.pk != tomorrow.pk

    services.input_hide(actor=leader, item=after_closed, reason="Dobbelt.")
    after_hidden, _ = submit(unit, LONG)
    assert after_hidden.pk != after_closed.pk
    assert not InputReceipt.objects.exists()
    assert set(Input.objects.values_list("sent_count", flat=True)) == {1}


def test_folding_leaves_no_trace_of_the_repeat(unit):
    """A folded repeat stores only its code's hash: no text, date, time or sequence."""
    submit(unit, LONG)
    _item, code = submit(unit, LONG + " 2")
    receipt = InputReceipt.objects.get()
    fields = {f.name for f in InputReceipt._meta.concrete_fields}
    assert fields == {"receipt_hash", "input"}
    assert receipt.pk == services.receipt_hash(code) and code not in receipt.pk
