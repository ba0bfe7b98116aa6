"""Writes for measures. The life of a measure is a small explicit state machine; every
transition is checked, recorded with who, when and a comment, and refused with a message when
it is not allowed."""

from __future__ import annotations

import calendar
import datetime
import mimetypes

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trepart.core.concurrency import lock_and_check, versioned
from trepart.core.scope import check_scope
from trepart.core.uploads import UploadRule, check_upload, plain_text, starts_with
from trepart.inputs import services as input_services
from trepart.inputs.models import Status as InputStatus
from trepart.measures import permissions
from trepart.measures.models import (
    TRIAL_MONTHS_DEFAULT,
    Decision,
    Evidence,
    Measure,
    MeasureEvent,
    Risk,
    RiskAssessment,
    Stage,
)

# The state machine (P4). "Adjust and try again" goes back to planning; stopping is allowed
# from every open stage.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.IDEA: frozenset({Stage.PLANNED, Stage.STOPPED}),
    Stage.PLANNED: frozenset({Stage.IN_TRIAL, Stage.STOPPED}),
    Stage.IN_TRIAL: frozenset({Stage.EVALUATED, Stage.STOPPED}),
    Stage.EVALUATED: frozenset({Stage.DECIDED, Stage.STOPPED}),
    Stage.DECIDED: frozenset({Stage.DONE, Stage.PLANNED, Stage.STOPPED}),
    Stage.DONE: frozenset(),
    Stage.STOPPED: frozenset(),
}

# Plan parts that must be answered before a trial starts (R24, R27). Political and
# administrative anchoring are not required: a small change at one unit often needs neither.
REQUIRED_PLAN_FIELDS = (
    "problem",
    "need_and_purpose",
    "goals",
    "anchoring_union",
    "anchoring_staff",
    "cooperation",
    "resources",
    "follow_up",
    "staff_asked",
    "responsibilities",
    "success_criteria",
    "evaluation_on",
)

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024

# Issue 15: evidence is stored and only ever downloaded as an attachment (nosniff), so its
# content must start with its format's magic number, and text must be text. One rule, used by
# the form (an error next to the field) and by evidence_add (whoever calls it).
_OFFICE = starts_with(b"PK\x03\x04")
_JPEG = starts_with(b"\xff\xd8\xff")
EVIDENCE_UPLOAD = UploadRule(
    kinds={
        ".pdf": starts_with(b"%PDF"),
        ".docx": _OFFICE,
        ".xlsx": _OFFICE,
        ".txt": plain_text,
        ".csv": plain_text,
        ".png": starts_with(b"\x89PNG\r\n\x1a\n"),
        ".jpg": _JPEG,
        ".jpeg": _JPEG,
    },
    max_bytes=lambda: MAX_EVIDENCE_BYTES,  # read at check time (tests lower it)
    wrong_type=gettext_lazy(
        "Files of this type cannot be attached. Use PDF, Word, Excel, text, CSV, PNG or JPEG."
    ),
    wrong_content=gettext_lazy("The file's content does not match its name."),
    too_large=gettext_lazy("The file is %(size)s MB. Attach files of at most %(max)s MB."),
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day n months later (the last day of the month when it has no such day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _today() -> datetime.date:
    return timezone.localdate()


def _event(measure, actor, kind, *, from_stage="", to_stage="", comment=""):
    MeasureEvent.objects.create(
        measure=measure,
        kind=kind,
        from_stage=from_stage,
        to_stage=to_stage,
        comment=comment,
        actor=actor,
    )


# Evaluating more than this many days before the trial's planned end counts as early.
EARLY_EVALUATION_DAYS = 14


def _move(measure: Measure, actor, to_stage: str, comment: str = "") -> None:
    """The only place a measure's stage changes.

    Issue 9: every service that can reach here is `@versioned("measure")`: the measure's row is
    locked and `measure` reloaded before its checks, and with `version=` (the latest event id
    the person saw) a move that raced another change is refused with StaleChange before
    anything is applied. See trepart/core/concurrency.py."""
    if to_stage not in TRANSITIONS[measure.stage]:
        raise ValidationError(
            _("A measure cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Stage(measure.stage).label, "to": Stage(to_stage).label},
            code="illegal_transition",
        )
    from_stage = measure.stage
    measure.stage = to_stage
    _event(
        measure,
        actor,
        MeasureEvent.Kind.STAGE,
        from_stage=from_stage,
        to_stage=to_stage,
        comment=comment,
    )


def _scope_guard(*texts):
    finding = check_scope(*texts)
    if finding:
        raise ValidationError(finding.message, code=f"out_of_scope_{finding.kind}")


# --- creating -----------------------------------------------------------------------------------


def measure_create(
    *, actor, unit, title: str, problem: str = "", source_input=None, source_agenda_item=None
) -> Measure:
    _require(permissions.can_change_unit_measures(actor, unit))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the measure a short title.")})
    _scope_guard(title, problem)  # R14
    with transaction.atomic():
        measure = Measure.objects.create(
            municipality_id=unit.municipality_id,
            unit=unit,
            title=title[:160],
            problem=(problem or "").strip(),
            source_input=source_input,
            source_agenda_item=source_agenda_item,
            created_by=actor,
        )
        _event(measure, actor, MeasureEvent.Kind.CREATED, to_stage=Stage.IDEA)
    return measure


def measure_from_input(
    *, actor, item, answer: str, title: str = "", version: int | None = None
) -> Measure:
    """P3 → P4: the group takes a staff input up as a measure, and answers the submitter (R21).

    Orchestrated here, above inputs (ARCHITECTURE rule 8): the measure is created and the input
    closed as taken up in one transaction, so a refused answer leaves no measure behind. An
    input that is already a measure (taken up again after a reopen) keeps its one measure.
    The input's row is locked and its version checked first, so two people taking it up at the
    same moment make one measure, and the second is told who was first.
    """
    with transaction.atomic():
        lock_and_check(item, version=version, actor=actor)
        measure = Measure.objects.filter(source_input=item).order_by("id").first()
        if measure is None:
            measure = measure_create(
                actor=actor,
                unit=item.unit,
                title=(title or "").strip() or item.title,
                problem=item.text,
                source_input=item,
            )
        input_services.input_close(
            actor=actor,
            item=item,
            status=InputStatus.TAKEN_UP,
            answer=answer,
            followed_up_elsewhere=True,
        )
    return measure


def measure_create_from_agenda_item(*, actor, item) -> Measure:
    """P4: an agenda item the group wants to work on becomes a measure."""
    meeting = item.meeting
    if meeting.unit_id is None:
        raise ValidationError(_("Measures belong to a unit's party group."))
    existing = item.measures.first()
    if existing:
        return existing
    return measure_create(
        actor=actor,
        unit=meeting.unit,
        title=item.title,
        problem=item.description or item.summary,
        source_agenda_item=item,
    )


# --- planning -----------------------------------------------------------------------------------


def missing_for_trial(measure: Measure) -> list[str]:
    """What must be in place before the trial starts: the plan's required parts and the risk
    assessment (R26, R27). Labels as the page shows them."""
    missing = [
        capfirst(str(Measure._meta.get_field(name).verbose_name))
        for name in REQUIRED_PLAN_FIELDS
        if not getattr(measure, name)
        or (isinstance(getattr(measure, name), str) and not getattr(measure, name).strip())
    ]
    if not _has_risk_assessment(measure):
        missing.append(str(gettext_lazy("HMS risk assessment by the safety rep")))
    return missing


def _has_risk_assessment(measure: Measure) -> bool:
    try:
        risk = measure.risk
    except RiskAssessment.DoesNotExist:
        return False
    if measure.replanned_at and risk.recorded_at < measure.replanned_at:
        return False  # R26: the adjusted plan needs a fresh assessment
    return risk.by_safety_rep or bool(risk.with_safety_rep.strip())


@versioned("measure")
def plan_save(*, actor, measure: Measure, **fields) -> Measure:
    """Save the plan, complete or not. Moves an idea to planned on the first save."""
    _require(permissions.can_change(actor, measure))
    if measure.stage not in (Stage.IDEA, Stage.PLANNED):
        raise ValidationError(_("The plan can only be changed before the trial starts."))
    allowed = set(REQUIRED_PLAN_FIELDS) | {
        "title",
        "anchoring_political",
        "anchoring_administrative",
        "facts_needed",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown plan fields: {sorted(unknown)}")
    texts = [v for v in fields.values() if isinstance(v, str)]
    _scope_guard(*texts)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(measure, name, value.strip() if isinstance(value, str) else value)
        if measure.stage == Stage.IDEA:
            _move(measure, actor, Stage.PLANNED)
        measure.save()
    _request_risk_assessment(measure)
    return measure


def _request_risk_assessment(measure: Measure) -> None:
    """R26: tell the unit's safety rep once that an assessment is needed."""
    if measure.risk_requested_on or _has_risk_assessment(measure):
        return
    Measure.objects.filter(pk=measure.pk).update(risk_requested_on=_today())
    measure.risk_requested_on = _today()
    from trepart.measures.tasks import notify_safety_rep

    transaction.on_commit(lambda: notify_safety_rep.enqueue(measure.pk))


@versioned("measure")
def risk_assessment_save(
    *, actor, measure: Measure, summary: str, risks: list[dict], with_safety_rep: str = ""
) -> RiskAssessment:
    """R26: the safety rep records it, or a group member records one made together with them."""
    _require(permissions.can_change(actor, measure))
    by_safety_rep = permissions.is_safety_rep_of(actor, measure.unit)
    with_safety_rep = (with_safety_rep or "").strip()
    errors = {}
    if not by_safety_rep and not with_safety_rep:
        errors["with_safety_rep"] = _(
            "Only the safety rep records the risk assessment, or you name the safety rep it was "
            "made together with."
        )
    risks = [r for r in risks if (r.get("description") or "").strip()]
    if not risks and not (summary or "").strip():
        errors["summary"] = _("Describe at least one risk, or write the overall assessment.")
    for r in risks:
        if r.get("likelihood") not in (1, 2, 3) or r.get("consequence") not in (1, 2, 3):
            errors["risks"] = _("Choose likelihood and consequence for every risk.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessment, _created = RiskAssessment.objects.update_or_create(
            measure=measure,
            defaults={
                "made_by": actor,
                "by_safety_rep": by_safety_rep,
                "with_safety_rep": "" if by_safety_rep else with_safety_rep,
                "assessed_on": _today(),
                "summary": (summary or "").strip(),
            },
        )
        assessment.risks.all().delete()
        Risk.objects.bulk_create(
            Risk(
                assessment=assessment,
                description=r["description"].strip(),
                likelihood=r["likelihood"],
                consequence=r["consequence"],
                mitigation=(r.get("mitigation") or "").strip(),
            )
            for r in risks
        )
        _event(measure, actor, MeasureEvent.Kind.RISK, comment=assessment.summary)
    return assessment


# --- trial --------------------------------------------------------------------------------------


@versioned("measure")
def trial_start(
    *,
    actor,
    measure: Measure,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    participants: str = "",
) -> Measure:
    """R25: start the trial. Refused, listing exactly what is missing, until the plan's
    required parts and the risk assessment are in place."""
    _require(permissions.can_change(actor, measure))
    if measure.stage != Stage.PLANNED:
        _move(measure, actor, Stage.IN_TRIAL)  # raises the illegal-transition message
    missing = missing_for_trial(measure)
    if missing:
        raise ValidationError(
            _("The trial cannot start yet. Missing: %(parts)s.") % {"parts": "; ".join(missing)},
            code="not_ready",
        )
    starts_on = starts_on or _today()
    ends_on = ends_on or add_months(starts_on, TRIAL_MONTHS_DEFAULT)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The trial must end after it starts.")})
    participants = (participants or "").strip()
    if not participants:
        raise ValidationError(
            {"participants": _("Write who takes part – start with those who want to.")}
        )
    with transaction.atomic():
        measure.trial_started_on = starts_on
        measure.trial_ends_on = ends_on
        measure.participants = participants
        if not measure.evaluation_on or measure.evaluation_on < starts_on:
            measure.evaluation_on = ends_on
        _move(measure, actor, Stage.IN_TRIAL)
        measure.save()
    return measure


@versioned("measure")
def note_add(*, actor, measure: Measure, text: str) -> MeasureEvent:
    _require(permissions.can_change(actor, measure))
    if measure.stage not in (Stage.IN_TRIAL, Stage.EVALUATED):
        raise ValidationError(_("Notes are written while the trial runs."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    _scope_guard(text)
    event = MeasureEvent.objects.create(
        measure=measure, kind=MeasureEvent.Kind.NOTE, comment=text, actor=actor
    )
    Measure.objects.filter(pk=measure.pk).update(updated_at=timezone.now())
    return event


# --- evaluation and decision --------------------------------------------------------------------


@versioned("measure")
def evidence_add(*, actor, measure: Measure, text: str = "", upload=None) -> Evidence:
    """Evaluation evidence: a text or an attachment (type and size checked)."""
    _require(permissions.can_change(actor, measure))
    if measure.stage not in (Stage.IN_TRIAL, Stage.EVALUATED, Stage.DECIDED):
        raise ValidationError(_("Evidence is added during or after the trial."))
    text = (text or "").strip()
    upload = upload or None  # False: an optional file field's "clear" box, and no file
    if not text and upload is None:
        raise ValidationError({"text": _("Write the evidence or attach a file.")})
    fields = {"text": text}
    if upload is not None:
        fields.update(_checked_upload(upload))
    with transaction.atomic():
        evidence = Evidence.objects.create(measure=measure, added_by=actor, **fields)
        _event(measure, actor, MeasureEvent.Kind.EVIDENCE, comment=evidence.filename or text)
    return evidence


def _checked_upload(upload) -> dict:
    try:
        check_upload(upload, EVIDENCE_UPLOAD)
    except ValidationError as refusal:
        raise ValidationError({"upload": refusal}) from None
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    content = upload.read()
    return {
        "filename": name,
        "content_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
        "size": len(content),
        "content": content,
    }


@versioned("measure")
def evaluate(
    *,
    actor,
    measure: Measure,
    findings: str,
    assessment: str,
    early_reason: str = "",
    confirm_early: bool = False,
) -> Measure:
    _require(permissions.can_change(actor, measure))
    findings, assessment = (findings or "").strip(), (assessment or "").strip()
    early_reason = (early_reason or "").strip()
    errors = {}
    if not findings:
        errors["findings"] = _("Write what happened, measured against the success criteria.")
    if not assessment:
        errors["assessment"] = _("Write the group's assessment.")
    # R28: a trial is evaluated when it has had its time. Ending it long before the planned end
    # is allowed, but asks for a confirmation and a reason, which the timeline shows (issue 10).
    days_left = measure.days_left_in_trial(_today())
    early = days_left > EARLY_EVALUATION_DAYS
    if early and not early_reason:
        errors["early_reason"] = _(
            "The trial is planned to run %(days)d more days. Say why it is evaluated now."
        ) % {"days": days_left}
    if early and not confirm_early:
        errors["confirm_early"] = _("Confirm that the trial ends before its planned end.")
    if errors:
        raise ValidationError(errors)
    _scope_guard(findings, assessment, early_reason)
    comment = ""
    if early:
        comment = _("Evaluated %(days)d days before the planned end. Why: %(reason)s") % {
            "days": days_left,
            "reason": early_reason,
        }
    with transaction.atomic():
        _move(measure, actor, Stage.EVALUATED, comment=comment)
        measure.findings, measure.assessment = findings, assessment
        measure.evaluated_on = _today()
        measure.save()
    return measure


@versioned("measure")
def decide(*, actor, measure: Measure, decision: str, note: str, referred_to: str = "") -> Measure:
    """Keep, adjust or revert. With `referred_to`, the formal decision lies with the decision
    line (R29): the group's choice is recorded as its recommendation, and the outcome later."""
    _require(permissions.can_change(actor, measure))
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = _("Choose what the group decides.")
    if not (note or "").strip():
        errors["note"] = _("Write why.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _move(measure, actor, Stage.DECIDED, comment=note.strip())
        measure.decision = decision
        measure.decision_note = note.strip()
        measure.decided_on = _today()
        measure.referred_to = (referred_to or "").strip()
        measure.referred_on = _today() if measure.referred_to else None
        measure.line_outcome, measure.line_outcome_on = "", None
        measure.save()
    return measure


@versioned("measure")
def line_outcome_record(*, actor, measure: Measure, outcome: str, outcome_on=None) -> Measure:
    _require(permissions.can_change(actor, measure))
    if not measure.referred_to:
        raise ValidationError(_("The measure was not referred to the decision line."))
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Write what the decision line decided.")})
    with transaction.atomic():
        measure.line_outcome = outcome.strip()
        measure.line_outcome_on = outcome_on or _today()
        measure.save()
        _event(measure, actor, MeasureEvent.Kind.OUTCOME, comment=measure.line_outcome)
    return measure


@versioned("measure")
def complete(*, actor, measure: Measure, comment: str = "") -> Measure:
    """Decided → done (keep or revert). Not before the decision line has answered (R29)."""
    _require(permissions.can_change(actor, measure))
    if measure.stage == Stage.DECIDED and measure.decision == Decision.ADJUST:
        raise ValidationError(_("The group decided to adjust it: plan the next trial instead."))
    if measure.needs_line_outcome:
        raise ValidationError(
            _("Record the decision line's outcome first: the formal decision is theirs.")
        )
    with transaction.atomic():
        _move(measure, actor, Stage.DONE, comment=(comment or "").strip())
        measure.save()
    return measure


def _labelled(label: str, text: str) -> str:
    return f"{label}: {text}"


@versioned("measure")
def try_again(*, actor, measure: Measure, comment: str = "") -> Measure:
    """Adjust and try again: back to planning, keeping the history."""
    _require(permissions.can_change(actor, measure))
    if Stage.PLANNED not in TRANSITIONS[measure.stage]:
        _move(measure, actor, Stage.PLANNED)  # raises the illegal-transition message
    if measure.stage != Stage.DECIDED or measure.decision != Decision.ADJUST:
        raise ValidationError(_("Only a measure the group decided to adjust is tried again."))
    if measure.needs_line_outcome:
        raise ValidationError(
            _("Record the decision line's outcome first: the formal decision is theirs.")
        )
    # The last round's evaluation and decision stay on the timeline; the measure starts a new
    # round with a fresh plan review and risk assessment (R26).
    summary = "\n\n".join(
        part
        for part in (
            (comment or "").strip(),
            measure.findings and _labelled(_("Evaluation"), measure.findings),
            measure.assessment and _labelled(_("The group's assessment"), measure.assessment),
            measure.decision_note and _labelled(_("Decision"), measure.decision_note),
        )
        if part
    )
    with transaction.atomic():
        _move(measure, actor, Stage.PLANNED, comment=summary)
        measure.trial_started_on = measure.trial_ends_on = None
        measure.evaluation_on = None
        measure.findings = measure.assessment = measure.decision_note = ""
        measure.evaluated_on = measure.decided_on = None
        measure.decision = ""
        measure.referred_to, measure.referred_on = "", None
        measure.line_outcome, measure.line_outcome_on = "", None
        measure.risk_requested_on = None
        measure.replanned_at = timezone.now()
        measure.save()
    _request_risk_assessment(measure)
    return measure


@versioned("measure")
def stop(*, actor, measure: Measure, reason: str) -> Measure:
    _require(permissions.can_change(actor, measure))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the measure is stopped.")})
    with transaction.atomic():
        _move(measure, actor, Stage.STOPPED, comment=reason)
        measure.stop_reason = reason
        measure.save()
    return measure


@versioned("measure")
def win_mark(*, actor, measure: Measure, story: str) -> Measure:
    """R28: a kept measure is celebrated with a short story, shown on the unit page."""
    _require(permissions.can_change(actor, measure))
    if measure.decision != Decision.KEEP or measure.stage not in (Stage.DECIDED, Stage.DONE):
        raise ValidationError(_("Only a measure the group decided to keep can be marked as a win."))
    if measure.needs_line_outcome:
        raise ValidationError(_("Wait for the decision line's outcome before celebrating."))
    story = (story or "").strip()
    if not story:
        raise ValidationError(
            {"story": _("Tell the story in a few sentences: what changed, for whom?")}
        )
    with transaction.atomic():
        measure.is_win = True
        measure.win_story = story
        measure.win_marked_on = _today()
        measure.save()
        _event(measure, actor, MeasureEvent.Kind.WIN, comment=story)
    return measure
