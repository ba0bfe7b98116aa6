"""The demo of reflection exercises (P6): a role swap shown side by side at Fjordtun, and a
start-up reflection at Solsiden still waiting for its safety rep."""

import pytest

from tests.demo.test_tenancy_consistency import tenancy_mismatches
from trepart.demo.exercises import INSIGHT, WAITING_FOR, load
from trepart.reflection import selectors_exercises as selectors
from trepart.reflection.models import ExerciseOutcome, ExerciseRun

pytestmark = pytest.mark.django_db


def test_two_groups_have_exercises_and_loading_again_adds_nothing():
    from trepart.demo.meetings import load_meetings_demo
    from trepart.demo.organisation import load_demo

    municipality = load_demo()
    load_meetings_demo(municipality)
    assert load(municipality) == 2

    swap = ExerciseRun.objects.get(exercise="role_swap", unit__name="Fjordtun sykehjem")
    assert swap.is_released and swap.release_kind == "all_answered"
    assert swap.answers.filter(submitted_at__isnull=False).count() == swap.expected.count() >= 3
    roles = set(swap.answers.values_list("role", flat=True))
    assert {"unit_leader", "local_union_rep", "safety_rep"} <= roles
    outcome = ExerciseOutcome.objects.get(run=swap)
    assert outcome.title == INSIGHT and outcome.agenda_item.meeting.unit_id == swap.unit_id

    start_up = ExerciseRun.objects.get(exercise="start_up", unit__name="Solsiden barnehage")
    assert not start_up.is_released
    leader = start_up.started_by
    detail = selectors.run_detail(leader, start_up)
    assert [p.full_name for p in detail["waiting"]] == [WAITING_FOR]
    assert detail["blocks"] == []
    assert not tenancy_mismatches()

    assert load(municipality) == 0
    assert ExerciseRun.objects.count() == 2
