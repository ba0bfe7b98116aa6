"""Issue 14: a rare word's matches come from the search's GIN indexes on PostgreSQL (migration
0004: the reader's units' matches and the administrator's municipality's by (municipality_id,
unit_id, vector), unit reports by a partial index; migration 0003: shared experiences by a
partial index); a common word's are read along the (…, date, id) b-trees (0005, checked on the
national bench dataset); and the SQLite path's candidates come through the
(municipality, kind, date, id) index."""

import pytest
from django.db import connection

from tests.core.explain import plan
from tests.search.conftest import make_input, set_btree_indexes_aside
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
        assert "USING INDEX search_muni_kind_date" in text or (
            "USING COVERING INDEX search_muni_kind_date" in text
        ), text
        return
    set_btree_indexes_aside(connection)
    tsquery = selectors._tsquery(matching.parse("vakter turnus"))
    for reader, index in (
        (leader, "search_entry_scope_vector_gin"),  # the leader's unit
        (world["admin"], "search_entry_scope_vector_gin"),  # the whole municipality
        (world["politician"], "search_entry_report_vector_gin"),  # every unit report
    ):
        found = selectors._matches(
            selectors.entries_visible_to(reader), tsquery, selectors._reach(reader)
        )
        text = plan(found)
        assert index in text, text
    assert "search_entry_experience_vector_gin" in text, text  # shared experiences
    # The steering group's meetings (a few dozen per municipality) are read along the small
    # b-tree search_no_unit_date, set aside here.
