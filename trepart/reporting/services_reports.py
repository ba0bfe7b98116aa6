"""Writes for unit reports, responses and questions (P5, R30–R32). Each checks permission
again and runs in a transaction; e-mails go out after commit through django-tasks."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.meetings import services as meeting_services
from trepart.meetings.models import ItemKind
from trepart.meetings.permissions import can_edit_meeting
from trepart.reporting import permissions
from trepart.reporting import selectors_reports as sel
from trepart.reporting.models import (
    ReportResponse,
    ReportVersion,
    SteeringAgendaLink,
    SteeringQuestion,
    UnitReport,
)


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


# --- drafts ---------------------------------------------------------------------------------


def report_period_to_start(unit, today: datetime.date | None = None):
    """The period a group may start a report for: the one just ended, unless it has one."""
    today = today or timezone.localdate()
    start, end = sel.last_ended_period(today, sel.period_months_for(unit.municipality))
    if UnitReport.objects.filter(unit=unit, period_start=start).exists():
        return None
    return start, end


def report_draft_create(unit, start: datetime.date, end: datetime.date) -> UnitReport:
    """R30: a draft for the period, drafted from its records (idempotent: the existing one)."""
    due = end + datetime.timedelta(days=sel.due_days_for(unit.municipality))
    try:
        with transaction.atomic():
            report, _created = UnitReport.objects.get_or_create(
                unit=unit,
                period_start=start,
                defaults={
                    "municipality_id": unit.municipality_id,
                    "period_end": end,
                    "due_on": due,
                    "figures": sel.report_figures(unit, start, end),
                },
            )
    except IntegrityError:  # started at the same moment by someone else
        report = UnitReport.objects.get(unit=unit, period_start=start)
    return report


def report_start(*, actor, unit, today: datetime.date | None = None) -> UnitReport:
    """The party group starts the report for the period just ended."""
    _require(
        unit.municipality_id == actor.municipality_id
        and unit.pk in permissions.party_group_unit_ids(actor)
    )
    period = report_period_to_start(unit, today)
    if period is None:
        raise ValidationError(_("The report for the last period has already been started."))
    return report_draft_create(unit, *period)


def report_save(*, actor, report: UnitReport, went_well: str, hard: str, need: str) -> UnitReport:
    """The group's own words (R31: what went well, what is hard, what we need)."""
    _require(permissions.can_edit_report(actor, report))
    if report.status == UnitReport.Status.SENT:
        raise ValidationError(
            _("The report is sent and does not change. Start a correction to change it.")
        )
    report.went_well = went_well.strip()
    report.hard = hard.strip()
    report.need = need.strip()
    report.updated_by = actor
    report.revision += 1
    report.save(update_fields=["went_well", "hard", "need", "updated_by", "revision", "updated_at"])
    return report


def report_send(*, actor, report: UnitReport, change_note: str = "") -> ReportVersion:
    """R30: send the report to the steering group as an immutable version; a correction is
    sent as a new version with a note saying what changed."""
    _require(permissions.can_edit_report(actor, report))
    if report.status == UnitReport.Status.SENT:
        raise ValidationError(_("This report is already sent."))
    today = timezone.localdate()
    if report.period_end >= today:
        raise ValidationError(_("The period has not ended yet. Send the report once it has."))
    is_correction = report.status == UnitReport.Status.CORRECTING
    if is_correction and not change_note.strip():
        raise ValidationError({"change_note": _("Say briefly what was corrected.")})
    if not (report.went_well.strip() or report.hard.strip() or report.need.strip()):
        raise ValidationError(
            {"went_well": _("Write at least a few words from the group before sending.")}
        )
    given = report
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().get(pk=report.pk)
        if report.status == UnitReport.Status.SENT:
            raise ValidationError(_("This report is already sent."))
        figures = sel.report_figures(report.unit, report.period_start, report.period_end)
        number = (report.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = ReportVersion.objects.create(
            report=report,
            number=number,
            content={
                "figures": figures,
                "went_well": report.went_well,
                "hard": report.hard,
                "need": report.need,
            },
            change_note=change_note.strip(),
            sent_by=actor,
        )
        report.figures = figures
        report.status = UnitReport.Status.SENT
        report.updated_by = actor
        fields = ["figures", "status", "updated_by", "updated_at"]
        if report.first_sent_at is None:
            report.first_sent_at = timezone.now()
            fields.append("first_sent_at")
        report.save(update_fields=fields)
    given.refresh_from_db()
    return version


def report_correction_start(*, actor, report: UnitReport) -> UnitReport:
    """A sent report never changes; a correction is written and sent as a new version."""
    _require(permissions.can_edit_report(actor, report))
    if report.status != UnitReport.Status.SENT:
        raise ValidationError(_("Only a sent report can be corrected."))
    report.status = UnitReport.Status.CORRECTING
    report.updated_by = actor
    report.save(update_fields=["status", "updated_by", "updated_at"])
    return report


# --- responses and questions (R31–R32) ------------------------------------------------------


def _role_label(actor) -> str:
    return sel.role_label_for(sel.steering_assignments([actor.pk]).get(actor.pk, []))


def response_add(*, actor, report: UnitReport, kind: str, text: str) -> ReportResponse:
    """R32: the steering group responds to a report: a comment or support offered."""
    _require(permissions.can_respond(actor, report))
    if kind not in ReportResponse.Kind.values:
        raise ValidationError({"kind": _("Choose a comment or an offer of support.")})
    if not text.strip():
        raise ValidationError({"text": _("Write your response.")})
    return ReportResponse.objects.create(
        report=report, author=actor, role_label=_role_label(actor), kind=kind, text=text.strip()
    )


def question_ask(*, actor, unit, text: str, report: UnitReport | None = None) -> SteeringQuestion:
    """R31–R32: a steering-group member asks a unit (about a report, or on its own)."""
    if report is not None:
        _require(permissions.can_respond(actor, report) and report.unit_id == unit.pk)
    else:
        _require(permissions.can_ask_unit(actor, unit))
    if not text.strip():
        raise ValidationError({"text": _("Write your question.")})
    return SteeringQuestion.objects.create(
        municipality_id=unit.municipality_id,
        unit=unit,
        report=report,
        asked_by=actor,
        asked_role_label=_role_label(actor),
        text=text.strip(),
    )


def question_answer(*, actor, question: SteeringQuestion, answer: str) -> SteeringQuestion:
    """The unit's party group answers; the person who asked hears by e-mail."""
    _require(permissions.can_answer_question(actor, question))
    if not question.is_open:
        raise ValidationError(_("This question has already been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        question.answer = answer.strip()
        question.answered_by = actor
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])
        pk = question.pk
        transaction.on_commit(lambda: _notify_answered(pk))
    return question


def _notify_answered(question_id: int) -> None:
    from trepart.reporting import tasks_reports

    tasks_reports.notify_question_answered.enqueue(question_id=question_id)


# --- onto the steering group's agenda -------------------------------------------------------


def _to_agenda(actor, title: str, description: str, *, report=None, question=None, experience=None):
    meeting = sel.next_steering_meeting(actor.municipality_id)
    if meeting is None:
        raise ValidationError(_("There is no planned steering group meeting to put it on."))
    _require(can_edit_meeting(actor, meeting))
    if report is not None:
        source = {"report": report}
    elif question is not None:
        source = {"question": question}
    else:
        source = {"experience": experience}
    with transaction.atomic():
        if SteeringAgendaLink.objects.filter(agenda_item__meeting=meeting, **source).exists():
            raise ValidationError(
                _("It is already on the agenda of the next steering group meeting.")
            )
        # R2: the steering group does not decide; its items are for information and dialogue.
        item = meeting_services.agenda_item_propose(
            actor=actor,
            meeting=meeting,
            title=title,
            description=description,
            kind=ItemKind.DIALOGUE,
        )
        SteeringAgendaLink.objects.create(agenda_item=item, **source)
    return item


def report_to_agenda(*, actor, report: UnitReport):
    """One click: the report goes onto the next steering-group meeting's agenda (R31)."""
    _require(permissions.can_respond(actor, report))
    url = settings.SITE_URL + reverse("reporting:report_detail", args=[report.pk])
    title = _("Report from %(unit)s, %(period)s") % {
        "unit": report.unit.name,
        "period": sel.period_label(report.period_start, report.period_end),
    }
    return _to_agenda(actor, title[:200], _("The report: %(url)s") % {"url": url}, report=report)


def question_to_agenda(*, actor, question: SteeringQuestion):
    """One click: a question (and its answer) onto the steering group's agenda (R31–R32)."""
    _require(
        permissions.questions_visible_to(actor).filter(pk=question.pk).exists()
        and permissions.is_steering_member(actor)
    )
    url = settings.SITE_URL + reverse("reporting:question_detail", args=[question.pk])
    title = _("Question to %(unit)s") % {"unit": question.unit.name}
    description = _("%(question)s\n\nThe question: %(url)s") % {
        "question": question.text[:1000],
        "url": url,
    }
    return _to_agenda(actor, title[:200], description, question=question)


def experience_to_agenda(*, actor, experience):
    """One click: an experience onto the steering group's agenda (R31: spread what works)."""
    _require(
        permissions.is_steering_member(actor)
        and permissions.experiences_visible_to(actor)
        .filter(pk=experience.pk, status="published")
        .exists()
    )
    url = settings.SITE_URL + reverse("reporting:experience_detail", args=[experience.pk])
    title = _("Experience: %(title)s") % {"title": experience.title}
    description = _("%(learned)s\n\nThe experience: %(url)s") % {
        "learned": experience.learned[:1000],
        "url": url,
    }
    return _to_agenda(actor, title[:200], description, experience=experience)
