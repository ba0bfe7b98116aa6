"""Issue 10, P3: similar earlier inputs that people trust.

Matching handles inflection, compounds (kveldsvakt ~ vakt) and the near-synonyms of care and
kindergartens, and never links inputs on filler words. Measured on a labelled set of realistic
pairs (similarity_pairs.py) through the app's own path (similarity_measure.py), on SQLite by
default and on PostgreSQL's search under DATABASE_URL=postgres://…. The issue asks for
precision and recall of at least 0.8.
"""

import importlib
import io
import time

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection

from tests.inputs.conftest import submit
from tests.inputs.similarity_measure import load, measure
from tests.inputs.similarity_pairs import FRESH, HELD_OUT, PAIRS
from trepart.inputs import selectors
from trepart.inputs.models import Audience, Input
from trepart.inputs.similarity import analyse, explain, is_similar, rank, stems, stems_text

ALL = PAIRS + HELD_OUT + FRESH


def similar(a: str, b: str) -> bool:
    return is_similar(stems(a), stems(b))[0]


# --- the labelled set ------------------------------------------------------------------------


def test_labelled_set_is_large_realistic_and_balanced():
    assert len(ALL) >= 60
    share = sum(p.similar for p in ALL) / len(ALL)
    assert 0.4 <= share <= 0.6, share
    assert {p.setting for p in ALL} == {"sykehjem", "hjemmetjeneste", "barnehage"}
    texts = [t for p in ALL for t in (p.earlier, p.later)]
    assert len(set(texts)) >= len(texts) - 4  # hardly any text is reused


def test_precision_and_recall_on_the_labelled_set_through_the_app(municipality):
    """Issue 10: both at least 0.8, through services.input_submit and selectors.similar_inputs
    (PostgreSQL's search when the suite runs on PostgreSQL)."""
    result = measure(load(municipality, ALL))
    print(f"\n{connection.vendor}: {result}")
    for kind, pair in result.wrong:
        print(f"  {kind}: {pair.note}")
    assert result.precision >= 0.8, str(result)
    assert result.recall >= 0.8, str(result)


def test_database_search_loses_nothing(municipality):
    """The database's narrowing (PostgreSQL: full-text search and trigram word similarity) finds
    every input the shared rule would call similar: the suggestions equal the rule applied to
    all of the unit's inputs."""
    loaded = load(municipality, ALL)
    for _pair, _earlier, later in loaded:
        everything = Input.objects.filter(
            unit_id=later.unit_id, audience=Audience.GROUP, hidden=False
        ).exclude(pk=later.pk)
        expected = [c.pk for _s, _t, c in rank(set(later.stems.split()), everything, limit=None)]
        found = [s["input"].pk for s in selectors.similar_inputs(later, limit=None)]
        assert found == expected, later.text


# --- how words are read ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, parts",
    [
        ("kveldsvakt", {"kveld", "vakt"}),
        ("nattevaktene", {"natt", "vakt"}),
        ("turnusplanen", {"turnus", "plan"}),
        ("bleieskift", {"bleie", "skift"}),
        ("stellerommet", {"stell"}),
        ("baderomsgulv", {"bad", "gulv"}),
        ("matpausen", {"mat", "pause"}),
        ("personalmøtet", {"ansatt", "møte"}),
        ("helgebemanningen", {"helg", "bemanning"}),
        ("sjukefråværet", {"sykefravær"}),
        ("garderobesituasjonen", {"garderobe"}),
    ],
)
def test_compounds_are_split_into_known_parts(word, parts):
    """Issue 10: compounds (kveldsvakt ~ vakt)."""
    assert parts <= stems(word)


@pytest.mark.parametrize("word", ["forslag", "alltid", "automat", "format", "innstilling"])
def test_words_that_only_look_like_compounds_stay_whole(word):
    """for|slag is not a blow (vold), auto|mat not food."""
    assert not stems(word) & {"vold", "mat", "stilling", "tid"}


@pytest.mark.parametrize(
    "a, b",
    [
        ("vakt", "vakta"),
        ("vaktene", "vakter"),
        ("beboer", "beboerne"),
        ("vikar", "vikarane"),
        ("pasient", "beboer"),
        ("unger", "barna"),
        ("ungane", "borna"),
        ("sjukepleiar", "sykepleieren"),
        ("sjukefråvær", "sykefravær"),
        ("underbemanning", "for få folk"),
        ("for lite folk", "bemanninga"),
        ("vi er for få", "underbemanna"),
        ("bråk", "støynivået"),
        ("foresatte", "foreldrene"),
        ("innkjøring", "tilvenning"),
        ("legemidler", "medisinene"),
        ("rekker ikke", "dårlig tid"),
        ("dusje", "dusjing"),
        ("bemaning", "bemanning"),  # a typing error in a long word
    ],
)
def test_inflection_nynorsk_and_near_synonyms_meet(a, b):
    """Issue 10: inflection and near-synonyms common in care and kindergartens, bokmål and
    nynorsk."""
    assert stems(a) & stems(b), (stems(a), stems(b))


def test_unknown_words_match_when_one_begins_or_ends_the_other():
    """Words the vocabulary does not know still meet their compounds: sensor ≈ sensormatte
    (one begins the other), garasj ≈ sykkelgarasj (one ends the other)."""
    assert similar("Vi trenger sensorer ved sengene.", "Sensormattene ved sengene er borte.")
    assert similar("Lyset i garasjen er borte.", "Lyset i sykkelgarasjen er borte.")
    assert explain("Lyset i garasjen er borte", "Det er mørkt i sykkelgarasjen") == [
        "garasj ≈ sykkelgarasj"
    ]


# --- filler and everyday words ---------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Vi ønsker at det blir bedre.", "Vi ønsker at det blir bedre for alle."),
        ("Det er ofte dårlig.", "Det er ofte dårlig på mandager."),
        ("Eg ønskjer at vi får betre tid.", "Eg ønskjer at vi får betre lys."),
        ("Beboerne trenger mye.", "Beboerne på avdelingen trenger hjelp."),
        ("Barna og de ansatte på avdelingen.", "De ansatte og barna på avdelingen."),
    ],
)
def test_filler_and_everyday_words_never_link_inputs(a, b):
    """Issue 10: must not link inputs on filler words; the setting's everyday words (beboer,
    barn, ansatt, avdeling, tid) never suffice on their own."""
    assert not similar(a, b)


def test_filler_words_are_not_terms():
    assert stems("Vi ønsker at det blir bedre, og vi håper at noen kan gjøre noe") <= {
        "god",
        "håp",
    }


def test_shared_words_are_explained_in_each_texts_own_words():
    labels = explain("Vi er for få folk på kveldsvakt", "Bemanningen om kvelden er for lav")
    assert labels == ["for få folk ≈ bemanning", "kveld"]
    assert explain("Pasientene får for lite mat", "Beboerne får lite mat") == ["mat"]


def test_odd_input_is_read_quickly_and_safely():
    start = time.perf_counter()
    for text in ["a" * 10_000, "kveldsvakt" * 500, "ø" * 31, "<script>x</script>", "", "\x00"]:
        stems_text(text)
        analyse(text)
    assert time.perf_counter() - start < 2


# --- stored terms ----------------------------------------------------------------------------


def test_migration_recomputes_stored_terms(unit):
    """0003 rewrites the stored terms of inputs sent before this version."""
    item, _ = submit(unit, "Vi er for få folk på kveldsvakt")
    Input.objects.filter(pk=item.pk).update(stems="kveldsvakt")  # the old, plain stems
    migration = importlib.import_module("trepart.inputs.migrations.0003_similarity_search")
    migration.recompute_terms(django_apps, None)
    item.refresh_from_db()
    assert item.stems == stems_text(item.text)
    assert {"bemanning", "kveld", "vakt"} <= set(item.stems.split())


def test_refresh_command_recomputes_stale_terms(unit):
    """After the vocabulary changes, `manage.py refresh_input_terms` brings earlier inputs in
    line; a second run changes nothing."""
    item, _ = submit(unit, "Sjukefråværet er høgt")
    Input.objects.filter(pk=item.pk).update(stems="sjukefråvær")
    out = io.StringIO()
    call_command("refresh_input_terms", stdout=out)
    assert out.getvalue().startswith("1 of 1 ")
    item.refresh_from_db()
    assert item.stems == "sykefravær"
    out = io.StringIO()
    call_command("refresh_input_terms", stdout=out)
    assert out.getvalue().startswith("0 of 1 ")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_has_the_search_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'inputs_input' "
            "AND indexname LIKE 'inputs_input_stems_%%'"
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "inputs_input_stems_fts",
            "inputs_input_stems_trgm",
        }
