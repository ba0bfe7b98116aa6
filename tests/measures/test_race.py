"""Issue 9, part 5: two people moving the same measure through its stages at the same moment.
The second move is refused with who made the first, not merged, and nothing of it is applied.

The version a page carries is the measure's latest timeline event id (trepart/core/
concurrency.py); `_move()` stays the only place a stage changes, and every service that reaches
it locks the measure's row first. The unit tests run on SQLite and PostgreSQL; the two-real-
transactions test needs PostgreSQL's row locks and is skipped on SQLite only.
"""

import re

import pytest
from django.db import connection
from django.urls import reverse

from tests.measures.conftest import (
    assess_risk,
    logged_in,
    measure_at,
    text_of,
    with_version,
)
from tests.race import race, race_catalogue  # noqa: F401  (fixture)
from trepart.core.concurrency import UNKNOWN_VERSION, StaleChange, current_version
from trepart.measures import services
from trepart.measures.models import Decision, Measure, MeasureEvent, Stage

FINDINGS = "Sykefraværet gikk ned fra 9 til 6 prosent."
NOTE_B = "Vi stopper fordi turnusen endres fra nyttår."


def _url(name, measure) -> str:
    return reverse(f"measures:{name}", args=[measure.pk])


def _state(measure):
    """Everything a move could touch, to show that a refused one changed nothing."""
    fresh = Measure.objects.get(pk=measure.pk)
    return (
        fresh.stage,
        fresh.findings,
        fresh.decision,
        fresh.stop_reason,
        fresh.line_outcome,
        fresh.is_win,
        fresh.goals,
        list(fresh.events.values_list("pk", "kind", "to_stage", "actor")),
    )


# --- the version --------------------------------------------------------------------------------


def test_version_is_the_latest_timeline_event(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IDEA)
    assert current_version(measure) == measure.events.get(kind=MeasureEvent.Kind.CREATED).pk
    services.plan_save(actor=party_group["leader"], measure=measure, goals="Mer fri")
    assert current_version(measure) == measure.events.get(to_stage=Stage.PLANNED).pk


MOVE_ACTIONS = ("trial_start", "evaluate", "decide", "outcome", "complete", "try_again", "stop")


@pytest.mark.parametrize(
    "stage,kwargs",
    [
        (Stage.PLANNED, {}),
        (Stage.IN_TRIAL, {}),
        (Stage.EVALUATED, {}),
        (Stage.DECIDED, {"referred_to": "AMU"}),
        (Stage.DECIDED, {"decision": Decision.ADJUST}),
        (Stage.DECIDED, {}),
    ],
)
def test_every_move_form_carries_the_version_the_page_shows(unit, party_group, stage, kwargs):
    measure = measure_at(party_group, unit, stage, **kwargs)
    body = text_of(logged_in(party_group["leader"]).get(_url("measure_detail", measure)))
    forms = re.findall(r"<form\b.*?</form>", body, re.S)
    moves = [f for f in forms for name in MOVE_ACTIONS + ("win_mark",) if _url(name, measure) in f]
    assert len(moves) >= 2  # the stage's own move, and stop (or the win)
    for form in moves:
        assert f'name="version" value="{current_version(measure)}"' in form, form[:300]


def test_plan_page_carries_the_version(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IDEA)
    body = text_of(logged_in(party_group["leader"]).get(_url("plan_edit", measure)))
    assert f'name="version" value="{current_version(measure)}"' in body


# --- the service refuses a stale move -----------------------------------------------------------


def test_a_stale_move_is_refused_naming_who(unit, party_group):
    """Both saw the trial running; the leader evaluated first; the rep's stop is refused."""
    leader, rep = party_group["leader"], party_group["rep_ff"]
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    seen = current_version(measure)
    services.evaluate(
        actor=leader, measure=measure, findings=FINDINGS, assessment="Det virker.", version=seen
    )
    before = _state(measure)
    stale = Measure.objects.get(pk=measure.pk)
    stale.stage = Stage.IN_TRIAL  # what the rep's page showed
    with pytest.raises(StaleChange) as exc:
        services.stop(actor=rep, measure=stale, reason=NOTE_B, version=seen)
    assert exc.value.changed_by == leader
    assert exc.value.messages == [
        "Liv Leder changed this just now. Look at the new state and try again."
    ]
    assert _state(measure) == before


def _moves():
    """Each versioned service, with the stage it is tried in and valid arguments."""
    return {
        "plan_save": (Stage.IDEA, {}, lambda a, m, v: services.plan_save(
            actor=a, measure=m, goals="Annet", version=v
        )),
        "trial_start": (Stage.PLANNED, {}, lambda a, m, v: services.trial_start(
            actor=a, measure=m, participants="Alle", version=v
        )),
        "evaluate": (Stage.IN_TRIAL, {}, lambda a, m, v: services.evaluate(
            actor=a, measure=m, findings="F", assessment="A", version=v
        )),
        "decide": (Stage.EVALUATED, {}, lambda a, m, v: services.decide(
            actor=a, measure=m, decision=Decision.KEEP, note="N", version=v
        )),
        "outcome": (Stage.DECIDED, {"referred_to": "AMU"}, lambda a, m, v: (
            services.line_outcome_record(actor=a, measure=m, outcome="Vedtatt", version=v)
        )),
        "complete": (Stage.DECIDED, {}, lambda a, m, v: services.complete(
            actor=a, measure=m, version=v
        )),
        "try_again": (Stage.DECIDED, {"decision": Decision.ADJUST}, lambda a, m, v: (
            services.try_again(actor=a, measure=m, version=v)
        )),
        "stop": (Stage.IN_TRIAL, {}, lambda a, m, v: services.stop(
            actor=a, measure=m, reason="R", version=v
        )),
        "win_mark": (Stage.DECIDED, {}, lambda a, m, v: services.win_mark(
            actor=a, measure=m, story="S", version=v
        )),
    }  # fmt: skip


MOVES = sorted(_moves())


@pytest.mark.parametrize("name", MOVES)
def test_every_move_checks_the_version(unit, party_group, name):
    """A change by someone else since the page was opened (here: a risk assessment or a note on
    the timeline) refuses the move; with the current version the same move goes through."""
    stage, kwargs, call = _moves()[name]
    measure = measure_at(party_group, unit, stage, **kwargs)
    seen = current_version(measure)
    assess_risk(party_group, measure)  # by the safety rep, between opening and sending
    before = _state(measure)
    with pytest.raises(StaleChange) as exc:
        call(party_group["leader"], measure, seen)
    assert exc.value.changed_by == party_group["safety"]
    assert _state(measure) == before
    call(party_group["leader"], measure, current_version(measure))
    assert _state(measure) != before


def test_unknown_version_is_refused_with_its_own_message(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    before = _state(measure)
    with pytest.raises(StaleChange) as exc:
        services.stop(
            actor=party_group["leader"], measure=measure, reason="R", version=UNKNOWN_VERSION
        )
    assert "incomplete or out of date" in exc.value.messages[0]
    assert _state(measure) == before


def test_a_change_by_nobody_known_is_named_neutrally(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    seen = current_version(measure)
    services.note_add(actor=party_group["rep_ff"], measure=measure, text="Uke 2")
    MeasureEvent.objects.filter(measure=measure).update(actor=None)  # the system, or deleted
    with pytest.raises(StaleChange) as exc:
        services.stop(actor=party_group["leader"], measure=measure, reason="R", version=seen)
    assert exc.value.messages == [
        "Someone else changed this just now. Look at the new state and try again."
    ]


def test_notes_and_evidence_are_added_without_a_version(unit, party_group):
    """Adding to the timeline cannot conflict; it still moves the version for the others."""
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    seen = current_version(measure)
    client = logged_in(party_group["rep_nsf"])
    assert client.post(_url("note_add", measure), {"text": "Uke 3"}).status_code == 302
    assert client.post(_url("evidence_add", measure), {"text": "Tall"}).status_code == 302
    assert current_version(measure) > seen


# --- the pages ----------------------------------------------------------------------------------


def test_decide_page_conflict_names_who_and_keeps_what_was_typed(unit, party_group):
    """The leader decides; the rep, on the page opened before, decides otherwise: 409, the
    leader's decision stands, the rep reads who and still has their text (the decide form is
    gone: the measure is decided)."""
    leader, rep = party_group["leader"], party_group["rep_ff"]
    measure = measure_at(party_group, unit, Stage.EVALUATED)
    seen = with_version(measure)
    keep = {"decision": "keep", "note": "Ansatte vil fortsette."}
    assert logged_in(leader).post(_url("decide", measure), seen | keep).status_code == 302
    before = _state(measure)
    revert = {"decision": "revert", "note": NOTE_B}
    response = logged_in(rep).post(_url("decide", measure), seen | revert)
    assert response.status_code == 409
    body = text_of(response)
    assert "Liv Leder changed this just now. Look at the new state and try again." in body
    assert "What you wrote is not saved." in body and NOTE_B in body
    assert _state(measure) == before
    assert f'name="version" value="{current_version(measure)}"' in body


def test_conflict_with_the_form_still_on_the_page_keeps_the_text_in_it(unit, party_group):
    """A note was added while the rep wrote the evaluation: refused (look first), the
    evaluation form is still there with the rep's text and the new version; sending again
    goes through."""
    leader, rep = party_group["leader"], party_group["rep_ff"]
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    seen = with_version(measure)
    services.note_add(actor=leader, measure=measure, text="Uke 4: to sa opp")
    data = {"findings": FINDINGS, "assessment": "Det virker."}
    response = logged_in(rep).post(_url("evaluate", measure), seen | data)
    assert response.status_code == 409
    body = text_of(response)
    assert "Liv Leder changed this just now." in body
    assert "What you wrote is not saved." not in body  # the form itself keeps it
    assert re.search(r"<textarea[^>]*name=\"findings\"[^>]*>\s*" + re.escape(FINDINGS), body)
    assert "Uke 4: to sa opp" in body  # the new state
    assert Measure.objects.get(pk=measure.pk).stage == Stage.IN_TRIAL
    again = logged_in(rep).post(_url("evaluate", measure), with_version(measure, data))
    assert again.status_code == 302
    assert Measure.objects.get(pk=measure.pk).stage == Stage.EVALUATED


def test_double_click_on_stop_stops_once(unit, party_group):
    measure = measure_at(party_group, unit, Stage.PLANNED)
    client = logged_in(party_group["leader"])
    data = with_version(measure, {"reason": "Prioriterer annet."})
    assert client.post(_url("stop", measure), data).status_code == 302
    again = client.post(_url("stop", measure), data)
    assert again.status_code == 409
    assert "You changed this yourself just now" in text_of(again)
    assert measure.events.filter(to_stage=Stage.STOPPED).count() == 1


def test_plan_page_conflict_keeps_the_form_and_saves_on_the_second_try(unit, party_group):
    leader, rep = party_group["leader"], party_group["rep_ff"]
    measure = measure_at(party_group, unit, Stage.IDEA)
    seen = with_version(measure)
    services.plan_save(actor=leader, measure=measure, goals="Lederens mål")
    data = {"title": measure.title, "goals": "Tillitsvalgtes mål"}
    response = logged_in(rep).post(_url("plan_edit", measure), seen | data)
    assert response.status_code == 409
    body = text_of(response)
    assert "Liv Leder changed this just now." in body
    assert "Tillitsvalgtes mål" in body
    assert f'name="version" value="{current_version(measure)}"' in body
    assert Measure.objects.get(pk=measure.pk).goals == "Lederens mål"
    again = logged_in(rep).post(_url("plan_edit", measure), with_version(measure, data))
    assert again.status_code == 302
    assert Measure.objects.get(pk=measure.pk).goals == "Tillitsvalgtes mål"


@pytest.mark.parametrize("version", [None, "", "abc", "-3", "2.0", "٣", "9" * 40])
@pytest.mark.parametrize(
    "name,stage,data",
    [
        ("trial_start", Stage.PLANNED, {"participants": "Alle"}),
        ("evaluate", Stage.IN_TRIAL, {"findings": FINDINGS, "assessment": "Bra"}),
        ("decide", Stage.EVALUATED, {"decision": "keep", "note": "Fordi"}),
        ("stop", Stage.IN_TRIAL, {"reason": "Stopp"}),
        ("plan_edit", Stage.IDEA, {"title": "Ny tittel", "goals": "Mål"}),
    ],
)
def test_missing_or_junk_version_is_refused_not_a_server_error(
    unit, party_group, version, name, stage, data
):
    measure = measure_at(party_group, unit, stage)
    if version is not None:
        data = data | {"version": version}
    before = _state(measure)
    response = logged_in(party_group["leader"]).post(_url(name, measure), data)
    assert response.status_code == 409
    assert "The page you sent this from was incomplete or out of date." in text_of(response)
    assert _state(measure) == before


def test_conflict_message_in_norwegian(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    seen = with_version(measure)
    services.note_add(actor=party_group["leader"], measure=measure, text="Uke 1")
    nb = logged_in(party_group["rep_ff"], language="nb").post(
        _url("stop", measure), seen | {"reason": "Stopp"}
    )
    assert nb.status_code == 409
    assert "Liv Leder endret dette nettopp. Se hvordan det står nå, og prøv igjen." in text_of(nb)


# --- two real transactions (PostgreSQL) ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("race_catalogue")  # before the data is made
def test_two_real_transactions_the_second_waits_and_is_refused(unit, party_group):
    """Both read the same evaluated measure; the leader's decision commits while the rep's stop
    waits on the row lock; then the stop is refused and nothing of it is applied."""
    if connection.vendor == "sqlite":
        pytest.skip(
            "needs PostgreSQL row locks (SELECT … FOR UPDATE); SQLite locks the whole file. "
            "The version check itself is tested above on both; CI runs this on PostgreSQL."
        )
    leader, rep = party_group["leader"], party_group["rep_ff"]
    measure = measure_at(party_group, unit, Stage.EVALUATED)

    def read():
        fresh = Measure.objects.get(pk=measure.pk)
        return fresh, current_version(fresh)

    def first(seen):
        fresh, version = seen
        return services.decide(
            actor=leader, measure=fresh, decision=Decision.KEEP, note="Fortsett", version=version
        )

    def second(seen):
        fresh, version = seen
        return services.stop(actor=rep, measure=fresh, reason=NOTE_B, version=version)

    events_before = measure.events.count()
    out = race(read, first, second)
    assert out["second_blocked"], "the second transaction did not wait for the row lock"
    assert isinstance(out["second_error"], StaleChange), out
    assert out["second_error"].changed_by == leader
    fresh = Measure.objects.get(pk=measure.pk)
    assert (fresh.stage, fresh.decision, fresh.stop_reason) == (Stage.DECIDED, "keep", "")
    new_events = list(fresh.events.values_list("actor", "to_stage"))[events_before:]
    assert new_events == [(leader.pk, Stage.DECIDED)]
