"""Invalid POSTs on the measure pages come back with status 400, the error summary and the
field marked aria-invalid, and change nothing (P8: forms work without JavaScript)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.measures.conftest import field_tag, logged_in, measure_at, text_of, with_version
from trepart.measures import services
from trepart.measures.models import Measure, MeasureEvent, Stage

CASES = [
    # (action, stage, data, invalid field, message)
    (
        "evaluate",
        Stage.IN_TRIAL,
        {"findings": "", "assessment": "Det virker."},
        "findings",
        "Write what happened, measured against the success criteria.",
    ),
    (
        "evaluate",
        Stage.IN_TRIAL,
        {"findings": "Færre sykedager", "assessment": "  "},
        "assessment",
        "Write the group's assessment.",
    ),
    (
        "decide",
        Stage.EVALUATED,
        {"decision": "", "note": "Fordi"},
        "decision",
        "Choose what the group decides.",
    ),
    (
        "decide",
        Stage.EVALUATED,
        {"decision": "keep", "note": ""},
        "note",
        "Write why.",
    ),
    (
        "decide",
        Stage.EVALUATED,
        {"decision": "kanskje", "note": "Fordi"},
        "decision",
        "Select a valid choice.",
    ),
    ("note_add", Stage.IN_TRIAL, {"text": "  "}, "text", "Write the note."),
    (
        "trial_start",
        Stage.PLANNED,
        {"participants": ""},
        "participants",
        "Write who takes part",
    ),
    (
        "trial_start",
        Stage.PLANNED,
        {"participants": "Alle", "starts_on": "2026-05-01", "ends_on": "2026-04-01"},
        "ends_on",
        "The trial must end after it starts.",
    ),
    (
        "trial_start",
        Stage.PLANNED,
        {"participants": "Alle", "starts_on": "1. mai"},
        "starts_on",
        "Enter a valid date.",
    ),
    ("stop", Stage.IDEA, {"reason": ""}, "reason", "Write why the measure is stopped."),
    ("stop", Stage.IN_TRIAL, {"reason": " "}, "reason", "Write why the measure is stopped."),
]


@pytest.mark.parametrize(
    "action,stage,data,field,message",
    CASES,
    ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)],
)
def test_p4_invalid_action_is_400_with_the_error_on_the_field(
    unit, party_group, action, stage, data, field, message
):
    measure = measure_at(party_group, unit, stage)
    events = measure.events.count()
    response = logged_in(party_group["leader"]).post(
        reverse(f"measures:{action}", args=[measure.pk]), with_version(measure, data)
    )
    assert response.status_code == 400
    body = text_of(response)
    assert message in body
    assert 'aria-invalid="true"' in field_tag(body, field)
    fresh = Measure.objects.get(pk=measure.pk)
    assert fresh.stage == stage
    assert fresh.events.count() == events


def test_p4_invalid_action_keeps_what_was_typed(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    response = logged_in(party_group["leader"]).post(
        reverse("measures:evaluate", args=[measure.pk]),
        with_version(measure, {"findings": "", "assessment": "Det virker godt."}),
    )
    assert response.status_code == 400
    assert "Det virker godt." in text_of(response)
    assert 'id="error-summary"' in text_of(response)


def test_p4_plan_page_without_title_is_400(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IDEA)
    response = logged_in(party_group["leader"]).post(
        reverse("measures:plan_edit", args=[measure.pk]), {"title": "", "goals": "Mer fri"}
    )
    assert response.status_code == 400
    body = text_of(response)
    assert 'aria-invalid="true"' in field_tag(body, "title")
    assert "Mer fri" in body  # kept
    fresh = Measure.objects.get(pk=measure.pk)
    assert fresh.stage == Stage.IDEA and fresh.goals == ""


def test_p4_plan_page_with_out_of_scope_text_is_400(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IDEA)
    response = logged_in(party_group["leader"]).post(
        reverse("measures:plan_edit", args=[measure.pk]),
        with_version(
            measure, {"title": measure.title, "goals": "Få til lønnstillegg for helgevakter"}
        ),
    )
    assert response.status_code == 400
    assert "wage matter" in text_of(response)
    assert Measure.objects.get(pk=measure.pk).goals == ""


def test_p4_plan_page_with_a_bad_date_is_400(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IDEA)
    response = logged_in(party_group["leader"]).post(
        reverse("measures:plan_edit", args=[measure.pk]),
        {"title": measure.title, "evaluation_on": "snart"},
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in field_tag(text_of(response), "evaluation_on")


def test_p4_note_is_added_to_the_timeline(unit, party_group):
    """The valid counterpart of the note case above."""
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    rep = party_group["rep_nsf"]
    response = logged_in(rep).post(
        reverse("measures:note_add", args=[measure.pk]), {"text": " Uke 3: alle fornøyde "}
    )
    assert response.status_code == 302
    assert measure.events.filter(
        kind=MeasureEvent.Kind.NOTE, actor=rep, comment="Uke 3: alle fornøyde"
    ).exists()


def test_p4_create_page_creates_and_goes_to_the_plan(unit, party_group):
    client = logged_in(party_group["leader"])
    response = client.post(
        reverse("measures:measure_create", args=[unit.pk]),
        {"title": "Faste pauser", "problem": "Vi rekker ikke pausene."},
    )
    measure = Measure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:plan_edit", args=[measure.pk])
    assert (measure.title, measure.problem, measure.stage) == (
        "Faste pauser",
        "Vi rekker ikke pausene.",
        Stage.IDEA,
    )
    assert measure.events.get().kind == MeasureEvent.Kind.CREATED


def test_p4_create_page_without_title_is_400(unit, party_group):
    response = logged_in(party_group["leader"]).post(
        reverse("measures:measure_create", args=[unit.pk]), {"title": "", "problem": "Noe"}
    )
    assert 'aria-invalid="true"' in field_tag(text_of(response), "title")
    assert not Measure.objects.exists()
    assert response.status_code == 400


@pytest.mark.parametrize(
    "stage,allowed",
    [
        (Stage.IDEA, False),
        (Stage.PLANNED, False),
        (Stage.IN_TRIAL, True),
        (Stage.EVALUATED, True),
        (Stage.DECIDED, False),
        (Stage.DONE, False),
        (Stage.STOPPED, False),
    ],
)
def test_p4_notes_are_written_while_the_trial_runs(unit, party_group, stage, allowed):
    measure = measure_at(party_group, unit, stage)
    if allowed:
        services.note_add(actor=party_group["leader"], measure=measure, text="Uke 2")
        assert measure.events.filter(kind=MeasureEvent.Kind.NOTE).count() == 1
    else:
        with pytest.raises(ValidationError):
            services.note_add(actor=party_group["leader"], measure=measure, text="Uke 2")
        assert not measure.events.filter(kind=MeasureEvent.Kind.NOTE).exists()


@pytest.mark.parametrize("stage", [Stage.IN_TRIAL, Stage.EVALUATED, Stage.DECIDED, Stage.DONE])
def test_p4_plan_is_only_changed_before_the_trial(unit, party_group, stage):
    measure = measure_at(party_group, unit, stage)
    with pytest.raises(ValidationError):
        services.plan_save(actor=party_group["leader"], measure=measure, goals="Noe annet")
    assert Measure.objects.get(pk=measure.pk).goals != "Noe annet"
    response = logged_in(party_group["leader"]).post(
        reverse("measures:plan_edit", args=[measure.pk]),
        with_version(measure, {"title": measure.title, "goals": "Noe annet"}),
    )
    assert response.status_code == 400
    assert Measure.objects.get(pk=measure.pk).goals != "Noe annet"
