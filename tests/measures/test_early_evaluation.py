"""Issue 10, R28: evaluating a trial long before its planned end asks for a confirmation and a
reason, and the timeline shows it. Near the end (two weeks or less) nothing extra is asked."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.measures.conftest import advance, days, logged_in, measure_at, with_version
from trepart.measures import services
from trepart.measures.models import MeasureEvent, Stage

FINDINGS = {"findings": "Færre vakter ble byttet.", "assessment": "Det virker godt."}


@pytest.fixture
def long_trial(unit, party_group):
    measure = measure_at(party_group, unit, Stage.PLANNED)
    services.trial_start(
        actor=party_group["leader"], measure=measure, participants="Alle", ends_on=days(90)
    )
    measure.refresh_from_db()
    return measure


def test_r28_early_evaluation_needs_a_reason_and_a_confirmation(long_trial, party_group):
    with pytest.raises(ValidationError) as exc:
        services.evaluate(actor=party_group["leader"], measure=long_trial, **FINDINGS)
    assert set(exc.value.error_dict) == {"early_reason", "confirm_early"}
    assert "90 more days" in exc.value.error_dict["early_reason"][0].messages[0]
    long_trial.refresh_from_db()
    assert long_trial.stage == Stage.IN_TRIAL


def test_r28_early_evaluation_with_reason_is_shown_on_the_timeline(long_trial, party_group):
    client = logged_in(party_group["leader"])
    response = client.post(
        reverse("measures:evaluate", args=[long_trial.pk]),
        with_version(
            long_trial,
            {**FINDINGS, "early_reason": "Alle har prøvd ordningen nok.", "confirm_early": "on"},
        ),
    )
    assert response.status_code == 302
    long_trial.refresh_from_db()
    assert long_trial.stage == Stage.EVALUATED
    event = long_trial.events.filter(kind=MeasureEvent.Kind.STAGE).latest("id")
    assert "90 days before the planned end" in event.comment
    assert "Alle har prøvd ordningen nok." in event.comment
    page = client.get(reverse("measures:measure_detail", args=[long_trial.pk])).content.decode()
    assert "Alle har prøvd ordningen nok." in page


def test_the_page_warns_and_keeps_what_was_typed(long_trial, party_group):
    client = logged_in(party_group["leader"])
    page = client.get(reverse("measures:measure_detail", args=[long_trial.pk])).content.decode()
    assert "Evaluating now ends it early" in page
    assert 'name="early_reason"' in page and 'name="confirm_early"' in page
    response = client.post(
        reverse("measures:evaluate", args=[long_trial.pk]), with_version(long_trial, FINDINGS)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert FINDINGS["findings"] in html  # kept
    assert (
        'id="id_evaluate_early_reason_error"' in html
        and 'id="id_evaluate_confirm_early_error"' in html
    )


def test_near_the_planned_end_nothing_extra_is_asked(unit, party_group):
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)  # the helper's trial ends in a week
    page = logged_in(party_group["leader"]).get(
        reverse("measures:measure_detail", args=[measure.pk])
    )
    assert 'name="early_reason"' not in page.content.decode()
    measure = advance(measure, party_group, Stage.EVALUATED)
    assert measure.stage == Stage.EVALUATED


def test_labels_of_needed_fields_do_not_say_optional(unit, party_group):
    """Issue 10: a note's text (and the other fields the group must fill in) is not "optional"."""
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    page = logged_in(party_group["leader"]).get(
        reverse("measures:measure_detail", args=[measure.pk])
    )
    html = page.content.decode()
    for field_id in ("id_note_text", "id_stop_reason"):
        label = html[html.index(f'<label class="ds-label" for="{field_id}">') :]
        label = label[: label.index("</label>")]
        assert "(optional)" not in label, field_id
    evidence = html[html.index('<label class="ds-label" for="id_evidence_text">') :]
    assert "(or an attachment)" in evidence[: evidence.index("</label>")]


def test_a_refused_step_whose_form_is_gone_is_shown_by_the_next_step(unit, party_group):
    """Issue 10: e.g. a second click after the stage moved on: the reason is shown in the
    "next step" card (role=alert) with what was typed, not at the top of the page."""
    measure = measure_at(party_group, unit, Stage.DECIDED)
    response = logged_in(party_group["leader"]).post(
        reverse("measures:evaluate", args=[measure.pk]), with_version(measure, FINDINGS)
    )
    assert response.status_code == 400
    html = response.content.decode()
    card = html[html.index('id="next-heading"') :]
    assert 'role="alert" id="conflict"' in card
    assert FINDINGS["findings"] in card
    assert 'class="messages"' not in html
