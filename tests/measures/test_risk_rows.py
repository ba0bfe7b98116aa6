"""Issue 10, R26: the risk assessment form adds and removes rows (not a fixed two), keeps what
was typed while doing so, and saves only when asked. Junk row counts never give a 500."""

import pytest
from django.urls import reverse

from tests.measures.conftest import logged_in, measure_at
from trepart.measures.models import RiskAssessment, Stage


@pytest.fixture
def measure(unit, party_group):
    return measure_at(party_group, unit, Stage.PLANNED)


def url(measure):
    return reverse("measures:risk_edit", args=[measure.pk])


def rows(*texts, **extra):
    data = {"risk-TOTAL_FORMS": str(len(texts)), "risk-INITIAL_FORMS": "0", "summary": "Greit."}
    for i, text in enumerate(texts):
        data.update({f"risk-{i}-description": text, f"risk-{i}-likelihood": "2"})
        data.update({f"risk-{i}-consequence": "3", f"risk-{i}-mitigation": f"Tiltak {i}"})
    data.update(extra)
    return data


def row_ids(html):
    return [i for i in range(12) if f'id="risk-row-{i}"' in html]


def test_add_a_row_keeps_what_was_typed_and_saves_nothing(measure, party_group):
    before = list(RiskAssessment.objects.filter(measure=measure).values_list("id", "summary"))
    client = logged_in(party_group["safety"])
    response = client.post(url(measure), rows("Tunge løft", "Stress", add_row="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert row_ids(html) == [0, 1, 2]
    assert "Tunge løft" in html and "Stress" in html and "Greit." in html
    assert 'name="risk-TOTAL_FORMS" value="3"' in html
    after = list(RiskAssessment.objects.filter(measure=measure).values_list("id", "summary"))
    assert after == before


def test_remove_a_row_shifts_the_rest(measure, party_group):
    client = logged_in(party_group["safety"])
    response = client.post(url(measure), rows("Første", "Andre", "Tredje", remove_row="1"))
    html = response.content.decode()
    assert row_ids(html) == [0, 1]
    assert "Første" in html and "Tredje" in html and "Andre" not in html


def test_more_than_two_rows_are_saved(measure, party_group):
    client = logged_in(party_group["safety"])
    response = client.post(url(measure), rows("En", "To", "Tre", "Fire"))
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get(measure=measure)
    assert [r.description for r in assessment.risks.order_by("id")] == ["En", "To", "Tre", "Fire"]


@pytest.mark.parametrize("total", ["abc", "-1", "99999999999999999999999", ""])
@pytest.mark.parametrize("action", [{"add_row": "1"}, {"remove_row": "x"}, {"remove_row": "99"}])
def test_junk_is_never_a_500(measure, party_group, total, action):
    data = rows("En", **action)
    data["risk-TOTAL_FORMS"] = total
    response = logged_in(party_group["safety"]).post(url(measure), data)
    assert response.status_code == 200


def test_other_roles_cannot_use_it(measure, employee):
    response = logged_in(employee).post(url(measure), rows("En", add_row="1"))
    assert response.status_code == 403
