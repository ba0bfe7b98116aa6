"""Issue 14: the administrator's people list is read a page at a time through its index."""

import pytest

from tests.core.explain import assert_uses_index
from tests.factories import UserFactory
from trepart.organisation.selectors import people_list

pytestmark = pytest.mark.django_db


def test_people_list_page_uses_the_municipality_name_index(municipality):
    for n in range(3):
        UserFactory(municipality=municipality, full_name=f"Person {n}")
    # The page the people list shows: the first 50 by name (a plain list, no prefetch).
    queryset = people_list(municipality).prefetch_related(None)[:50]
    assert_uses_index(queryset, "user_municipality_name", ordered=True)
