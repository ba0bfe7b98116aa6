"""Reads for unit reports, responses and questions (P5, R30–R32).

The figures of a report are drafted straight from the records of the period (meetings, inputs,
measures, actions): `report_figures()` is the one place that counts them, so a test can derive
every number by hand. Selectors own their queries: the pages keep a fixed number of them.
"""

from __future__ import annotations

import datetime
import statistics

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trepart.inputs.models import Audience, Input
from trepart.measures.models import Decision, Measure, Stage
from trepart.meetings.models import ActionItem, Meeting
from trepart.organisation.models import PoliticalSide, Role, RoleAssignment
from trepart.reporting.models import (
    ReportingSettings,
    ReportResponse,
    SteeringQuestion,
    UnitReport,
)
from trepart.reporting.permissions import SENT

# --- periods --------------------------------------------------------------------------------


def period_months_for(municipality) -> int:
    settings = ReportingSettings.objects.filter(municipality=municipality).first()
    return settings.period_months if settings else ReportingSettings.Period.QUARTERLY


def due_days_for(municipality) -> int:
    settings = ReportingSettings.objects.filter(municipality=municipality).first()
    return settings.due_days if settings else 21


def period_containing(day: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """Periods are aligned to calendar months from January (Q1 = January–March)."""
    first_month = ((day.month - 1) // months) * months + 1
    start = datetime.date(day.year, first_month, 1)
    end_month = first_month + months  # the month after the period
    if end_month > 12:
        end = datetime.date(day.year + 1, end_month - 12, 1)
    else:
        end = datetime.date(day.year, end_month, 1)
    return start, end - datetime.timedelta(days=1)


def last_ended_period(today: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """The period that ended most recently before `today`."""
    start, _end = period_containing(today, months)
    return period_containing(start - datetime.timedelta(days=1), months)


def period_label(start: datetime.date, end: datetime.date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == 3 and start.month in (1, 4, 7, 10):
        return _("Q%(number)s %(year)s") % {
            "number": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    if months == 1:
        return date_format(start, "F Y")
    if months == 12 and start.month == 1:
        return str(start.year)
    return _("%(start)s–%(end)s") % {
        "start": date_format(start, "F"),
        "end": date_format(end, "F Y"),
    }


# --- figures --------------------------------------------------------------------------------


def report_figures(unit, start: datetime.date, end: datetime.date, today=None) -> dict:
    """R30: what happened at the unit in the period, counted from the records.

    - meetings held (marked held or with published minutes) / cancelled: the unit's meetings
      that started in the period;
    - inputs received: submitted in the period to the group (hidden ones and private messages
      to the leader not counted);
    - inputs answered: answered in the period, with the median number of days from submission
      to answer and how many were answered within the municipality's answer time;
    - inputs unanswered: submitted by the end of the period and not answered by then;
    - measures by stage: the unit's measures now; decisions: measures decided in the period;
      wins: measures marked as wins in the period;
    - open actions: actions from the unit's meetings not done, and of those overdue.
    """
    today = today or timezone.localdate()
    answer_days = unit.municipality.input_answer_days
    # The same definitions as the steering overview (reporting/overview.py): a meeting was held
    # when it is marked held or has published minutes; private messages to the leader (R14)
    # and hidden inputs are not the group's inputs.
    took_place = Q(status=Meeting.Status.HELD) | Q(
        minutes_status__in=[Meeting.MinutesStatus.PUBLISHED, Meeting.MinutesStatus.CORRECTING]
    )
    meetings = Meeting.objects.filter(
        unit=unit, starts_at__date__gte=start, starts_at__date__lte=end
    ).aggregate(
        held=Count("pk", filter=took_place & ~Q(status=Meeting.Status.CANCELLED)),
        cancelled=Count("pk", filter=Q(status=Meeting.Status.CANCELLED)),
    )
    inputs = Input.objects.filter(unit=unit, hidden=False, audience=Audience.GROUP)
    received = inputs.filter(submitted_on__gte=start, submitted_on__lte=end).count()
    answered = list(
        inputs.filter(answered_on__gte=start, answered_on__lte=end).values_list(
            "submitted_on", "answered_on"
        )
    )
    waits = [(a - s).days for s, a in answered]
    unanswered = (
        inputs.filter(submitted_on__lte=end)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gt=end))
        .count()
    )
    stages = dict(
        Measure.objects.filter(unit=unit)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    decisions = [
        {"title": title, "decision": decision}
        for title, decision in Measure.objects.filter(
            unit=unit, decided_on__gte=start, decided_on__lte=end
        )
        .order_by("decided_on", "pk")
        .values_list("title", "decision")
    ]
    wins = list(
        Measure.objects.filter(
            unit=unit, is_win=True, win_marked_on__gte=start, win_marked_on__lte=end
        )
        .order_by("win_marked_on", "pk")
        .values_list("title", flat=True)
    )
    actions = ActionItem.objects.filter(meeting__unit=unit, done_at__isnull=True).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    within = sum(1 for w in waits if w <= answer_days)
    return {
        "meetings_held": meetings["held"],
        "meetings_cancelled": meetings["cancelled"],
        "inputs_received": received,
        "inputs_answered": len(waits),
        "answer_days_median": statistics.median(waits) if waits else None,
        "answered_within": within,
        "answered_within_share": round(100 * within / len(waits)) if waits else None,
        "answer_days_limit": answer_days,
        "inputs_unanswered": unanswered,
        "measures_by_stage": {stage: stages.get(stage, 0) for stage in Stage.values},
        "decisions": decisions,
        "wins": wins,
        "actions_open": actions["open"],
        "actions_overdue": actions["overdue"],
    }


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return str(int(value)) if isinstance(value, float) else str(value)


def figure_rows(figures: dict) -> dict:
    """The figures as labelled rows for the page's tables (labels in the reader's language)."""
    if not figures:
        return {"rows": [], "stages": [], "decisions": [], "wins": []}
    share = figures.get("answered_within_share")
    rows = [
        (_("Meetings held"), _number(figures.get("meetings_held"))),
        (_("Meetings cancelled"), _number(figures.get("meetings_cancelled"))),
        (_("Inputs received"), _number(figures.get("inputs_received"))),
        (_("Inputs answered"), _number(figures.get("inputs_answered"))),
        (_("Median days to answer"), _number(figures.get("answer_days_median"))),
        (
            _("Answered within %(days)s days") % {"days": figures.get("answer_days_limit")},
            "–" if share is None else f"{figures.get('answered_within')} ({share} %)",
        ),
        (
            _("Inputs not answered at the end of the period"),
            _number(figures.get("inputs_unanswered")),
        ),
        (_("Open actions"), _number(figures.get("actions_open"))),
        (_("Of those overdue"), _number(figures.get("actions_overdue"))),
    ]
    stages = [
        (Stage(stage).label, n)
        for stage, n in (figures.get("measures_by_stage") or {}).items()
        if stage in Stage.values
    ]
    decisions = [
        (
            d.get("title", ""),
            Decision(d["decision"]).label if d.get("decision") in Decision.values else "",
        )
        for d in figures.get("decisions") or []
    ]
    return {
        "rows": rows,
        "stages": stages,
        "decisions": decisions,
        "wins": figures.get("wins") or [],
    }


# --- who is who in the steering group ---------------------------------------------------------


def party_of(assignment) -> str | None:
    """The side of the steering group a role belongs to (R1, R32)."""
    if assignment.role == Role.POLITICIAN:
        return "opposition" if assignment.side == PoliticalSide.OPPOSITION else "position"
    return {
        Role.ADMINISTRATION: "administration",
        Role.CHIEF_UNION_REP: "union",
        Role.CHIEF_SAFETY_REP: "safety",
    }.get(assignment.role)


def party_labels() -> list[tuple[str, str]]:
    return [
        ("position", _("Politicians (position)")),
        ("opposition", _("Politicians (opposition)")),
        ("administration", _("Administration")),
        ("union", _("Union side")),
        ("safety", _("Safety side")),
    ]


def steering_assignments(user_ids) -> dict[int, list]:
    result: dict[int, list] = {}
    for a in (
        RoleAssignment.objects.current()
        .filter(
            person_id__in=list(user_ids),
            role__in=[
                Role.POLITICIAN,
                Role.ADMINISTRATION,
                Role.CHIEF_UNION_REP,
                Role.CHIEF_SAFETY_REP,
            ],
        )
        .select_related("union")
        .order_by("pk")
    ):
        result.setdefault(a.person_id, []).append(a)
    return result


def role_label_for(assignments) -> str:
    """How a steering member is shown next to what they wrote: "Politician (opposition)",
    "Chief union rep, Fagforbundet"."""
    labels = []
    for a in assignments:
        if a.role == Role.POLITICIAN:
            labels.append(
                _("Politician (opposition)")
                if a.side == PoliticalSide.OPPOSITION
                else _("Politician (position)")
            )
        elif a.role == Role.CHIEF_UNION_REP and a.union_id:
            labels.append(_("Chief union rep, %(union)s") % {"union": a.union.name})
        else:
            labels.append(str(Role(a.role).label))
    return ", ".join(dict.fromkeys(labels))


def party_coverage(author_ids) -> list[dict]:
    """Per side of the steering group: who has responded (R32: not left to one side)."""
    by_person = steering_assignments(author_ids)
    parties = {key: [] for key, _label in party_labels()}
    for person_id, assignments in by_person.items():
        for a in assignments:
            key = party_of(a)
            if key and person_id not in parties[key]:
                parties[key].append(person_id)
    return [
        {"key": key, "label": label, "count": len(parties[key])} for key, label in party_labels()
    ]


# --- pages ----------------------------------------------------------------------------------


def _with_people(qs):
    return qs.select_related("unit", "unit__service_area", "updated_by")


def unit_reports(reports_qs, questions_qs, unit) -> dict:
    """The unit's reports (drafts only if the queryset lets the reader see them) and questions."""
    reports = list(_with_people(reports_qs.filter(unit=unit)))
    questions = list(
        questions_qs.filter(unit=unit).select_related("asked_by", "answered_by", "report")
    )
    return {
        "reports": reports,
        "open_questions": [q for q in questions if q.is_open],
        "answered_questions": [q for q in questions if not q.is_open],
    }


def report_detail(report: UnitReport, questions_qs, *, editing: bool = False) -> dict:
    """The report page: the figures (live while a draft, and for the group while it corrects
    the report; as last sent otherwise, so readers never see a correction before it is sent),
    the group's words, the responses and who has responded per side, questions."""
    latest = report.versions.order_by("-number").first()
    live = not (latest and (report.status == UnitReport.Status.SENT or not editing))
    if not live:
        figures = latest.content.get("figures", {})
        words = latest.content
    else:
        figures = report_figures(report.unit, report.period_start, report.period_end)
        words = {"went_well": report.went_well, "hard": report.hard, "need": report.need}
    responses = list(
        ReportResponse.objects.filter(report=report)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    questions = list(
        questions_qs.filter(
            Q(report=report) | Q(unit=report.unit, report__isnull=True, answered_at__isnull=True)
        )
        .select_related("asked_by", "answered_by")
        .order_by("-asked_at", "-pk")
    )
    authors = {r.author_id for r in responses} | {
        q.asked_by_id for q in questions if q.report_id == report.pk
    }
    return {
        "figures": figure_rows(figures),
        "live": live,
        "words": words,
        "latest": latest,
        "responses": responses,
        "questions": questions,
        "coverage": party_coverage(authors),
        "period_label": period_label(report.period_start, report.period_end),
    }


def steering_reports(reports_qs, *, period: str = "", service_area: str = "") -> dict:
    """All sent reports the reader may read, newest first; filter by period and service area."""
    qs = reports_qs.filter(status__in=SENT).select_related("unit", "unit__service_area")
    all_periods = sorted(set(qs.values_list("period_start", "period_end")), reverse=True)
    periods = [(s.isoformat(), period_label(s, e)) for s, e in all_periods]
    if period and period in dict(periods):
        qs = qs.filter(period_start=datetime.date.fromisoformat(period))
    areas = sorted(
        {(r.unit.service_area_id, r.unit.service_area.name) for r in qs}, key=lambda a: a[1]
    )
    if service_area.isdigit() and int(service_area) in {a[0] for a in areas}:
        qs = qs.filter(unit__service_area_id=int(service_area))
    reports = list(
        qs.annotate(
            n_responses=Count("responses", distinct=True),
            n_open_questions=Count(
                "questions", filter=Q(questions__answered_at__isnull=True), distinct=True
            ),
        ).order_by("-period_start", "unit__name")
    )
    for r in reports:
        r.period_text = period_label(r.period_start, r.period_end)
    return {"reports": reports, "periods": periods, "areas": areas}


def open_questions_for_group(questions_qs, unit_ids) -> list[SteeringQuestion]:
    return list(
        questions_qs.filter(unit_id__in=list(unit_ids), answered_at__isnull=True)
        .select_related("unit", "asked_by")
        .order_by("asked_at", "pk")
    )


def agenda_state(user) -> dict:
    """May this person put things on the steering group's agenda (R31), and onto which
    meeting? For the agenda buttons on the report, question and experience pages."""
    from trepart.meetings.permissions import can_edit_meeting
    from trepart.organisation.permissions import is_steering_member

    if not is_steering_member(user):
        return {"may": False, "meeting": None}
    meeting = next_steering_meeting(user.municipality_id)
    return {
        "may": True,
        "meeting": meeting if meeting and can_edit_meeting(user, meeting) else None,
    }


def next_steering_meeting(municipality_id):
    """The next planned steering-group meeting (R2: information and dialogue), or None."""
    return (
        Meeting.objects.filter(
            municipality_id=municipality_id,
            unit__isnull=True,
            status=Meeting.Status.PLANNED,
            starts_at__gt=timezone.now(),
        )
        .order_by("starts_at", "pk")
        .first()
    )


# --- agenda item sources --------------------------------------------------------------------
