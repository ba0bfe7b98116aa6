"""Issue 14: the search's heavy query is served by its GIN indexes on PostgreSQL (migration
0003: the municipality's matches by (municipality_id, vector), shared experiences by a partial
index), and the SQLite path's candidates come through the (municipality, kind) index."""

import pytest
from django.db import connection

from tests.core.explain import plan
from tests.search.conftest import make_input
from trepart.search import matching, selectors
from trepart.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def test_search_candidates_use_the_gin_indexes(unit, world):
    make_input(unit, "Vaktene og turnusen må henge sammen.")
    leader = world["leader"]
    result = selectors.search(leader, "turnus")
    assert result.total >= 1 and not result.capped
    if connection.vendor != "postgresql":
        # SQLite: the Python path reads the municipality's entries by its index.
        queryset = SearchEntry.objects.filter(municipality_id=unit.municipality_id, kind="input")
        text = plan(queryset)
        assert "USING INDEX search_sear_municip_1e6521_idx" in text or (
            "USING COVERING INDEX search_sear_municip_1e6521_idx" in text
        ), text
        return
    # At test volume the planner prefers the plain btree indexes on the municipality (a few
    # rows); at a real municipality's volume they would hand every entry to the text filter.
    # Set them aside inside this test's transaction (PostgreSQL DDL rolls back).
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX search_sear_municip_1e6521_idx")
        cursor.execute("DROP INDEX search_searchentry_municipality_id_d9ff2bbf")
    found = selectors._matches(
        selectors.entries_visible_to(leader),
        selectors._tsquery(matching.parse("vakter turnus")),
        leader.municipality_id,
    )[: selectors.COUNT_CAP + 1]
    text = plan(found)
    assert "search_entry_muni_vector_gin" in text, text
    # (The shared-experience arm uses search_entry_experience_vector_gin at volume; with a few
    # rows the planner may read them by the (kind, object_id) constraint instead.)
