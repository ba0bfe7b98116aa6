"""The search page: a plain GET form without JavaScript, the results fragment for htmx, odd
input without a server error, and a query count that does not grow with the data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.query_counts import assert_same_counts, measure
from tests.search.conftest import make_experience, make_input, make_measure, make_minutes

URL = "/search/"


def test_url_name():
    assert reverse("search:search") == URL


@pytest.mark.django_db
def test_page_without_javascript_shows_hits_with_marks_and_links(world):
    client = client_for(world["leader"])
    response = client.get(URL, {"q": "vakter"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in body and 'name="q"' in body and 'value="vakter"' in body
    assert "<mark>Nattevakta</mark>" in body
    assert f'href="/inputs/{world["public_input"].pk}/"' in body
    assert "<html" in body  # the whole page


@pytest.mark.django_db
def test_htmx_gets_only_the_results(world):
    client = client_for(world["leader"])
    response = client.get(
        URL, {"q": "vakt"}, headers={"HX-Request": "true", "HX-Target": "search-results"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "<mark>" in body
    # The short status sentence for screen readers comes along, swapped out of band.
    assert 'id="search-status"' in body and 'hx-swap-oob="true"' in body
    full = client.get(URL, {"q": "vakt"}).content.decode()
    assert full.count('id="search-status"') == 1 and "hx-swap-oob" not in full


@pytest.mark.django_db
def test_empty_and_stopword_queries_explain_themselves(world):
    client = client_for(world["leader"])
    assert "<mark>" not in client.get(URL).content.decode()
    body = client.get(URL, {"q": "og det"}).content.decode()
    assert "<ol" not in body
    body = client.get(URL, {"q": "qqqzzz"}).content.decode()
    assert "qqqzzz" in body and "<ol" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q",
    [
        "'",
        "vakt:*",
        "a & b | !c",
        "(((",
        "\\",
        "x" * 5000,
        "vakt\x00natt",
        "😀 vakt",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "ord " * 100,
    ],
)
def test_odd_queries_never_fail(world, q):
    response = client_for(world["leader"]).get(URL, {"q": q})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


@pytest.mark.django_db
def test_header_has_the_search_box_with_a_label(world):
    body = client_for(world["employee"]).get(reverse("home:home")).content.decode()
    assert 'action="/search/"' in body and 'for="site-search-q"' in body


def _grow(world, n):
    unit = world["unit"]
    for i in range(n):
        make_input(unit, f"Vakt nummer {i} trenger hjelp", public=True)
        make_measure(unit, f"Vaktplan {i}", problem="Flere vakter.")
        make_experience(unit, f"Vakter {i}", tried="Vi prøvde vakter.")
        make_minutes(unit, f"Møte {i}", [("Vakter", "Om vaktene.", "Videre.")])


@pytest.mark.django_db
def test_query_count_does_not_grow_with_data(world):
    """ARCHITECTURE 4: the same number of queries with few and many hits."""
    clients = {name: client_for(world[name]) for name in ("leader", "employee", "politician")}
    pages = [(name, "search", f"{URL}?q=vakt") for name in clients]
    few = measure(clients, pages)
    _grow(world, 30)
    many = measure(clients, pages)
    assert_same_counts(few, many)
