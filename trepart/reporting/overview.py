"""The steering overview across the municipality (P5, issue 11 point 2; R1, R4, R10, R20, R28,
R30–R32).

Counts only, never the texts of inputs. Every number is counted straight from the records here,
in one place, so a test can derive each of them by hand, and the page and the Excel file show
the same figures. The number of queries is fixed: it does not grow with units or rows.

Definitions (also explained on the page):

- a meeting is *held* when it is a unit's meeting (not the steering group's) that was held or
  has published minutes, and was not cancelled; it counts in the quarter it started;
- a group *meets regularly* when it held at least ``REGULAR_MIN_MEETINGS`` meetings in the last
  six months (R10: fixed, known meeting times);
- staff input counts the group's own inputs (not hidden ones, not private messages to the
  leader), as in the steering group's input panel (``inputs.selectors.input_overview``);
  answered in time = answered within the municipality's answer time
  (``Municipality.input_answer_days``), of the inputs answered in the last twelve months;
- measures by stage are the unit's measures now; wins are measures marked as wins (R28);
- the last report is the latest period a unit has sent (R30), with whether it was sent after
  its due date and whether it has been corrected;
- open questions are the steering group's questions to the unit not yet answered (R31–R32),
  and the age of the oldest in days.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trepart.inputs.models import CLOSED_STATUSES, OPEN_STATUSES, Audience, Input
from trepart.measures.models import Measure, Stage
from trepart.meetings.models import Meeting
from trepart.organisation import composition
from trepart.organisation.models import ServiceArea, Unit
from trepart.organisation.permissions import is_admin, is_steering_member
from trepart.reporting.models import SteeringQuestion, UnitReport
from trepart.reporting.permissions import SENT

REGULAR_MIN_MEETINGS = 3  # R10: at least three meetings in six months counts as regular
QUARTERS = 6  # the trend covers the current quarter and the five before it


def _today() -> datetime.date:
    return timezone.localdate()


def can_view_overview(user) -> bool:
    """Steering-group members and municipal administrators (counts only, no texts)."""
    return (
        user.is_authenticated
        and user.municipality_id is not None
        and (is_steering_member(user) or is_admin(user))
    )


# --- dates ----------------------------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _start_of(day: datetime.date) -> datetime.datetime:
    """Local midnight at the start of `day`, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1–4
    start: datetime.date
    end: datetime.date  # the first day after the quarter
    current: bool = False

    @property
    def label(self) -> str:
        label = _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}
        return _("%(quarter)s (so far)") % {"quarter": label} if self.current else label


def quarters(today: datetime.date, count: int = QUARTERS) -> list[Quarter]:
    """The last `count` calendar quarters, oldest first; the last one is today's."""
    result = []
    index = today.year * 4 + (today.month - 1) // 3
    for i in range(index - count + 1, index + 1):
        year, q = divmod(i, 4)
        start = datetime.date(year, q * 3 + 1, 1)
        end_year, end_q = divmod(i + 1, 4)
        end = datetime.date(end_year, end_q * 3 + 1, 1)
        result.append(Quarter(year, q + 1, start, end, current=(i == index)))
    return result


# --- the overview ---------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    last_meeting: datetime.date | None = None
    meetings_6m: int = 0
    findings: list = field(default_factory=list)
    inputs_received: int = 0
    inputs_answered: int = 0
    inputs_in_time: int = 0
    inputs_waiting: int = 0
    inputs_overdue: int = 0
    answer_days: list[int] = field(default_factory=list)
    stages: dict[str, int] = field(default_factory=dict)
    wins: int = 0
    last_report: UnitReport | None = None
    open_questions: int = 0
    oldest_question_days: int | None = None

    @property
    def meets_regularly(self) -> bool:
        return self.meetings_6m >= REGULAR_MIN_MEETINGS

    @property
    def share_in_time(self) -> int | None:
        """Percent of the answered inputs that were answered in time (None: none answered)."""
        return share(self.inputs_in_time, self.inputs_answered)

    @property
    def median_days(self):
        return statistics.median(self.answer_days) if self.answer_days else None

    @property
    def report_late(self) -> bool:
        r = self.last_report
        return bool(r and r.first_sent_at and timezone.localdate(r.first_sent_at) > r.due_on)

    @property
    def report_corrected(self) -> bool:
        return bool(self.last_report and self.last_report.n_versions > 1)


def share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def service_areas(municipality) -> list[ServiceArea]:
    return list(ServiceArea.objects.filter(municipality=municipality).order_by("name", "pk"))


def selected_area(municipality, area_value):
    """The service area chosen in ?area=, or None: junk and other municipalities' ids are
    ignored (the overview then shows every unit)."""
    value = (area_value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return ServiceArea.objects.filter(municipality=municipality, pk=int(value)).first()


def steering_overview(municipality, area=None, today: datetime.date | None = None) -> dict:
    """Everything the overview page and its Excel file show, for one municipality (optionally
    one of its service areas). A fixed number of queries however many units and records."""
    today = today or _today()
    tomorrow = _start_of(today + datetime.timedelta(days=1))
    six_months_ago = _start_of(months_before(today, 6))
    year_ago = today - datetime.timedelta(days=365)
    answer_limit = municipality.input_answer_days

    in_scope = Q(municipality=municipality)
    unit_scope = Q(unit__municipality=municipality)
    if area is not None:
        in_scope &= Q(service_area=area)
        unit_scope &= Q(unit__service_area=area)

    # R30: the latest period each unit has sent a report for.
    latest_sent = (
        UnitReport.objects.filter(unit=OuterRef("pk"), status__in=SENT)
        .order_by("-period_start")
        .values("pk")[:1]
    )
    units = list(
        Unit.objects.filter(in_scope)
        .select_related("service_area", "municipality")
        .annotate(last_report_id=Subquery(latest_sent))
        .order_by("name", "pk")
    )
    rows = {u.pk: UnitRow(unit=u) for u in units}

    # Composition findings (R4, R5): the organisation app's check, in a fixed number of queries.
    for snapshot in composition.unit_snapshots(municipality, units=units):
        rows[snapshot.unit.pk].findings = composition.unit_findings(snapshot)

    # R10: does the group meet regularly?
    held = _held_meetings().filter(unit_scope, municipality=municipality, starts_at__lt=tomorrow)
    for r in (
        held.values("unit_id")
        .annotate(last=Max("starts_at"), n6=Count("pk", filter=Q(starts_at__gte=six_months_ago)))
        .order_by()
    ):
        row = rows[r["unit_id"]]
        row.last_meeting = timezone.localdate(r["last"])
        row.meetings_6m = r["n6"]

    # R20–R21: staff input, counts only.
    group_inputs = Input.objects.filter(
        unit_scope, municipality=municipality, audience=Audience.GROUP, hidden=False
    )
    open_ = Q(status__in=OPEN_STATUSES)
    overdue_before = today - datetime.timedelta(days=answer_limit)
    for r in (
        group_inputs.values("unit_id")
        .annotate(
            received=Count("pk", filter=Q(submitted_on__gte=year_ago)),
            waiting=Count("pk", filter=open_),
            overdue=Count("pk", filter=open_ & Q(submitted_on__lt=overdue_before)),
        )
        .order_by()
    ):
        row = rows[r["unit_id"]]
        row.inputs_received = r["received"]
        row.inputs_waiting = r["waiting"]
        row.inputs_overdue = r["overdue"]
    answered = group_inputs.filter(answered_on__gte=year_ago, status__in=CLOSED_STATUSES)
    for unit_id, submitted_on, answered_on in answered.values_list(
        "unit_id", "submitted_on", "answered_on"
    ).order_by():
        row = rows[unit_id]
        days = (answered_on - submitted_on).days
        row.answer_days.append(days)
        row.inputs_answered += 1
        row.inputs_in_time += days <= answer_limit

    # Measures by stage now, and wins marked in the last twelve months (R28).
    measures = Measure.objects.filter(unit_scope, municipality=municipality)
    for unit_id, stage, n in (
        measures.values_list("unit_id", "stage")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "stage", "n")
        .order_by()
    ):
        rows[unit_id].stages[stage] = n
    for unit_id, n in (
        measures.filter(is_win=True, win_marked_on__gte=year_ago)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
        .order_by()
    ):
        rows[unit_id].wins = n

    # R30: the last report sent, with its number of versions (a correction is a new version).
    report_ids = [u.last_report_id for u in units if u.last_report_id]
    if report_ids:
        for report in UnitReport.objects.filter(pk__in=report_ids).annotate(
            n_versions=Count("versions")
        ):
            rows[report.unit_id].last_report = report

    # R31–R32: open questions from the steering group, and the age of the oldest.
    for r in (
        SteeringQuestion.objects.filter(unit_scope, municipality=municipality, answered_at=None)
        .values("unit_id")
        .annotate(n=Count("pk"), oldest=Min("asked_at"))
        .order_by()
    ):
        row = rows[r["unit_id"]]
        row.open_questions = r["n"]
        row.oldest_question_days = (today - timezone.localdate(r["oldest"])).days

    unit_rows = [rows[u.pk] for u in units]
    all_days = [d for row in unit_rows for d in row.answer_days]
    answered_total = sum(r.inputs_answered for r in unit_rows)
    in_time_total = sum(r.inputs_in_time for r in unit_rows)
    summary = {
        "units": len(unit_rows),
        "meeting_regularly": sum(1 for r in unit_rows if r.meets_regularly),
        "with_findings": sum(1 for r in unit_rows if r.findings),
        "inputs_answered": answered_total,
        "inputs_in_time": in_time_total,
        "share_in_time": share(in_time_total, answered_total),
        "median_days": statistics.median(all_days) if all_days else None,
        "inputs_overdue": sum(r.inputs_overdue for r in unit_rows),
        "open_questions": sum(r.open_questions for r in unit_rows),
        "oldest_question_days": max(
            (r.oldest_question_days for r in unit_rows if r.oldest_question_days is not None),
            default=None,
        ),
        "wins": sum(r.wins for r in unit_rows),
    }
    return {
        "municipality": municipality,
        "area": area,
        "today": today,
        "answer_limit": answer_limit,
        "regular_min": REGULAR_MIN_MEETINGS,
        "rows": unit_rows,
        "summary": summary,
        "trends": trends(municipality, unit_scope, today),
    }


def _held_meetings():
    """R30: meetings that took place (held, or with published minutes), never cancelled ones;
    the units' own meetings only, not the steering group's."""
    held = Q(status=Meeting.Status.HELD) | Q(
        minutes_status__in=[Meeting.MinutesStatus.PUBLISHED, Meeting.MinutesStatus.CORRECTING]
    )
    return Meeting.objects.filter(held, unit__isnull=False).exclude(status=Meeting.Status.CANCELLED)


def _per_quarter(queryset, qs: list[Quarter], aware: bool, **series) -> dict:
    """One aggregate query: for each series — a name, the date field that puts a row in a
    quarter, and an extra filter — the count per quarter."""
    aggregates = {}
    for name, (field_name, extra) in series.items():
        for i, q in enumerate(qs):
            lo, hi = (_start_of(q.start), _start_of(q.end)) if aware else (q.start, q.end)
            in_quarter = Q(**{f"{field_name}__gte": lo, f"{field_name}__lt": hi}) & extra
            aggregates[f"{name}_{i}"] = Count("pk", filter=in_quarter)
    raw = queryset.aggregate(**aggregates)
    return {name: [raw[f"{name}_{i}"] for i in range(len(qs))] for name in series}


def trends(municipality, unit_scope: Q, today: datetime.date) -> list[dict]:
    """Per quarter: meetings held; inputs received, answered and answered in time; measures
    whose trial started and measures decided; wins; reports sent (R10, R20, R25, R28, R30)."""
    qs = quarters(today)
    first, after = qs[0].start, qs[-1].end
    answer_limit = municipality.input_answer_days

    tomorrow = _start_of(today + datetime.timedelta(days=1))
    meetings = _per_quarter(
        _held_meetings().filter(unit_scope, municipality=municipality, starts_at__lt=tomorrow),
        qs,
        aware=True,
        held=("starts_at", Q()),
    )
    group_inputs = Input.objects.filter(
        unit_scope, municipality=municipality, audience=Audience.GROUP, hidden=False
    )
    received = _per_quarter(group_inputs, qs, aware=False, received=("submitted_on", Q()))
    answered = [0] * len(qs)
    in_time = [0] * len(qs)
    for submitted_on, answered_on in group_inputs.filter(
        status__in=CLOSED_STATUSES, answered_on__gte=first, answered_on__lt=after
    ).values_list("submitted_on", "answered_on"):
        i = next(i for i, q in enumerate(qs) if q.start <= answered_on < q.end)
        answered[i] += 1
        in_time[i] += (answered_on - submitted_on).days <= answer_limit
    measures = Measure.objects.filter(unit_scope, municipality=municipality)
    counted = _per_quarter(
        measures,
        qs,
        aware=False,
        started=("trial_started_on", Q()),
        decided=("decided_on", Q()),
        wins=("win_marked_on", Q(is_win=True)),
    )
    reports = _per_quarter(
        UnitReport.objects.filter(unit_scope, municipality=municipality),
        qs,
        aware=True,
        sent=("first_sent_at", Q()),
    )
    labels = [q.label for q in qs]
    result = [
        {
            "key": "meetings",
            "title": _("Meetings held in the party groups"),
            "sheet": _("Trend – meetings"),
            "labels": labels,
            "series": [{"label": _("Meetings held"), "data": meetings["held"]}],
        },
        {
            "key": "inputs",
            "title": _("Input from staff"),
            "sheet": _("Trend – input"),
            "labels": labels,
            "series": [
                {"label": _("Received"), "data": received["received"]},
                {"label": _("Answered"), "data": answered},
                {
                    "label": ngettext(
                        "Answered within %(days)s day",
                        "Answered within %(days)s days",
                        answer_limit,
                    )
                    % {"days": answer_limit},
                    "data": in_time,
                },
            ],
        },
        {
            "key": "measures",
            "title": _("Measures and wins"),
            "sheet": _("Trend – measures"),
            "labels": labels,
            "series": [
                {"label": _("Trials started"), "data": counted["started"]},
                {"label": _("Measures decided"), "data": counted["decided"]},
                {"label": _("Wins"), "data": counted["wins"]},
            ],
        },
        {
            "key": "reports",
            "title": _("Reports sent to the steering group"),
            "sheet": _("Trend – reports"),
            "labels": labels,
            "series": [{"label": _("Reports sent"), "data": reports["sent"]}],
        },
    ]
    for trend in result:
        # The chart reads the same numbers the table shows (json_script on the page).
        trend["data_id"] = f"trend-data-{trend['key']}"
        trend["chart"] = {"labels": trend["labels"], "series": trend["series"]}
        trend["rows"] = [
            {"label": label, "values": [s["data"][i] for s in trend["series"]]}
            for i, label in enumerate(trend["labels"])
        ]
    return result


# --- the tables, as the page and the Excel file show them -------------------------------------

MEASURE_STAGES = [
    Stage.IDEA,
    Stage.PLANNED,
    Stage.IN_TRIAL,
    Stage.EVALUATED,
    Stage.DECIDED,
    Stage.DONE,
    Stage.STOPPED,
]


def _date_text(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "–"


def _number_text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") if not value.is_integer() else str(int(value))
    return str(value)


def cell(value, text: str | None = None, kind: str = "number", note: str = "") -> dict:
    """A table cell: the raw value (for Excel) and the text the page shows."""
    if text is None:
        text = _date_text(value) if kind == "date" else _number_text(value)
    return {"value": value, "text": text, "kind": kind, "note": note}


def unit_tables(overview: dict) -> list[dict]:
    """The per-unit tables (the page shows them; the Excel file has a sheet for each)."""
    rows = overview["rows"]
    limit = overview["answer_limit"]
    meetings = {
        "key": "meetings",
        "title": _("Meetings and composition"),
        "sheet": _("Meetings and composition"),
        "columns": [
            _("Service area"),
            _("Last meeting held"),
            _("Meetings the last 6 months"),
            _("Meets regularly"),
            _("Composition findings"),
        ],
        "rows": [
            {
                "unit": r.unit,
                "cells": [
                    cell(r.unit.service_area.name, r.unit.service_area.name, "text"),
                    cell(r.last_meeting, kind="date"),
                    cell(r.meetings_6m),
                    cell(
                        r.meets_regularly,
                        _("Yes") if r.meets_regularly else _("No"),
                        "flag",
                    ),
                    cell(
                        len(r.findings),
                        "; ".join(f.title for f in r.findings) or _("None"),
                        "list",
                    ),
                ],
                "findings": r.findings,
            }
            for r in rows
        ],
    }
    inputs = {
        "key": "inputs",
        "title": _("Input from staff, the last 12 months"),
        "sheet": _("Input from staff"),
        "columns": [
            _("Received"),
            _("Answered"),
            ngettext("Answered within %(days)s day", "Answered within %(days)s days", limit)
            % {"days": limit},
            _("Share answered in time"),
            _("Median days to answer"),
            _("Waiting too long now"),
        ],
        "rows": [
            {
                "unit": r.unit,
                "cells": [
                    cell(r.inputs_received),
                    cell(r.inputs_answered),
                    cell(r.inputs_in_time),
                    cell(
                        r.share_in_time,
                        "–" if r.share_in_time is None else f"{r.share_in_time} %",
                        "percent",
                    ),
                    cell(r.median_days),
                    cell(r.inputs_overdue),
                ],
            }
            for r in rows
        ],
    }
    measures = {
        "key": "measures",
        "title": _("Measures by stage, and wins the last 12 months"),
        "sheet": _("Measures and wins"),
        "columns": [*(str(stage.label) for stage in MEASURE_STAGES), _("Wins")],
        "rows": [
            {
                "unit": r.unit,
                "cells": [
                    *(cell(r.stages.get(stage, 0)) for stage in MEASURE_STAGES),
                    cell(r.wins),
                ],
            }
            for r in rows
        ],
    }
    reports = {
        "key": "reports",
        "title": _("Reports and questions from the steering group"),
        "sheet": _("Reports and questions"),
        "columns": [
            _("Last report sent (period)"),
            _("Sent on"),
            _("Open questions"),
            _("Oldest open question (days)"),
        ],
        "rows": [
            {
                "unit": r.unit,
                "cells": [
                    _report_cell(r),
                    cell(
                        timezone.localdate(r.last_report.first_sent_at)
                        if r.last_report and r.last_report.first_sent_at
                        else None,
                        kind="date",
                        note=_report_note(r),
                    ),
                    cell(r.open_questions),
                    cell(r.oldest_question_days),
                ],
            }
            for r in rows
        ],
    }
    tables = [meetings, inputs, measures, reports]
    numeric = {"number", "percent"}
    for table in tables:
        # Column kinds from the cells, so number columns and their headers align right.
        kinds = [c["kind"] for c in table["rows"][0]["cells"]] if table["rows"] else []
        table["headers"] = [
            {"label": label, "num": bool(kinds) and kinds[i] in numeric}
            for i, label in enumerate(table["columns"])
        ]
    return tables


def _report_cell(row: UnitRow) -> dict:
    report = row.last_report
    if report is None:
        return cell(None, _("None sent"), "text")
    # Periods are calendar quarters by default; other periods show their dates.
    start, end = report.period_start, report.period_end
    if start.day == 1 and start.month in (1, 4, 7, 10) and (end - start).days in range(89, 92):
        text = _("Q%(number)s %(year)s") % {
            "number": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    else:
        text = f"{_date_text(start)}–{_date_text(end)}"
    return {**cell(text, text, "text"), "report_id": report.pk}


def _report_note(row: UnitRow) -> str:
    notes = []
    if row.report_late:
        notes.append(_("sent after the due date"))
    if row.report_corrected:
        notes.append(_("corrected"))
    return ", ".join(notes)


def definitions(data: dict) -> list[str]:
    """How the figures are counted, in plain words (shown on the page and in the file)."""
    limit = data["answer_limit"]
    return [
        _(
            "Meetings: the party groups' meetings that were held or have published minutes. "
            "Cancelled meetings do not count."
        ),
        _("Meets regularly: at least %(count)s meetings held in the last six months.")
        % {"count": data["regular_min"]},
        ngettext(
            "Input from staff: the groups' own inputs, not hidden ones and not private messages "
            "to the leader. Answered in time: answered within %(days)s day, the municipality's "
            "answer time.",
            "Input from staff: the groups' own inputs, not hidden ones and not private messages "
            "to the leader. Answered in time: answered within %(days)s days, the municipality's "
            "answer time.",
            limit,
        )
        % {"days": limit},
        _(
            "Measures by stage: the units' measures as they stand today. Wins: measures marked "
            "as wins in the last twelve months."
        ),
        _(
            "Reports: the latest period a unit has sent a report for. Open questions: the "
            "steering group's questions to the unit that are not answered yet."
        ),
        _("Trends: per calendar quarter; the current quarter so far."),
    ]
