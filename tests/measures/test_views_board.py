"""The unit's board (P4): open measures in columns by stage, done and stopped ones below,
overdue evaluations highlighted, a filter by stage; and the index of units."""

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, complete_party_group
from tests.measures.conftest import days, logged_in, measure_at, text_of
from trepart.measures.models import Measure, Stage


@pytest.fixture
def measures(unit, party_group):
    made = {
        stage: measure_at(party_group, unit, stage, title=f"Tiltak {stage.value}")
        for stage in Stage
    }
    Measure.objects.filter(pk=made[Stage.IN_TRIAL].pk).update(evaluation_on=days(-2))
    return made


def _column(body, stage):
    return body.split(f'id="col-{stage}"')[1].split("</section>")[0]


def test_p4_board_shows_each_measure_in_its_stage_column(unit, party_group, measures):
    body = text_of(logged_in(party_group["leader"]).get(reverse("measures:board", args=[unit.pk])))
    for stage in (Stage.IDEA, Stage.PLANNED, Stage.IN_TRIAL, Stage.EVALUATED, Stage.DECIDED):
        column = _column(body, stage.value)
        assert f"Tiltak {stage.value}<" in column
        others = [s for s in Stage if s != stage]
        assert not any(f"Tiltak {s.value}<" in column for s in others)
    closed = body.split('id="closed-heading"')[1]
    assert "Tiltak done<" in closed and "Tiltak stopped<" in closed
    # R25: the overdue evaluation is highlighted.
    assert "1 trial is past its evaluation date." in body
    assert "measure-card--overdue" in _column(body, "in_trial")


def test_p4_board_filter_by_stage(unit, party_group, measures):
    client = logged_in(party_group["leader"])
    url = reverse("measures:board", args=[unit.pk])
    body = text_of(client.get(url + "?stage=planned"))
    assert "Tiltak planned<" in body
    assert "Tiltak idea<" not in body and "Tiltak done<" not in body
    done = text_of(client.get(url + "?stage=done"))
    assert "Tiltak done<" in done and "Tiltak planned<" not in done


def test_p4_board_with_an_unknown_stage_filter_shows_everything(unit, party_group, measures):
    client = logged_in(party_group["leader"])
    body = text_of(client.get(reverse("measures:board", args=[unit.pk]) + "?stage=bogus"))
    assert "Tiltak planned<" in body and "Tiltak idea<" in body


def test_p4_index_counts_measures_per_unit(unit, party_group, measures, municipality, admin_user):
    other_unit = UnitFactory(municipality=municipality, name="Åsen barnehage")
    complete_party_group(other_unit)
    body = text_of(logged_in(party_group["leader"]).get(reverse("measures:index")))
    assert unit.name in body and "Åsen barnehage" not in body
    card = body.split(unit.name)[1].split("</li>")[0]
    for label in ("Idea: 1", "Planned: 1", "In trial: 1", "Evaluated: 1", "Decided: 1"):
        assert label in card
    assert "1 evaluation overdue" in card
    admin = text_of(logged_in(admin_user).get(reverse("measures:index")))
    assert unit.name in admin and "Åsen barnehage" in admin


def test_p4_home_lists_running_trials_and_decisions_waiting(unit, party_group, employee):
    """The group's running trials (nearest evaluation first), evaluated ones waiting for a
    decision, and decisions waiting for the decision line; not what is settled."""
    leader = party_group["leader"]
    soon = measure_at(party_group, unit, Stage.IN_TRIAL, title="Snart", evaluation_on=days(10))
    later = measure_at(party_group, unit, Stage.IN_TRIAL, title="Senere", evaluation_on=days(40))
    ready = measure_at(party_group, unit, Stage.EVALUATED, title="Klar")
    waiting = measure_at(party_group, unit, Stage.DECIDED, title="Venter", referred_to="AMU")
    kept = measure_at(party_group, unit, Stage.DECIDED, title="Beholdt")
    body = text_of(logged_in(leader).get(reverse("home:home")))
    for m in (soon, later, ready, waiting):
        assert f'href="{reverse("measures:measure_detail", args=[m.pk])}"' in body, m.title
    assert body.index(f"/measures/{soon.pk}/") < body.index(f"/measures/{later.pk}/")
    assert f'href="{reverse("measures:measure_detail", args=[kept.pk])}"' not in body
    # Issue 10: the staff see the trials running at their unit, not the group's other work.
    staff = text_of(logged_in(employee).get(reverse("home:home")))
    assert reverse("measures:measure_detail", args=[soon.pk]) in staff
    assert reverse("measures:measure_detail", args=[later.pk]) in staff
    assert reverse("measures:measure_detail", args=[ready.pk]) not in staff
    assert reverse("measures:measure_detail", args=[waiting.pk]) not in staff
