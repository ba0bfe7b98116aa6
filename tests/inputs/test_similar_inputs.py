"""P3: while triaging, similar earlier inputs of the unit are suggested with their answers, so
the group answers consistently (R21) – Norwegian stemming, same unit only, never hidden input or
private messages to the leader."""

from django.urls import reverse

from tests.factories import UnitFactory
from tests.inputs.conftest import logged_in, submit
from trepart.inputs import selectors, services
from trepart.inputs.similarity import score, stems

EARLIER = "Vi trenger flere langvakter i helgene"
NEW = "Kan vi prøve langvakt i helg? Turnusen er tung"
UNRELATED = "Kaffemaskinen er ødelagt"
ANSWER = "Vi prøver langvakter annenhver helg fra mars og evaluerer i juni."


def _similar(item):
    return [s["input"] for s in selectors.similar_inputs(item)]


def test_similarity_stems_norwegian_words():
    assert {"langvakt", "helg"} <= stems(EARLIER) & stems(NEW)
    assert not stems(EARLIER) & stems(UNRELATED)
    assert "vi" not in stems(EARLIER)  # stop words say nothing about the topic
    assert score(stems(EARLIER), stems(NEW)) > 0.25
    assert score(stems(EARLIER), stems(UNRELATED)) == 0


def test_similar_inputs_finds_the_earlier_one_with_its_answer(unit, leader):
    earlier, _ = submit(unit, EARLIER)
    services.input_close(actor=leader, item=earlier, status="answered", answer=ANSWER)
    unrelated, _ = submit(unit, UNRELATED)
    new, _ = submit(unit, NEW)
    (suggestion,) = selectors.similar_inputs(new)
    assert suggestion["input"] == earlier
    # the shared words, the weightiest first: a matter (langvakt) before a time (helg)
    assert suggestion["shared"] == ["langvakt", "helg"]
    assert 25 <= suggestion["score"] <= 100
    assert _similar(unrelated) == []
    assert _similar(earlier) == [new]

    body = logged_in(leader).get(reverse("inputs:input_detail", args=[new.pk])).content.decode()
    assert reverse("inputs:input_detail", args=[earlier.pk]) in body
    assert ANSWER in body
    assert "langvakt; helg" in body  # semicolons: a label may be "for få folk ≈ bemanning"
    assert reverse("inputs:input_detail", args=[unrelated.pk]) not in body


def test_similar_inputs_only_within_the_unit(unit, municipality, leader):
    neighbour = UnitFactory(municipality=municipality)
    submit(neighbour, EARLIER)
    new, _ = submit(unit, NEW)
    assert _similar(new) == []


def test_similar_inputs_page_explains_near_synonyms_in_each_texts_words(unit, leader):
    """Issue 10: the group sees why two inputs are similar even when they use different words
    for the same matter (compounds, near-synonyms)."""
    earlier, _ = submit(unit, "Vi er for få folk på kveldsvakt i helgene")
    new, _ = submit(unit, "Bemanningen på kveld er for lav, spesielt lørdag og søndag")
    (suggestion,) = selectors.similar_inputs(new)
    assert suggestion["input"] == earlier
    # matter first; then a word both use (kveld, also inside "kveldsvakt"); then lørdag ≈ helg
    assert suggestion["shared"] == ["bemanning ≈ for få folk", "kveld", "lørdag ≈ helg"]
    body = logged_in(leader).get(reverse("inputs:input_detail", args=[new.pk])).content.decode()
    assert "bemanning ≈ for få folk" in body


def test_similar_inputs_are_not_shown_to_staff_outside_the_group(unit, employee):
    """The suggestions are for the group's triage only: the submitter reading their own input
    sees no other inputs."""
    submit(unit, "Vi er for få folk på kveldsvakt i helgene")
    own, _ = submit(unit, "Bemanningen på kveld er for lav i helgene", author=employee)
    response = logged_in(employee).get(reverse("inputs:input_detail", args=[own.pk]))
    assert response.status_code in (200, 403, 404)
    assert "similar-heading" not in response.content.decode()
    assert "for få folk" not in response.content.decode()


def test_similar_inputs_exclude_hidden_and_leader_private(unit, leader):
    hidden, _ = submit(unit, EARLIER)
    services.input_hide(actor=leader, item=hidden, reason="Dobbelt")
    private, _ = submit(unit, EARLIER + " – og jeg vil ha høyere lønn", to_leader=True)
    new, _ = submit(unit, NEW)
    assert _similar(new) == []
    body = logged_in(leader).get(reverse("inputs:input_detail", args=[new.pk])).content.decode()
    assert reverse("inputs:input_detail", args=[private.pk]) not in body
    assert reverse("inputs:input_detail", args=[hidden.pk]) not in body


def test_similar_inputs_best_first_and_at_most_five(unit):
    items = [submit(unit, f"Langvakt i helgene på post {i}")[0] for i in range(7)]
    best, _ = submit(unit, "Langvakter i helg og turnus som er tung")
    new, _ = submit(unit, NEW)
    found = _similar(new)
    assert len(found) == 5
    assert found[0] == best
    assert set(found[1:]) <= set(items)


def test_similar_inputs_none_for_text_without_content_words(unit):
    submit(unit, EARLIER)
    new, _ = submit(unit, "Vi er her nå")
    assert new.stems == ""
    assert selectors.similar_inputs(new) == []
