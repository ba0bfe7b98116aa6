"""The demo municipality is searchable as soon as it is loaded: the signals index what
`load_demo` creates, and a full rebuild finds nothing missing (decision 0005)."""

import pytest
from django.core.management import call_command

from trepart.organisation.models import Role, RoleAssignment
from trepart.search.models import Kind, SearchEntry
from trepart.search.selectors import search


@pytest.mark.django_db
def test_demo_is_indexed_by_the_signals_and_searchable():
    call_command("load_demo")
    indexed = set(SearchEntry.objects.values_list("kind", "object_id", "title", "body"))
    assert {kind for kind, *_ in indexed} >= {Kind.MINUTES, Kind.INPUT, Kind.MEASURE}
    call_command("search_reindex")
    assert set(SearchEntry.objects.values_list("kind", "object_id", "title", "body")) == indexed
    leader = (
        RoleAssignment.objects.current()
        .filter(role=Role.UNIT_LEADER, unit__isnull=False)
        .select_related("person")
        .first()
        .person
    )
    result = search(leader, "vakt")
    assert result.total > 0 and "<mark>" in str(result.hits[0].title) + str(result.hits[0].snippet)
