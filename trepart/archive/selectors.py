"""Reads for the archive export (issue 13 part 4, PRODUCT P8).

Every document comes from the reader's own `…_visible_to(user)` querysets (meetings, reports,
measures), so the package holds exactly what the municipal administrator may read: their own
municipality, nothing else.

What is archive material:
- each published version of a meeting's minutes (R30; drafts and corrections in progress never);
- each sent version of a unit report (R30; drafts never);
- the decision record of each measure the group has decided (R25, R29).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.measures.models import PLAN_TEXT_FIELDS, Decision, Measure, MeasureEvent, Stage
from trepart.measures.permissions import measures_visible_to
from trepart.meetings import exports as meeting_exports
from trepart.meetings.models import Meeting, MinutesVersion
from trepart.meetings.permissions import meetings_visible_to
from trepart.organisation.models import Role, RoleAssignment
from trepart.reporting import selectors_reports
from trepart.reporting.models import ReportVersion, UnitReport
from trepart.reporting.permissions import SENT, reports_visible_to

# A package is built while the administrator waits; beyond this many PDFs, a shorter period.
MAX_DOCUMENTS = 150


# --- who made it: the role, and the name unless the person was erased -------------------------


def is_erased(person) -> bool:
    """A person erased under GDPR (personaldata): their name is no longer theirs to show."""
    return getattr(person, "erased_at", None) is not None


def _role_text(assignment) -> str:
    """The role without the union (GDPR art. 9: a union rep's role reveals membership)."""
    label = str(Role(assignment.role).label) if assignment.role in Role.values else ""
    if assignment.unit_id:
        return f"{label}, {assignment.unit.name}"
    return label


class RoleBook:
    """The role each person held on a day (R5: roles, not persons), from one query for all."""

    def __init__(self, person_ids):
        self._by_person: dict[int, list] = defaultdict(list)
        ids = [pk for pk in set(person_ids) if pk]
        if ids:
            for a in (
                RoleAssignment.objects.filter(person_id__in=ids)
                .select_related("unit")
                .order_by("starts_on", "pk")
            ):
                self._by_person[a.person_id].append(a)

    def role_on(self, person_id, day: datetime.date, unit_id=None) -> str:
        held = [
            a
            for a in self._by_person.get(person_id, [])
            if a.starts_on <= day and (a.ends_on is None or a.ends_on >= day)
        ]
        if not held:
            return ""
        held.sort(key=lambda a: (a.unit_id != unit_id or unit_id is None, a.role == Role.EMPLOYEE))
        return _role_text(held[0])

    def creator(self, person, day: datetime.date, unit_id=None) -> str:
        """`opprettetAv`: "Name (role)"; only the role for an erased person, or when the person
        is gone; "Unknown" when neither is known."""
        role = self.role_on(person.pk, day, unit_id) if person else ""
        if person is None or is_erased(person):
            return role or _("Unknown")
        return f"{person.full_name} ({role})" if role else person.full_name


def creator_label(person, day: datetime.date, unit_id=None) -> str:
    return RoleBook([person.pk] if person else []).creator(person, day, unit_id)


# --- the documents of a period ------------------------------------------------------------------


@dataclasses.dataclass
class ArchiveDocument:
    """One file in the package: a version of minutes or a report, or a decision record."""

    kind: str  # "minutes", "report" or "measure"
    key: str  # stable identity of the record it belongs to, e.g. "minutes:12"
    group_key: str  # "unit:3" or "steering"
    group_title: str
    title: str
    created_on: datetime.datetime  # when the record was first made (first version)
    created_by: str
    version: int
    version_at: datetime.datetime
    version_by: str
    note: str
    obj: object
    version_obj: object = None


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def _day(moment) -> datetime.date:
    return _local(moment).date() if isinstance(moment, datetime.datetime) else moment


def _group(unit, municipality) -> tuple[str, str]:
    if unit is None:
        return "steering", str(municipality.steering_group_label)
    return f"unit:{unit.pk}", unit.name


def period_documents(user, start: datetime.date, end: datetime.date) -> list[ArchiveDocument]:
    """Everything published, sent or decided from `start` to `end` (local dates, inclusive)
    that `user` may read. A fixed number of queries, whatever the number of documents."""
    meetings = meetings_visible_to(user)
    versions = list(
        MinutesVersion.objects.filter(
            meeting_id__in=meetings.values("pk"),
            published_at__date__gte=start,
            published_at__date__lte=end,
        )
        .select_related("meeting", "meeting__unit", "meeting__municipality", "published_by")
        .order_by("meeting__starts_at", "meeting_id", "number")
    )
    firsts = {
        v.meeting_id: v
        for v in MinutesVersion.objects.filter(
            meeting_id__in={v.meeting_id for v in versions}, number=1
        ).select_related("published_by")
    }
    report_versions = list(
        ReportVersion.objects.filter(
            report_id__in=reports_visible_to(user).values("pk"),
            sent_at__date__gte=start,
            sent_at__date__lte=end,
        )
        .select_related("report", "report__unit", "report__municipality", "sent_by")
        .order_by("report__period_start", "report__unit__name", "report_id", "number")
    )
    report_firsts = {
        v.report_id: v
        for v in ReportVersion.objects.filter(
            report_id__in={v.report_id for v in report_versions}, number=1
        ).select_related("sent_by")
    }
    measures = list(
        measures_visible_to(user)
        .filter(decided_on__gte=start, decided_on__lte=end)
        .exclude(decision="")
        .select_related("unit", "municipality")
        .order_by("decided_on", "pk")
    )
    deciders = decision_actors([m.pk for m in measures])
    people = [v.published_by_id for v in versions] + [v.sent_by_id for v in report_versions]
    people += [f.published_by_id for f in firsts.values()]
    people += [f.sent_by_id for f in report_firsts.values()]
    people += [e.actor_id for e in deciders.values() if e]
    roles = RoleBook(people)

    documents = []
    for v in versions:
        meeting = v.meeting
        first = firsts.get(meeting.pk, v)
        group_key, group_title = _group(meeting.unit, meeting.municipality)
        title = (v.content or {}).get("title") or meeting.title
        day = _day(meeting.starts_at)
        documents.append(
            ArchiveDocument(
                kind="minutes",
                key=f"minutes:{meeting.pk}",
                group_key=group_key,
                group_title=group_title,
                title=_("Minutes: %(title)s, %(day)s")
                % {"title": title, "day": day.strftime("%d.%m.%Y")},
                created_on=first.published_at,
                created_by=roles.creator(
                    first.published_by, _day(first.published_at), meeting.unit_id
                ),
                version=v.number,
                version_at=v.published_at,
                version_by=roles.creator(v.published_by, _day(v.published_at), meeting.unit_id),
                note=v.change_note,
                obj=meeting,
                version_obj=v,
            )
        )
    for v in report_versions:
        report = v.report
        first = report_firsts.get(report.pk, v)
        documents.append(
            ArchiveDocument(
                kind="report",
                key=f"report:{report.pk}",
                group_key=f"unit:{report.unit_id}",
                group_title=report.unit.name,
                title=_("Report to the steering group: %(unit)s, %(period)s")
                % {
                    "unit": report.unit.name,
                    "period": selectors_reports.period_label(
                        report.period_start, report.period_end
                    ),
                },
                created_on=first.sent_at,
                created_by=roles.creator(first.sent_by, _day(first.sent_at), report.unit_id),
                version=v.number,
                version_at=v.sent_at,
                version_by=roles.creator(v.sent_by, _day(v.sent_at), report.unit_id),
                note=v.change_note,
                obj=report,
                version_obj=v,
            )
        )
    for m in measures:
        event = deciders.get(m.pk)
        actor = event.actor if event else None
        moment = (
            event.at
            if event
            else timezone.make_aware(datetime.datetime.combine(m.decided_on, datetime.time(12)))
        )
        by = roles.creator(actor, m.decided_on, m.unit_id)
        documents.append(
            ArchiveDocument(
                kind="measure",
                key=f"measure:{m.pk}",
                group_key=f"unit:{m.unit_id}",
                group_title=m.unit.name,
                title=_("Decision record: %(title)s") % {"title": m.title},
                created_on=moment,
                created_by=by,
                version=1,
                version_at=moment,
                version_by=by,
                note="",
                obj=m,
            )
        )
    return documents


def decision_actors(measure_ids) -> dict[int, MeasureEvent | None]:
    """The latest move to "decided" of each measure: who recorded the decision, and when."""
    result: dict[int, MeasureEvent | None] = {}
    for event in (
        MeasureEvent.objects.filter(
            measure_id__in=list(measure_ids),
            kind=MeasureEvent.Kind.STAGE,
            to_stage=Stage.DECIDED,
        )
        .select_related("actor")
        .order_by("at", "pk")
    ):
        result[event.measure_id] = event
    return result


# --- what one document shows --------------------------------------------------------------------


def latest_version(meeting) -> MinutesVersion | None:
    return meeting_exports.latest_published_version(meeting)


def report_record(report: UnitReport, version: ReportVersion) -> dict:
    """A sent report as sent (R30): the figures frozen in the version and the group's words."""
    content = version.content or {}
    sent_day = _day(version.sent_at)
    return {
        "municipality": report.municipality.name,
        "unit": report.unit.name,
        "group": f"{report.unit.party_group_label()}, {report.unit.name}",
        "period_label": selectors_reports.period_label(report.period_start, report.period_end),
        "period_start": report.period_start,
        "period_end": report.period_end,
        "figures": selectors_reports.figure_rows(content.get("figures") or {}),
        "went_well": content.get("went_well", ""),
        "hard": content.get("hard", ""),
        "need": content.get("need", ""),
        "version_number": version.number,
        "sent_at": _local(version.sent_at),
        "sent_by": creator_label(version.sent_by, sent_day, report.unit_id),
        "change_note": version.change_note,
    }


def measure_record(measure: Measure) -> dict:
    """A measure's decision record: the decision and who made it (the party group; the formal
    decision with the decision line when referred, R29), where it came from, the plan (R24,
    R27), the risk assessment (R26), the trial and its evaluation (R25)."""
    unit = measure.unit
    event = decision_actors([measure.pk]).get(measure.pk)
    try:
        risk = measure.risk
        risks = list(risk.risks.all())
    except Measure.risk.RelatedObjectDoesNotExist:
        risk, risks = None, []
    evidence = list(measure.evidence.defer("content").order_by("added_at", "pk"))
    source_meeting = None
    if measure.source_agenda_item_id:
        source_meeting = (
            Meeting.objects.filter(pk=measure.source_agenda_item.meeting_id)
            .only("title", "starts_at")
            .first()
        )
    meetings_that_day = []
    if measure.decided_on:
        meetings_that_day = list(
            Meeting.objects.filter(unit_id=unit.pk, starts_at__date=measure.decided_on)
            .exclude(status=Meeting.Status.CANCELLED)
            .only("title", "starts_at")
            .order_by("starts_at")
        )
    plan = [
        (Measure._meta.get_field(name).verbose_name, getattr(measure, name))
        for name in PLAN_TEXT_FIELDS
    ]
    decided_by = (
        creator_label(event.actor, measure.decided_on or _day(event.at), unit.pk) if event else ""
    )
    return {
        "municipality": measure.municipality.name,
        "unit": unit.name,
        "group": f"{unit.party_group_label()}, {unit.name}",
        "title": measure.title,
        "stage": measure.stage_label,
        "decision": Decision(measure.decision).label if measure.decision in Decision.values else "",
        "decision_note": measure.decision_note,
        "decided_on": measure.decided_on,
        "decided_by": decided_by,
        "referred_to": measure.referred_to,
        "referred_on": measure.referred_on,
        "line_outcome": measure.line_outcome,
        "line_outcome_on": measure.line_outcome_on,
        "source_meeting": source_meeting,
        "source_item": measure.source_agenda_item.title if measure.source_agenda_item_id else "",
        "from_input": bool(measure.source_input_id),
        "meetings_that_day": meetings_that_day,
        "plan": [(label, text) for label, text in plan if text],
        "evaluation_on": measure.evaluation_on,
        "trial_started_on": measure.trial_started_on,
        "trial_ends_on": measure.trial_ends_on,
        "participants": measure.participants,
        "risk": risk,
        "risks": risks,
        "findings": measure.findings,
        "assessment": measure.assessment,
        "evaluated_on": measure.evaluated_on,
        "evidence": evidence,
        "stop_reason": measure.stop_reason,
    }


def has_decision_record(measure: Measure) -> bool:
    return bool(measure.decision and measure.decided_on)


def minutes_version_visible(user, meeting_pk: int, number: int | None):
    """(meeting, version) for a reader who may open the meeting, or None: no published version
    of that number (a draft, or junk) is "not found"."""
    meeting = (
        meetings_visible_to(user)
        .select_related("unit", "unit__municipality", "municipality")
        .filter(pk=meeting_pk)
        .first()
    )
    if meeting is None:
        return None
    versions = MinutesVersion.objects.filter(meeting=meeting).select_related("published_by")
    version = (
        versions.filter(number=number).first()
        if number is not None
        else versions.order_by("-number").first()
    )
    return (meeting, version) if version else None


def report_version_visible(user, report_pk: int, number: int | None):
    """(report, version) of a sent report the reader may read, or None (drafts: none)."""
    report = (
        reports_visible_to(user)
        .filter(Q(status__in=SENT) | Q(versions__isnull=False))
        .select_related("unit", "municipality")
        .filter(pk=report_pk)
        .distinct()
        .first()
    )
    if report is None:
        return None
    versions = ReportVersion.objects.filter(report=report).select_related("sent_by")
    version = (
        versions.filter(number=number).first()
        if number is not None
        else versions.order_by("-number").first()
    )
    return (report, version) if version else None


def measure_visible(user, measure_pk: int) -> Measure | None:
    """A decided measure the reader may read, or None."""
    measure = (
        measures_visible_to(user)
        .select_related("unit", "unit__municipality", "municipality", "source_agenda_item")
        .filter(pk=measure_pk)
        .first()
    )
    return measure if measure and has_decision_record(measure) else None
