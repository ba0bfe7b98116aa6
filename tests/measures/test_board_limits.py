"""Issue 14 (P8): the board never renders every measure of a unit. A column shows the first
BOARD_LIMIT cards and links to the stage's own page, which is paginated; the counts stay true."""

import pytest
from django.urls import reverse

from tests.measures.conftest import logged_in, new_measure, text_of
from trepart.measures.models import Measure, Stage
from trepart.measures.selectors import BOARD_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_ideas(unit, party_group):
    first = new_measure(party_group, unit, title="Tiltak 0")
    fields = {
        f.attname: getattr(first, f.attname)
        for f in Measure._meta.concrete_fields
        if f.attname not in ("id", "title")
    }
    Measure.objects.bulk_create(
        [Measure(**fields, title=f"Tiltak {n}") for n in range(1, BOARD_LIMIT + 5)]
    )
    return BOARD_LIMIT + 5


def _column(body, stage):
    return body.split(f'id="col-{stage}"')[1].split("</section>")[0]


def test_a_full_column_is_capped_with_a_link_to_all(unit, party_group, many_ideas):
    client = logged_in(party_group["leader"])
    url = reverse("measures:board", args=[unit.pk])
    column = _column(text_of(client.get(url)), Stage.IDEA.value)
    assert column.count('class="ds-card measure-card') == BOARD_LIMIT
    assert f"({many_ideas})" in column  # the heading counts them all
    assert f"Show all {many_ideas} measures in this stage" in column
    assert f'href="?stage={Stage.IDEA.value}"' in column


def test_the_stage_page_is_paginated(unit, party_group, many_ideas):
    client = logged_in(party_group["leader"])
    url = reverse("measures:board", args=[unit.pk]) + f"?stage={Stage.IDEA.value}"
    first = text_of(client.get(url))
    assert first.count('class="ds-card measure-card') == BOARD_LIMIT
    assert f"Measures 1–{BOARD_LIMIT} of {many_ideas}" in first
    second = text_of(client.get(url + "&page=2"))
    assert second.count('class="ds-card measure-card') == many_ideas - BOARD_LIMIT
