"""The Norwegian match rule and the highlighting, without a database (decision 0005)."""

from trepart.search import matching


def found(query: str, text: str) -> bool:
    q = matching.parse(query)
    terms = matching.terms(text)
    return bool(matching.score(q, "", terms))


def test_inflected_forms_meet_in_one_stem():
    for text in ("vakta", "vakten", "vaktene", "vakter", "Vaktenes"):
        assert found("vakter", text), text
        assert found("vakt", text), text


def test_compounds_are_found_by_their_last_part():
    for text in ("nattevakt", "nattevakta", "kveldsvakter", "helgevaktene"):
        assert found("vakt", text), text
        assert found("vaktene", text), text
    assert found("turnus", "arbeidsturnusen")


def test_typing_as_you_go_finds_the_whole_word():
    assert found("natteva", "nattevaktene")
    assert found("bem", "bemanningen")


def test_short_words_are_not_searched_inside_compounds():
    # "tur" (three letters) only begins a word; it is not looked for inside "natturnus".
    assert not found("tur", "natturnus")
    assert found("tur", "turnus")


def test_a_compound_part_needs_a_real_first_part():
    # Rule 2 starts at the fourth letter: "vakt" is not inside "avakt" as a compound.
    assert not found("vakt", "avakter")


def test_every_word_must_match():
    assert found("vakt natt", "Nattevakta var lang")
    assert not found("vakt sommer", "Nattevakta var lang")


def test_stop_words_are_neither_indexed_nor_searched():
    assert not matching.parse("og det i")
    assert matching.terms("og det i vakta") == "vakt"
    assert matching.parse("vakt og natt").words == ("vakt", "natt")


def test_tails_are_the_compound_ends():
    assert matching.tails("nattevakt") == "tevakt evakt vakt"
    assert matching.tails("vakt") == ""


def test_highlight_marks_matching_words_and_escapes_everything_else():
    q = matching.parse("vakt")
    html = matching.highlight("<script>alert(1)</script> Nattevakta & <b>vakter</b>", q)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Nattevakta</mark>" in html
    assert "<mark>vakter</mark>" in html
    assert html.count("<mark>") == 2


def test_snippet_is_cut_around_the_first_match():
    text = "Innledning. " * 40 + "Her står det om nattevakta. " + "Slutt. " * 40
    snippet = matching.snippet(text, matching.parse("vakt"))
    assert "<mark>nattevakta</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 320
