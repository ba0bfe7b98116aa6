"""Issue 14: at national scale the total stops at COUNT_CAP ("more than … hits") and only the
newest CANDIDATES permitted matches are ranked; the page says so. Both engines."""

import pytest

from tests.conftest import client_for
from tests.search.conftest import make_input
from trepart.search import selectors

pytestmark = pytest.mark.django_db


def test_the_total_is_capped_and_the_page_says_more_than(unit, world, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "CANDIDATES", 3)
    for n in range(5):
        make_input(unit, f"Kjøleskapet nummer {n} må endres.")
    result = selectors.search(world["leader"], "kjøleskap", limit=2)
    assert result.capped and result.total == 3 and len(result.hits) == 2
    body = client_for(world["leader"]).get("/search/?q=kj%C3%B8leskap").content.decode()
    assert "Mer enn 3 treff" in body or "More than 3 hits" in body


def test_below_the_cap_the_total_is_exact(unit, world):
    for n in range(4):
        make_input(unit, f"Kjøleskapet nummer {n} må endres.")
    result = selectors.search(world["leader"], "kjøleskap", limit=2)
    assert not result.capped and result.total == 4 and len(result.hits) == 2
