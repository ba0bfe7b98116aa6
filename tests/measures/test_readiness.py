"""Before a trial starts (R24–R27): the plan answers the six success questions and the big-topic
recipe, the safety rep has assessed the working-environment risk, and the trial has a period and
participants. The plan may be saved incomplete; the page and the refusal say exactly what is
missing. Planning asks the unit's safety rep for the risk assessment, once."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.text import capfirst

from tests.factories import UnitFactory, person_with_role
from tests.measures.conftest import (
    RISKS,
    assess_risk,
    days,
    logged_in,
    new_measure,
    plan,
    text_of,
    today,
    with_version,
)
from trepart.measures import services
from trepart.measures.models import Measure, MeasureEvent, RiskAssessment, Stage
from trepart.organisation.models import Role

RISK_LABEL = "HMS risk assessment by the safety rep"


def _label(name):
    """The label as the page and the refusal show it."""
    return capfirst(str(Measure._meta.get_field(name).verbose_name))


def _missing_in(exc) -> list[str]:
    message = exc.messages[0]
    match = re.fullmatch(r"The trial cannot start yet\. Missing: (.*)\.", message)
    assert match, message
    return match.group(1).split("; ")


def _planned(group, unit, **overrides):
    measure = new_measure(group, unit)
    services.plan_save(actor=group["leader"], measure=measure, **plan(**overrides))
    measure.refresh_from_db()
    return measure


# --- the plan (R24, R27) ------------------------------------------------------------------------


@pytest.mark.parametrize("field", services.REQUIRED_PLAN_FIELDS)
def test_r27_trial_start_refused_listing_exactly_the_one_missing_plan_part(
    unit, party_group, field
):
    measure = _planned(party_group, unit, **{field: None if field == "evaluation_on" else ""})
    assess_risk(party_group, measure)
    assert services.missing_for_trial(measure) == [_label(field)]
    with pytest.raises(ValidationError) as exc:
        services.trial_start(actor=party_group["leader"], measure=measure, participants="Alle")
    assert exc.value.code == "not_ready"
    assert _missing_in(exc.value) == [_label(field)]
    fresh = Measure.objects.get(pk=measure.pk)
    assert fresh.stage == Stage.PLANNED and fresh.trial_started_on is None


@pytest.mark.parametrize(
    "field", [f for f in services.REQUIRED_PLAN_FIELDS if f != "evaluation_on"]
)
def test_r27_a_plan_part_of_only_spaces_counts_as_missing(unit, party_group, field):
    measure = _planned(party_group, unit)
    assess_risk(party_group, measure)
    setattr(measure, field, "   \n ")
    assert services.missing_for_trial(measure) == [_label(field)]


def test_r27_empty_plan_lists_every_required_part_and_the_risk_assessment(unit, party_group):
    measure = new_measure(party_group, unit, problem="")
    services.plan_save(actor=party_group["leader"], measure=measure, title="Langvakter")
    with pytest.raises(ValidationError) as exc:
        services.trial_start(actor=party_group["leader"], measure=measure, participants="Alle")
    expected = [_label(f) for f in services.REQUIRED_PLAN_FIELDS] + [RISK_LABEL]
    assert _missing_in(exc.value) == expected


def test_r27_political_and_administrative_anchoring_and_facts_are_optional(unit, party_group):
    """A small change at one unit often needs neither political nor administrative anchoring."""
    measure = _planned(
        party_group, unit, anchoring_political="", anchoring_administrative="", facts_needed=""
    )
    assess_risk(party_group, measure)
    assert services.missing_for_trial(measure) == []
    services.trial_start(actor=party_group["leader"], measure=measure, participants="Alle")
    assert Measure.objects.get(pk=measure.pk).stage == Stage.IN_TRIAL


def test_p4_plan_can_be_saved_incomplete_and_idea_becomes_planned_once(unit, party_group):
    leader = party_group["leader"]
    measure = new_measure(party_group, unit)
    assert measure.stage == Stage.IDEA
    services.plan_save(actor=leader, measure=measure, goals="  Mer fri i helgene  ")
    measure.refresh_from_db()
    assert measure.stage == Stage.PLANNED
    assert measure.goals == "Mer fri i helgene"  # trimmed
    services.plan_save(actor=leader, measure=measure, resources="To timer")
    measure.refresh_from_db()
    assert measure.stage == Stage.PLANNED and measure.goals == "Mer fri i helgene"
    moves = measure.events.filter(kind=MeasureEvent.Kind.STAGE)
    assert list(moves.values_list("from_stage", "to_stage")) == [(Stage.IDEA, Stage.PLANNED)]


def test_p4_plan_page_saves_incomplete_plan_and_detail_lists_whats_missing(unit, party_group):
    leader = party_group["leader"]
    measure = new_measure(party_group, unit)
    client = logged_in(leader)
    url = reverse("measures:plan_edit", args=[measure.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Needed for the trial" in text_of(page)
    response = client.post(
        url, with_version(measure, {"title": "Langvakter i helgene", "goals": "Mer fri"})
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:measure_detail", args=[measure.pk])
    measure.refresh_from_db()
    assert measure.stage == Stage.PLANNED and measure.goals == "Mer fri"
    body = text_of(client.get(response["Location"]))
    assert 'id="missing-for-trial"' in body
    missing = body.split('id="missing-for-trial"')[1].split("</div>")[0]
    assert _label("problem") in missing and RISK_LABEL in missing
    assert _label("goals") not in missing


def test_p4_plan_cannot_change_during_the_trial(unit, party_group):
    measure = _planned(party_group, unit)
    assess_risk(party_group, measure)
    services.trial_start(actor=party_group["leader"], measure=measure, participants="Alle")
    with pytest.raises(ValidationError):
        services.plan_save(actor=party_group["leader"], measure=measure, goals="Noe annet")
    assert Measure.objects.get(pk=measure.pk).goals != "Noe annet"


def test_p4_plan_save_refuses_unknown_fields(unit, party_group):
    measure = new_measure(party_group, unit)
    with pytest.raises(ValueError):
        services.plan_save(actor=party_group["leader"], measure=measure, stage=Stage.DONE)
    assert Measure.objects.get(pk=measure.pk).stage == Stage.IDEA


def test_r14_wage_matters_are_refused_as_measures(unit, party_group):
    with pytest.raises(ValidationError) as exc:
        new_measure(party_group, unit, title="Lønnstillegg for helgevakter")
    assert exc.value.code == "out_of_scope_wages"
    measure = new_measure(party_group, unit)
    with pytest.raises(ValidationError):
        services.plan_save(
            actor=party_group["leader"], measure=measure, goals="Lønnsforhandlinger i høst"
        )
    assert not Measure.objects.filter(title__startswith="Lønn").exists()


def test_p4_measure_needs_a_title(unit, party_group):
    with pytest.raises(ValidationError) as exc:
        new_measure(party_group, unit, title="   ")
    assert "title" in exc.value.message_dict


# --- the safety rep is asked, once (R26) --------------------------------------------------------


def test_r26_first_plan_save_emails_the_units_safety_rep_once(
    unit, party_group, employee, django_capture_on_commit_callbacks
):
    leader, safety = party_group["leader"], party_group["safety"]
    other_unit = UnitFactory(municipality=unit.municipality)
    person_with_role(Role.SAFETY_REP, other_unit)
    measure = new_measure(party_group, unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_save(actor=leader, measure=measure, goals="Mer fri")
    assert [m.to for m in mail.outbox] == [[safety.email]]
    message = mail.outbox[0]
    assert measure.title in message.subject and measure.title in message.body
    assert reverse("measures:measure_detail", args=[measure.pk]) in message.body
    assert Measure.objects.get(pk=measure.pk).risk_requested_on == today()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_save(actor=leader, measure=measure, resources="Litt tid")
        services.plan_save(actor=leader, measure=measure, follow_up="Hver måned")
    assert len(mail.outbox) == 1


def test_r26_no_email_when_the_risk_is_already_assessed(
    unit, party_group, django_capture_on_commit_callbacks
):
    measure = new_measure(party_group, unit)
    assess_risk(party_group, measure)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_save(actor=party_group["leader"], measure=measure, goals="Mer fri")
    assert mail.outbox == []


def test_r26_plan_page_save_emails_the_safety_rep(
    unit, party_group, django_capture_on_commit_callbacks
):
    measure = new_measure(party_group, unit)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(party_group["rep_nsf"]).post(
            reverse("measures:plan_edit", args=[measure.pk]),
            with_version(measure, {"title": measure.title}),
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[party_group["safety"].email]]


# --- the risk assessment (R26) ------------------------------------------------------------------


def test_r26_trial_start_refused_without_risk_assessment(unit, party_group):
    measure = _planned(party_group, unit)
    assert services.missing_for_trial(measure) == [RISK_LABEL]
    with pytest.raises(ValidationError) as exc:
        services.trial_start(actor=party_group["leader"], measure=measure, participants="Alle")
    assert _missing_in(exc.value) == [RISK_LABEL]


def test_r26_someone_else_must_name_the_safety_rep_it_was_made_with(unit, party_group):
    leader = party_group["leader"]
    measure = _planned(party_group, unit)
    with pytest.raises(ValidationError) as exc:
        services.risk_assessment_save(actor=leader, measure=measure, summary="Lav", risks=RISKS)
    assert "with_safety_rep" in exc.value.message_dict
    assert not RiskAssessment.objects.filter(measure=measure).exists()
    services.risk_assessment_save(
        actor=leader,
        measure=measure,
        summary="Lav",
        risks=RISKS,
        with_safety_rep=" Vera Verneombud ",
    )
    risk = RiskAssessment.objects.get(measure=measure)
    assert (risk.by_safety_rep, risk.with_safety_rep, risk.made_by) == (
        False,
        "Vera Verneombud",
        leader,
    )
    measure.refresh_from_db()
    assert services.missing_for_trial(measure) == []


def test_r26_the_safety_reps_own_assessment_is_accepted(unit, party_group):
    safety = party_group["safety"]
    measure = _planned(party_group, unit)
    services.risk_assessment_save(
        actor=safety,
        measure=measure,
        summary="Akseptabel",
        risks=RISKS + [{"description": "  ", "likelihood": None, "consequence": None}],
        with_safety_rep="Ignoreres",
    )
    risk = RiskAssessment.objects.get(measure=measure)
    assert risk.by_safety_rep and risk.with_safety_rep == "" and risk.made_by == safety
    assert risk.assessed_on == today()
    assert [(r.description, r.score) for r in risk.risks.all()] == [
        ("Lange vakter kan gi slitasje.", 4)
    ]
    assert measure.events.filter(kind=MeasureEvent.Kind.RISK, actor=safety).exists()
    measure.refresh_from_db()
    assert services.missing_for_trial(measure) == []


def test_r26_the_safety_rep_of_another_unit_does_not_count(unit, party_group, municipality):
    """A person who is safety rep elsewhere and union rep here records it for this unit: they
    must name this unit's safety rep."""
    measure = _planned(party_group, unit)
    rep = party_group["rep_ff"]
    from tests.factories import give_role

    give_role(rep, Role.SAFETY_REP, UnitFactory(municipality=municipality))
    with pytest.raises(ValidationError) as exc:
        services.risk_assessment_save(actor=rep, measure=measure, summary="Lav", risks=[])
    assert "with_safety_rep" in exc.value.message_dict


def test_r26_risk_rows_need_likelihood_and_consequence_and_something_written(unit, party_group):
    safety = party_group["safety"]
    measure = _planned(party_group, unit)
    with pytest.raises(ValidationError) as exc:
        services.risk_assessment_save(actor=safety, measure=measure, summary="", risks=[])
    assert "summary" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.risk_assessment_save(
            actor=safety,
            measure=measure,
            summary="",
            risks=[{"description": "Slitasje", "likelihood": 2, "consequence": ""}],
        )
    assert "risks" in exc.value.message_dict


def test_r26_updating_the_assessment_replaces_its_risks(unit, party_group):
    safety = party_group["safety"]
    measure = _planned(party_group, unit)
    assess_risk(party_group, measure)
    services.risk_assessment_save(
        actor=safety,
        measure=measure,
        summary="Ny vurdering",
        risks=[{"description": "Ny risiko", "likelihood": 3, "consequence": 3}],
    )
    risk = RiskAssessment.objects.get(measure=measure)
    assert risk.summary == "Ny vurdering"
    assert [r.description for r in risk.risks.all()] == ["Ny risiko"]


def test_r26_employee_cannot_record_the_risk_assessment(unit, party_group, employee):
    measure = _planned(party_group, unit)
    with pytest.raises(PermissionDenied):
        services.risk_assessment_save(
            actor=employee, measure=measure, summary="x", risks=[], with_safety_rep="Vera"
        )


def test_r26_risk_page_for_the_safety_rep_and_for_others(unit, party_group):
    measure = _planned(party_group, unit)
    url = reverse("measures:risk_edit", args=[measure.pk])
    safety_page = text_of(logged_in(party_group["safety"]).get(url))
    assert 'name="with_safety_rep"' not in safety_page
    leader_client = logged_in(party_group["leader"])
    assert 'name="with_safety_rep"' in text_of(leader_client.get(url))
    data = {
        "risk-TOTAL_FORMS": "2",
        "risk-INITIAL_FORMS": "0",
        "risk-MIN_NUM_FORMS": "0",
        "risk-MAX_NUM_FORMS": "12",
        "risk-0-description": "Slitasje",
        "risk-0-likelihood": "2",
        "risk-0-consequence": "3",
        "risk-0-mitigation": "Pauser",
        "summary": "Akseptabel",
    }
    refused = leader_client.post(url, data)
    assert refused.status_code == 400
    assert 'aria-invalid="true"' in text_of(refused)
    assert not RiskAssessment.objects.filter(measure=measure).exists()
    accepted = leader_client.post(url, data | {"with_safety_rep": "Vera Verneombud"})
    assert accepted.status_code == 302
    detail = text_of(leader_client.get(reverse("measures:measure_detail", args=[measure.pk])))
    assert "together with the safety rep Vera Verneombud" in detail
    assert "Slitasje" in detail and "Pauser" in detail


# --- the trial period and participants (R25) ----------------------------------------------------


def _ready(group, unit, **overrides):
    measure = _planned(group, unit, **overrides)
    assess_risk(group, measure)
    measure.refresh_from_db()
    return measure


def test_r25_trial_starts_today_and_ends_six_months_later_by_default(unit, party_group):
    measure = _ready(party_group, unit, evaluation_on=days(60))
    services.trial_start(actor=party_group["leader"], measure=measure, participants=" Åtte ")
    measure.refresh_from_db()
    assert measure.stage == Stage.IN_TRIAL
    assert measure.trial_started_on == today()
    assert measure.trial_ends_on == services.add_months(today(), 6)
    assert measure.participants == "Åtte"
    assert measure.evaluation_on == days(60)  # the planned date stays


def test_r25_evaluation_before_the_start_moves_to_the_planned_end(unit, party_group):
    measure = _ready(party_group, unit, evaluation_on=days(-3))
    services.trial_start(actor=party_group["leader"], measure=measure, participants="Alle")
    measure.refresh_from_db()
    assert measure.evaluation_on == measure.trial_ends_on == services.add_months(today(), 6)


def test_r25_trial_from_31_august_ends_on_the_last_day_of_february(unit, party_group):
    measure = _ready(party_group, unit, evaluation_on=datetime.date(2025, 12, 1))
    services.trial_start(
        actor=party_group["leader"],
        measure=measure,
        starts_on=datetime.date(2025, 8, 31),
        participants="Alle",
    )
    measure.refresh_from_db()
    assert measure.trial_started_on == datetime.date(2025, 8, 31)
    assert measure.trial_ends_on == datetime.date(2026, 2, 28)


@pytest.mark.parametrize(
    "start,months,expected",
    [
        (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),  # leap year
        (datetime.date(2023, 8, 30), 6, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 7, 15), 6, datetime.date(2026, 1, 15)),  # over new year
        (datetime.date(2025, 12, 31), 2, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 10, 31), 1, datetime.date(2025, 11, 30)),
        (datetime.date(2025, 3, 31), 12, datetime.date(2026, 3, 31)),
        (datetime.date(2025, 6, 30), 6, datetime.date(2025, 12, 30)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 1, 1), 0, datetime.date(2025, 1, 1)),
    ],
)
def test_r25_add_months(start, months, expected):
    assert services.add_months(start, months) == expected


def test_r25_participants_are_required(unit, party_group):
    measure = _ready(party_group, unit)
    with pytest.raises(ValidationError) as exc:
        services.trial_start(actor=party_group["leader"], measure=measure, participants="  ")
    assert "participants" in exc.value.message_dict
    assert Measure.objects.get(pk=measure.pk).stage == Stage.PLANNED


def test_r25_trial_must_end_after_it_starts(unit, party_group):
    measure = _ready(party_group, unit)
    with pytest.raises(ValidationError) as exc:
        services.trial_start(
            actor=party_group["leader"],
            measure=measure,
            starts_on=days(10),
            ends_on=days(10),
            participants="Alle",
        )
    assert "ends_on" in exc.value.message_dict
    services.trial_start(
        actor=party_group["leader"],
        measure=measure,
        starts_on=days(10),
        ends_on=days(100),
        participants="Alle",
    )
    measure.refresh_from_db()
    assert (measure.trial_started_on, measure.trial_ends_on) == (days(10), days(100))


def test_r25_start_page_refuses_with_the_missing_parts_and_then_starts(unit, party_group):
    leader = party_group["leader"]
    measure = _planned(party_group, unit, success_criteria="")
    client = logged_in(leader)
    url = reverse("measures:trial_start", args=[measure.pk])
    refused = client.post(url, with_version(measure, {"participants": "Alle på dagvakt"}))
    assert refused.status_code == 400
    body = text_of(refused)
    assert "The trial cannot start yet" in body
    missing = body.split('id="missing-for-trial"')[1].split("</div>")[0]
    assert re.findall(r"<li>(.*?)</li>", missing) == [_label("success_criteria"), RISK_LABEL]
    assert Measure.objects.get(pk=measure.pk).stage == Stage.PLANNED
    services.plan_save(actor=leader, measure=measure, success_criteria="Færre sykedager")
    assess_risk(party_group, measure)
    started = client.post(url, with_version(measure, {"participants": "Alle på dagvakt"}))
    assert started.status_code == 302
    measure.refresh_from_db()
    assert measure.stage == Stage.IN_TRIAL and measure.participants == "Alle på dagvakt"
