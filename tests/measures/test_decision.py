"""Evaluate, then decide (R25): keep it, adjust it and try again, or go back. When a formal
decision is needed the measure is referred to the decision line, the group's choice is shown as
its recommendation, and nothing is completed or celebrated before the line's outcome is recorded
(R29). A kept measure can be celebrated as a win with a short story (R28)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.measures.conftest import (
    advance,
    assess_risk,
    days,
    field_tag,
    logged_in,
    measure_at,
    new_measure,
    text_of,
    today,
    with_version,
)
from trepart.measures import selectors, services
from trepart.measures.models import Decision, Measure, MeasureEvent, Stage

AMU = "Arbeidsmiljøutvalget (AMU)"
RISK_LABEL = "HMS risk assessment by the safety rep"


def _action(name, measure) -> str:
    """The form for an action, as it appears on the measure page when it is offered."""
    return f'action="{reverse(f"measures:{name}", args=[measure.pk])}"'


def _detail(user, measure):
    return text_of(logged_in(user).get(reverse("measures:measure_detail", args=[measure.pk])))


# --- evaluation ---------------------------------------------------------------------------------


def test_r25_evaluation_needs_findings_and_assessment(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    with pytest.raises(ValidationError) as exc:
        services.evaluate(actor=party_group["leader"], measure=measure, findings=" ", assessment="")
    assert set(exc.value.message_dict) == {"findings", "assessment"}
    measure = measure_at(party_group, unit, Stage.EVALUATED)
    assert measure.evaluated_on == today()
    assert measure.findings.startswith("Sykefraværet")


# --- the decision -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decision,note,errors",
    [
        ("", "Fordi", {"decision"}),
        ("maybe", "Fordi", {"decision"}),
        (Decision.KEEP, "  ", {"note"}),
        ("", "", {"decision", "note"}),
    ],
)
def test_r25_decide_requires_a_decision_and_why(unit, party_group, decision, note, errors):
    measure = measure_at(party_group, unit, Stage.EVALUATED)
    with pytest.raises(ValidationError) as exc:
        services.decide(actor=party_group["leader"], measure=measure, decision=decision, note=note)
    assert set(exc.value.message_dict) == errors
    assert Measure.objects.get(pk=measure.pk).stage == Stage.EVALUATED


def test_r25_decision_without_referral_is_the_groups(unit, party_group):
    leader = party_group["leader"]
    measure = measure_at(party_group, unit, Stage.DECIDED)
    assert (measure.decision, measure.decided_on, measure.referred_to) == (
        Decision.KEEP,
        today(),
        "",
    )
    assert not measure.needs_line_outcome
    body = _detail(leader, measure)
    assert "Keep it (decided" in body
    assert "recommends" not in body
    assert _action("complete", measure) in body


def test_r29_referred_decision_is_a_recommendation_until_the_line_answers(unit, party_group):
    leader = party_group["leader"]
    measure = measure_at(party_group, unit, Stage.DECIDED, referred_to=f"  {AMU} ")
    assert measure.referred_to == AMU and measure.referred_on == today()
    assert measure.needs_line_outcome
    body = _detail(leader, measure)
    assert "The group recommends: Keep it" in body
    assert (
        f"Referred to {AMU} on {today():%-d}." in body
        and "The formal decision is made there." in body
    )
    assert "Waiting for the outcome from the decision line." in body
    assert "Keep it (decided" not in body  # never pretends the group decided it
    assert _action("outcome", measure) in body
    assert _action("complete", measure) not in body
    assert _action("win_mark", measure) not in body

    with pytest.raises(ValidationError) as exc:
        services.complete(actor=leader, measure=measure)
    assert "Record the decision line's outcome first" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.win_mark(actor=leader, measure=measure, story="Det ble bra.")
    assert Measure.objects.get(pk=measure.pk).stage == Stage.DECIDED

    # The home page lists it as waiting for the decision line.
    home = text_of(logged_in(leader).get(reverse("home:home")))
    assert measure.title in home and "waiting for the decision line" in home

    services.line_outcome_record(
        actor=leader,
        measure=measure,
        outcome=" AMU vedtok langvakter som fast ordning. ",
        outcome_on=datetime.date(2026, 5, 4),
    )
    measure.refresh_from_db()
    assert measure.line_outcome == "AMU vedtok langvakter som fast ordning."
    assert measure.line_outcome_on == datetime.date(2026, 5, 4)
    assert not measure.needs_line_outcome
    assert measure.events.filter(
        kind=MeasureEvent.Kind.OUTCOME, comment=measure.line_outcome, actor=leader
    ).exists()
    body = _detail(leader, measure)
    assert "Outcome, 4. May 2026:" in body and "AMU vedtok langvakter" in body
    assert "The group recommends: Keep it" in body
    services.complete(actor=leader, measure=measure, comment="Innført")
    assert Measure.objects.get(pk=measure.pk).stage == Stage.DONE
    assert measure.title not in text_of(logged_in(leader).get(reverse("home:home")))


def test_r29_outcome_through_the_page(unit, party_group):
    leader = party_group["leader"]
    measure = measure_at(party_group, unit, Stage.DECIDED, referred_to=AMU)
    client = logged_in(leader)
    url = reverse("measures:outcome", args=[measure.pk])
    refused = client.post(url, with_version(measure, {"outcome": "  "}))
    assert refused.status_code == 400
    assert "Write what the decision line decided." in text_of(refused)
    assert 'aria-invalid="true"' in field_tag(text_of(refused), "outcome")
    done = client.post(url, with_version(measure, {"outcome": "Vedtatt", "outcome_on": ""}))
    assert done.status_code == 302
    measure.refresh_from_db()
    assert measure.line_outcome == "Vedtatt" and measure.line_outcome_on == today()


def test_r29_outcome_only_for_referred_measures(unit, party_group):
    measure = measure_at(party_group, unit, Stage.DECIDED)
    with pytest.raises(ValidationError) as exc:
        services.line_outcome_record(actor=party_group["leader"], measure=measure, outcome="Ja")
    assert "not referred to the decision line" in exc.value.messages[0]


# --- adjust and try again -----------------------------------------------------------------------


def test_r25_adjust_cannot_be_completed_but_is_tried_again_from_planning(unit, party_group):
    leader = party_group["leader"]
    measure = measure_at(party_group, unit, Stage.DECIDED, decision=Decision.ADJUST)
    body = _detail(leader, measure)
    assert _action("try_again", measure) in body
    assert _action("complete", measure) not in body
    with pytest.raises(ValidationError) as exc:
        services.complete(actor=leader, measure=measure)
    assert "plan the next trial instead" in exc.value.messages[0]
    assert Measure.objects.get(pk=measure.pk).stage == Stage.DECIDED

    response = logged_in(leader).post(
        reverse("measures:try_again", args=[measure.pk]),
        with_version(measure, {"comment": "Kortere vakter neste gang"}),
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.stage == Stage.PLANNED
    assert (measure.trial_started_on, measure.trial_ends_on, measure.evaluation_on) == (
        None,
        None,
        None,
    )
    event = measure.events.latest("id")
    assert (event.from_stage, event.to_stage, event.actor) == (
        Stage.DECIDED,
        Stage.PLANNED,
        leader,
    )
    # The last round's comment, evaluation and decision stay on the timeline.
    assert event.comment.startswith("Kortere vakter neste gang")
    assert "Sykefraværet gikk ned" in event.comment and "Ansatte vil fortsette." in event.comment
    # A new round: no decision yet, a new evaluation date and (R26) a fresh risk assessment.
    assert measure.decision == "" and measure.decided_on is None
    assert services.missing_for_trial(measure) == ["Evaluation date", RISK_LABEL]
    services.plan_save(actor=leader, measure=measure, evaluation_on=days(90))
    assess_risk(party_group, measure)
    measure.refresh_from_db()  # as the next request would load it
    services.trial_start(
        actor=leader, measure=measure, participants="Hele avdelingen", ends_on=days(10)
    )
    measure.refresh_from_db()
    assert measure.stage == Stage.IN_TRIAL and measure.trial_started_on == today()
    # The second round ends in a fresh decision.
    measure = advance(measure, party_group, Stage.DECIDED, decision=Decision.KEEP)
    assert measure.decision == Decision.KEEP
    assert measure.events.filter(to_stage=Stage.IN_TRIAL).count() == 2


def test_r26_trying_again_asks_the_safety_rep_again(
    unit, party_group, django_capture_on_commit_callbacks
):
    from django.core import mail

    measure = measure_at(party_group, unit, Stage.DECIDED, decision=Decision.ADJUST)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.try_again(actor=party_group["leader"], measure=measure)
    assert [m.to for m in mail.outbox] == [[party_group["safety"].email]]
    body = _detail(party_group["leader"], measure)
    assert "The plan was adjusted after this assessment." in body


def test_r26_each_planning_round_asks_the_safety_rep_once(
    unit, party_group, django_capture_on_commit_callbacks
):
    """Issue 15: the request is keyed per round. A rerun of the job sends nothing more, but
    the round after "try again" is asked again (a key per measure only silenced it)."""
    from django.core import mail

    from trepart.measures.tasks import notify_safety_rep

    measure = measure_at(party_group, unit, Stage.DECIDED, decision=Decision.ADJUST)
    mail.outbox.clear()
    notify_safety_rep.call(measure.pk)  # the first round's request
    notify_safety_rep.call(measure.pk)  # its job run again after a killed worker
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.try_again(actor=party_group["leader"], measure=measure)
    assert [m.to for m in mail.outbox[1:]] == [[party_group["safety"].email]]


@pytest.mark.parametrize("decision", [Decision.KEEP, Decision.REVERT])
def test_r25_only_adjust_is_tried_again(unit, party_group, decision):
    measure = measure_at(party_group, unit, Stage.DECIDED, decision=decision)
    with pytest.raises(ValidationError) as exc:
        services.try_again(actor=party_group["leader"], measure=measure)
    assert "Only a measure the group decided to adjust" in exc.value.messages[0]
    assert Measure.objects.get(pk=measure.pk).stage == Stage.DECIDED


def test_r25_an_idea_is_not_tried_again(unit, party_group):
    measure = new_measure(party_group, unit)
    with pytest.raises(ValidationError):
        services.try_again(actor=party_group["leader"], measure=measure)
    assert Measure.objects.get(pk=measure.pk).stage == Stage.IDEA


def test_r29_referred_adjust_waits_for_the_decision_line_before_trying_again(unit, party_group):
    leader = party_group["leader"]
    measure = measure_at(
        party_group, unit, Stage.DECIDED, decision=Decision.ADJUST, referred_to=AMU
    )
    with pytest.raises(ValidationError):
        services.try_again(actor=leader, measure=measure, comment="Vi prøver igjen")
    assert Measure.objects.get(pk=measure.pk).stage == Stage.DECIDED


def test_r29_referred_adjust_can_be_tried_again_after_the_outcome(unit, party_group):
    leader = party_group["leader"]
    measure = measure_at(
        party_group, unit, Stage.DECIDED, decision=Decision.ADJUST, referred_to=AMU
    )
    services.line_outcome_record(actor=leader, measure=measure, outcome="Prøv med endringer")
    services.try_again(actor=leader, measure=measure)
    assert Measure.objects.get(pk=measure.pk).stage == Stage.PLANNED


def test_r25_revert_is_completed_and_is_no_win(unit, party_group):
    leader = party_group["leader"]
    measure = measure_at(party_group, unit, Stage.DONE, decision=Decision.REVERT)
    assert measure.stage == Stage.DONE
    with pytest.raises(ValidationError):
        services.win_mark(actor=leader, measure=measure, story="Vi lærte mye.")
    assert _action("win_mark", measure) not in _detail(leader, measure)


# --- wins (R28) ---------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", [Stage.DECIDED, Stage.DONE])
def test_r28_a_kept_measure_is_celebrated_with_a_story(unit, party_group, employee, stage):
    rep = party_group["rep_ff"]
    measure = measure_at(party_group, unit, stage, decision=Decision.KEEP)
    assert _action("win_mark", measure) in _detail(rep, measure)
    with pytest.raises(ValidationError) as exc:
        services.win_mark(actor=rep, measure=measure, story="  ")
    assert "story" in exc.value.message_dict
    assert not Measure.objects.get(pk=measure.pk).is_win

    story = "Åtte ansatte fikk lange helgefri, og sykefraværet gikk ned."
    services.win_mark(actor=rep, measure=measure, story=f" {story} ")
    measure.refresh_from_db()
    assert (measure.is_win, measure.win_story, measure.win_marked_on) == (True, story, today())
    assert measure.stage == stage  # a win does not move the measure
    assert measure.events.filter(kind=MeasureEvent.Kind.WIN, actor=rep, comment=story).exists()
    assert selectors.wins(unit) == [measure]
    body = _detail(employee, measure)
    assert "A win" in body and story in body
    assert _action("win_mark", measure) not in _detail(rep, measure)
    # The unit page shows the win to everybody at the unit (R28).
    unit_page = text_of(
        logged_in(employee).get(reverse("organisation:unit_detail", args=[unit.pk]))
    )
    assert story in unit_page


@pytest.mark.parametrize(
    "stage,decision",
    [
        (Stage.IDEA, ""),
        (Stage.IN_TRIAL, ""),
        (Stage.EVALUATED, ""),
        (Stage.DECIDED, Decision.ADJUST),
        (Stage.DECIDED, Decision.REVERT),
        (Stage.STOPPED, ""),
    ],
)
def test_r28_only_kept_measures_are_wins(unit, party_group, stage, decision):
    measure = measure_at(party_group, unit, stage, decision=decision or Decision.KEEP)
    with pytest.raises(ValidationError) as exc:
        services.win_mark(actor=party_group["leader"], measure=measure, story="Bra!")
    assert "Only a measure the group decided to keep" in exc.value.messages[0]
    assert not Measure.objects.get(pk=measure.pk).is_win


def test_r28_win_page_needs_the_story(unit, party_group):
    measure = measure_at(party_group, unit, Stage.DECIDED)
    response = logged_in(party_group["leader"]).post(
        reverse("measures:win_mark", args=[measure.pk]), with_version(measure, {"story": ""})
    )
    assert response.status_code == 400
    body = text_of(response)
    assert "Tell the story in a few sentences" in body
    assert 'aria-invalid="true"' in field_tag(body, "story")
