"""P4: a measure moves idea → planned → in trial → evaluated → decided → done, may be stopped
from every open stage, and "adjust and try again" goes back to planned (R25). Every pair of
stages is checked: the legal moves succeed and are recorded with who, from, to and a comment;
the illegal ones are refused with a message naming both stages."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.measures.conftest import (
    advance,
    assess_risk,
    logged_in,
    measure_at,
    new_measure,
    plan,
    set_stage,
    text_of,
    with_version,
)
from trepart.measures import services
from trepart.measures.models import Decision, Measure, MeasureEvent, Stage

LEGAL = {
    (Stage.IDEA, Stage.PLANNED),
    (Stage.IDEA, Stage.STOPPED),
    (Stage.PLANNED, Stage.IN_TRIAL),
    (Stage.PLANNED, Stage.STOPPED),
    (Stage.IN_TRIAL, Stage.EVALUATED),
    (Stage.IN_TRIAL, Stage.STOPPED),
    (Stage.EVALUATED, Stage.DECIDED),
    (Stage.EVALUATED, Stage.STOPPED),
    (Stage.DECIDED, Stage.DONE),
    (Stage.DECIDED, Stage.PLANNED),  # adjust and try again (R25)
    (Stage.DECIDED, Stage.STOPPED),
}
ALL_PAIRS = list(itertools.product(Stage, Stage))
OPEN = [Stage.IDEA, Stage.PLANNED, Stage.IN_TRIAL, Stage.EVALUATED, Stage.DECIDED]


def _id(pair):
    return f"{pair[0].value}->{pair[1].value}"


def test_p4_transition_table_is_the_documented_state_machine():
    """The table in services.TRANSITIONS is exactly P4's: nothing leaves done or stopped."""
    table = {(a, b) for a, targets in services.TRANSITIONS.items() for b in targets}
    assert table == LEGAL
    assert set(services.TRANSITIONS) == set(Stage)
    assert services.TRANSITIONS[Stage.DONE] == frozenset()
    assert services.TRANSITIONS[Stage.STOPPED] == frozenset()


@pytest.mark.parametrize("pair", ALL_PAIRS, ids=[_id(p) for p in ALL_PAIRS])
def test_p4_every_stage_pair_is_legal_or_refused_with_both_stages_named(unit, party_group, pair):
    from_stage, to_stage = pair
    leader = party_group["leader"]
    measure = set_stage(new_measure(party_group, unit), from_stage)
    events_before = measure.events.count()
    if pair in LEGAL:
        services._move(measure, leader, to_stage, comment="Avtalt i partsgruppa")
        assert measure.stage == to_stage
        event = measure.events.latest("id")
        assert measure.events.count() == events_before + 1
        assert (event.kind, event.actor, event.from_stage, event.to_stage, event.comment) == (
            MeasureEvent.Kind.STAGE,
            leader,
            from_stage,
            to_stage,
            "Avtalt i partsgruppa",
        )
        assert event.at is not None
    else:
        with pytest.raises(ValidationError) as exc:
            services._move(measure, leader, to_stage, comment="Avtalt i partsgruppa")
        assert exc.value.code == "illegal_transition"
        message = exc.value.messages[0]
        assert f"“{from_stage.label}”" in message and f"“{to_stage.label}”" in message, message
        assert message.index(str(from_stage.label)) <= message.rindex(str(to_stage.label))
        assert measure.stage == from_stage  # untouched
        assert measure.events.count() == events_before  # nothing recorded
        assert Measure.objects.get(pk=measure.pk).stage == from_stage


# --- the same rules through the public services ------------------------------------------------


def _prepared(group, unit, from_stage, decision=Decision.KEEP):
    """A measure whose plan, risk assessment and decision are all in place, put in `from_stage`,
    so that only the stage decides whether a service may move it."""
    measure = new_measure(group, unit)
    services.plan_save(actor=group["leader"], measure=measure, **plan())
    assess_risk(group, measure)
    Measure.objects.filter(pk=measure.pk).update(decision=decision, decision_note="Fordi.")
    return set_stage(measure, from_stage)


def _call(name, leader, measure):
    calls = {
        "trial_start": lambda: services.trial_start(
            actor=leader, measure=measure, participants="De som vil"
        ),
        "evaluate": lambda: services.evaluate(
            actor=leader, measure=measure, findings="Funn", assessment="Vurdering"
        ),
        "decide": lambda: services.decide(
            actor=leader, measure=measure, decision=Decision.KEEP, note="Fordi"
        ),
        "complete": lambda: services.complete(actor=leader, measure=measure, comment="Ferdig"),
        "try_again": lambda: services.try_again(actor=leader, measure=measure, comment="Igjen"),
        "stop": lambda: services.stop(actor=leader, measure=measure, reason="Ikke nå"),
    }
    return calls[name]()


SERVICE_TARGET = {
    "trial_start": Stage.IN_TRIAL,
    "evaluate": Stage.EVALUATED,
    "decide": Stage.DECIDED,
    "complete": Stage.DONE,
    "try_again": Stage.PLANNED,
    "stop": Stage.STOPPED,
}
SERVICE_CASES = [
    (name, from_stage)
    for name in SERVICE_TARGET
    for from_stage in Stage
    # try_again from an idea is checked separately (see test_decision.py).
    if not (name == "try_again" and from_stage == Stage.IDEA)
]


@pytest.mark.parametrize(
    "name,from_stage", SERVICE_CASES, ids=[f"{n}-from-{s.value}" for n, s in SERVICE_CASES]
)
def test_p4_public_services_follow_the_state_machine(unit, party_group, name, from_stage):
    leader = party_group["leader"]
    decision = Decision.ADJUST if name == "try_again" else Decision.KEEP
    measure = _prepared(party_group, unit, from_stage, decision=decision)
    to_stage = SERVICE_TARGET[name]
    moves_before = measure.events.filter(kind=MeasureEvent.Kind.STAGE).count()
    if (from_stage, to_stage) in LEGAL:
        _call(name, leader, measure)
        fresh = Measure.objects.get(pk=measure.pk)
        assert fresh.stage == to_stage
        event = fresh.events.filter(kind=MeasureEvent.Kind.STAGE).latest("id")
        assert (event.actor, event.from_stage, event.to_stage) == (leader, from_stage, to_stage)
    else:
        with pytest.raises(ValidationError) as exc:
            _call(name, leader, measure)
        assert exc.value.code == "illegal_transition"
        assert str(from_stage.label) in exc.value.messages[0]
        assert str(to_stage.label) in exc.value.messages[0]
        assert Measure.objects.get(pk=measure.pk).stage == from_stage
        assert measure.events.filter(kind=MeasureEvent.Kind.STAGE).count() == moves_before


def test_p4_whole_life_is_recorded_with_who_and_comment(unit, party_group):
    """Every transition is on the timeline, in order, with the person and the comment."""
    leader = party_group["leader"]
    measure = measure_at(party_group, unit, Stage.DONE)
    stage_events = list(
        measure.events.filter(kind=MeasureEvent.Kind.STAGE).values_list(
            "from_stage", "to_stage", "actor", "comment"
        )
    )
    assert stage_events == [
        (Stage.IDEA, Stage.PLANNED, leader.pk, ""),
        (Stage.PLANNED, Stage.IN_TRIAL, leader.pk, ""),
        (Stage.IN_TRIAL, Stage.EVALUATED, leader.pk, ""),
        (Stage.EVALUATED, Stage.DECIDED, leader.pk, "Ansatte vil fortsette."),
        (Stage.DECIDED, Stage.DONE, leader.pk, "Innført fast."),
    ]
    kinds = list(measure.events.values_list("kind", flat=True))
    assert kinds[0] == MeasureEvent.Kind.CREATED
    assert MeasureEvent.Kind.RISK in kinds
    # The timeline on the page shows them with the person's name.
    body = text_of(logged_in(leader).get(reverse("measures:measure_detail", args=[measure.pk])))
    for label in ("Planned", "In trial", "Evaluated", "Decided", "Done"):
        assert f"Moved to “{label}”" in body
    assert leader.full_name in body and "Innført fast." in body


@pytest.mark.parametrize("from_stage", OPEN, ids=[s.value for s in OPEN])
def test_p4_stop_from_every_open_stage_records_the_reason(unit, party_group, from_stage):
    measure = measure_at(party_group, unit, from_stage)
    services.stop(actor=party_group["rep_ff"], measure=measure, reason="Turnusen endres uansett.")
    measure.refresh_from_db()
    assert measure.stage == Stage.STOPPED
    assert measure.stop_reason == "Turnusen endres uansett."
    event = measure.events.latest("id")
    assert (event.from_stage, event.to_stage, event.actor, event.comment) == (
        from_stage,
        Stage.STOPPED,
        party_group["rep_ff"],
        "Turnusen endres uansett.",
    )


def test_p4_stop_needs_a_reason(unit, party_group):
    measure = new_measure(party_group, unit)
    with pytest.raises(ValidationError) as exc:
        services.stop(actor=party_group["leader"], measure=measure, reason="  ")
    assert "reason" in exc.value.message_dict
    assert Measure.objects.get(pk=measure.pk).stage == Stage.IDEA


def test_p4_illegal_transition_through_a_view_is_400_and_changes_nothing(unit, party_group):
    """Evaluating a measure that is only planned: refused, not a server error."""
    leader = party_group["leader"]
    measure = advance(new_measure(party_group, unit), party_group, Stage.PLANNED)
    response = logged_in(leader).post(
        reverse("measures:evaluate", args=[measure.pk]),
        with_version(measure, {"findings": "Funn", "assessment": "Vurdering"}),
    )
    assert response.status_code == 400
    assert Measure.objects.get(pk=measure.pk).stage == Stage.PLANNED
    assert not measure.events.filter(to_stage=Stage.EVALUATED).exists()


def test_p4_double_submit_of_start_trial_explains_why_it_was_refused(unit, party_group):
    """Two members press "Start the trial" at the same time: the second one is told why (issue
    9: both pages carried the same version; the second is refused as a conflict, see
    tests/measures/test_race.py)."""
    leader = party_group["leader"]
    measure = advance(new_measure(party_group, unit), party_group, Stage.PLANNED)
    url = reverse("measures:trial_start", args=[measure.pk])
    data = with_version(measure, {"participants": "Alle"})
    assert logged_in(leader).post(url, data).status_code == 302
    again = logged_in(party_group["rep_ff"]).post(url, data)
    assert again.status_code == 409
    assert Measure.objects.get(pk=measure.pk).events.filter(to_stage=Stage.IN_TRIAL).count() == 1
    assert f"{leader.full_name} changed this just now." in text_of(again)
    # A second click on the same, old page by the same person says so.
    again = logged_in(leader).post(url, data)
    assert again.status_code == 409
    assert "You changed this yourself just now" in text_of(again)
