"""Search finds Norwegian inflections and compounds, ranks sensibly and follows the sources
(issue 11 point 6). Run on SQLite (default) and on PostgreSQL (DATABASE_URL=postgres://…):
the same assertions hold for both engines (decision 0005)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from tests.search.conftest import (
    make_experience,
    make_input,
    make_measure,
    make_minutes,
    set_btree_indexes_aside,
)
from trepart.inputs.models import Input
from trepart.search import matching, selectors
from trepart.search.indexing import reindex_all
from trepart.search.models import Kind, SearchEntry
from trepart.search.selectors import entries_visible_to, search


def found(user, text):
    return {(h.entry.kind, h.entry.object_id) for h in search(user, text).hits}


def key(obj) -> tuple[str, int]:
    kinds = {
        "Input": Kind.INPUT,
        "Measure": Kind.MEASURE,
        "Meeting": Kind.MINUTES,
        "UnitReport": Kind.REPORT,
        "Experience": Kind.EXPERIENCE,
    }
    return kinds[type(obj).__name__], obj.pk


@pytest.mark.django_db
def test_inflection_vakter_finds_vakta_vaktene_and_nattevakt(world):
    leader = world["leader"]
    hits = found(leader, "vakter")
    for name in ("public_input", "group_input", "minutes", "measure", "sent_report", "experience"):
        assert key(world[name]) in hits, name
    # nattevakta, kveldsvaktene (compounds), vaktene (minutes), vakter (measure)
    assert found(leader, "vakta") == hits
    assert found(leader, "vaktene") == hits


@pytest.mark.django_db
def test_compounds_vakt_finds_kveldsvakter_and_nattevakt(world):
    leader = world["leader"]
    assert key(world["group_input"]) in found(leader, "vakt")  # Kveldsvaktene
    assert key(world["public_input"]) in found(leader, "vakt")  # Nattevakta
    assert found(leader, "kveldsvakt") == {key(world["group_input"])}
    assert found(leader, "turnus") == {key(world["measure"]), key(world["experience"])}


@pytest.mark.django_db
def test_every_word_must_match_and_typing_as_you_go(world):
    leader = world["leader"]
    # "Nattevakta … i helgene" here, and Annenby's shared "Langvakter i helgene".
    assert found(leader, "vakt helgene") == {
        key(world["public_input"]),
        key(world["shared_experience"]),
    }
    assert found(leader, "vakt helgene bemannet") == {key(world["public_input"])}
    assert found(leader, "natteva") == {key(world["public_input"]), key(world["sent_report"])}
    assert found(leader, "xyzzy") == set()


@pytest.mark.django_db
def test_ranking_title_before_body_and_more_before_less(unit, world):
    leader = world["leader"]
    in_body = make_measure(unit, "Bedre pauser", problem="Pauserommet er for lite for sykepleiere.")
    in_title = make_measure(unit, "Pauserom for alle", problem="Vi vil ha et bedre rom.")
    ordered = [h.entry.object_id for h in search(leader, "pauserom").hits]
    assert ordered == [in_title.pk, in_body.pk]


@pytest.mark.django_db
def test_ranking_prefers_the_word_itself_to_a_compound(unit, world):
    leader = world["leader"]
    compound = make_input(unit, "Sommerferieavvikling må planlegges.")
    itself = make_input(unit, "Ferie må planlegges.")
    ordered = [h.entry.object_id for h in search(leader, "ferie").hits]
    assert ordered.index(itself.pk) < ordered.index(compound.pk)


@pytest.mark.django_db
def test_result_is_highlighted_and_escaped(unit, world):
    leader = world["leader"]
    item = make_input(unit, "<script>alert('x')</script> Nattevakta trenger <b>hjelp</b>")
    hit = next(h for h in search(leader, "vakt").hits if h.entry.object_id == item.pk)
    html = str(hit.title) + str(hit.snippet)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Nattevakta</mark>" in html


@pytest.mark.django_db
def test_index_follows_save_and_delete(unit, world):
    leader = world["leader"]
    item = make_input(unit, "Sklier i dusjen på badet.")
    assert key(item) in found(leader, "dusj")
    item.text = "Glatt gulv i gangen."
    item.save()
    assert key(item) not in found(leader, "dusj")
    assert key(item) in found(leader, "gulv")
    item.delete()
    assert not SearchEntry.objects.filter(kind=Kind.INPUT, object_id=item.pk).exists()


@pytest.mark.django_db
def test_minutes_follow_the_latest_published_version(unit, world):
    meeting = world["minutes"]
    meeting.versions.create(
        number=2,
        content={"title": meeting.title, "items": [{"title": "Rettet: vaktlister"}], "actions": []},
        change_note="Rettet.",
    )
    entry = SearchEntry.objects.get(kind=Kind.MINUTES, object_id=meeting.pk)
    assert "vaktlister" in entry.body and "jula" not in entry.body
    meeting.delete()
    assert not SearchEntry.objects.filter(kind=Kind.MINUTES, object_id=meeting.pk).exists()


@pytest.mark.django_db
def test_answers_are_found_but_draft_answers_are_not(unit, world):
    leader = world["leader"]
    item = world["group_input"]
    Input.objects.filter(pk=item.pk)  # noqa: B018 — documentation: the service path saves
    item.answer_draft = "Utkast om rullering"
    item.save()
    assert key(item) not in found(leader, "rullering")
    item.status, item.answer = "answered", "Vi innfører rullering fra mars."
    item.save()
    assert key(item) in found(leader, "rullering")


@pytest.mark.django_db
def test_reindex_command_rebuilds_everything(world, capsys):
    before = set(SearchEntry.objects.values_list("kind", "object_id", "title_terms"))
    SearchEntry.objects.all().delete()
    SearchEntry.objects.create(
        kind=Kind.INPUT, object_id=999_999, municipality=world["unit"].municipality, title="x"
    )
    call_command("search_reindex")
    after = set(SearchEntry.objects.values_list("kind", "object_id", "title_terms"))
    assert after == before
    assert "Search index rebuilt" in capsys.readouterr().out


@pytest.mark.django_db
def test_total_counts_every_permitted_match_beyond_the_limit(unit, world):
    for i in range(7):
        make_experience(unit, f"Vaktplan {i}", tried="Vi prøvde.")
    result = search(world["leader"], "vaktplan", limit=3)
    assert result.total == 7 and len(result.hits) == 3 and result.more == 4


@pytest.mark.django_db
def test_both_engines_agree_on_the_match_rule(unit, world):
    """On PostgreSQL, the database's answer (tsquery over the `norwegian` vector and the
    tails) equals the Python rule over the same permitted entries."""
    if connection.vendor != "postgresql":
        pytest.skip("compares PostgreSQL with the Python path")
    make_input(unit, "Arbeidsturnusen og helgeturnus, bemanningsplan og ekstravakter.")
    make_minutes(unit, "Kveldsmøte", [("Vaktbytte", "Vaktbytter og nattevakter.", "")])
    leader = world["leader"]
    entries = entries_visible_to(leader)
    for text in ("vakt", "vakter", "turnus", "bemanning", "natt", "natteva", "bytte", "kveld"):
        query = matching.parse(text)
        total_pg, rows_pg = selectors._postgresql(entries, query, 100)
        total_py, rows_py = selectors._python(entries, query, 100)
        assert {r.pk for r in rows_pg} == {r.pk for r in rows_py}, text
        assert total_pg == total_py, text


@pytest.mark.django_db
def test_postgresql_uses_the_gin_index(world):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    query = matching.parse("vakter")
    found = SearchEntry.objects.filter(unit__isnull=False, vector=selectors._tsquery(query))
    set_btree_indexes_aside(connection)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    # Issue 14: the (municipality_id, unit_id, vector) GIN index of the entries with a unit
    # (migration 0004) serves the text alone too; it replaced the plain one.
    assert "search_entry_scope_vector_gin" in found.explain()


@pytest.mark.django_db
def test_reindex_all_counts(world):
    counts = reindex_all()
    assert counts[Kind.INPUT] == Input.objects.count()
    assert counts[Kind.MINUTES] == 1
