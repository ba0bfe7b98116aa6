"""Reads for measures. Query counts are fixed: they do not grow with the number of measures."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone, translation

from trepart.measures.models import Measure, MeasureEvent, Stage

BOARD_STAGES = (Stage.IDEA, Stage.PLANNED, Stage.IN_TRIAL, Stage.EVALUATED, Stage.DECIDED)
CLOSED_STAGES = (Stage.DONE, Stage.STOPPED)


def board(unit, stage: str | None = None) -> dict:
    """The unit's board: open measures in columns by stage; done and stopped ones below."""
    stage = stage if stage in Stage.values else None
    today = timezone.localdate()
    qs = (
        Measure.objects.filter(unit=unit)
        .select_related("source_input")
        .annotate(note_count=Count("events", filter=Q(events__kind=MeasureEvent.Kind.NOTE)))
    )
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    measures = list(qs.order_by("evaluation_on", "-updated_at", "id"))
    for m in measures:
        m.overdue = m.evaluation_overdue(today)
    columns = [
        {"stage": s, "label": Stage(s).label, "measures": [m for m in measures if m.stage == s]}
        for s in BOARD_STAGES
        if not stage or stage == s
    ]
    closed = [m for m in measures if m.stage in CLOSED_STAGES]
    counts = dict(
        Measure.objects.filter(unit=unit)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("stage", "n")
    )
    return {
        "columns": columns,
        "closed": closed,
        "counts": counts,
        "overdue": [m for m in measures if m.overdue],
        "stage": stage if stage in Stage.values else "",
    }


def units_overview(units) -> list[dict]:
    """The measures index: per unit, how many measures are in each open stage (one query)."""
    from trepart.organisation.models import Unit

    stage_counts = {f"n_{s}": Count("measures", filter=Q(measures__stage=s)) for s in BOARD_STAGES}
    today = timezone.localdate()
    rows = (
        Unit.objects.filter(pk__in=[u.pk for u in units])
        .annotate(
            **stage_counts,
            n_overdue=Count(
                "measures",
                filter=Q(measures__stage=Stage.IN_TRIAL, measures__evaluation_on__lt=today),
            ),
            n_wins=Count("measures", filter=Q(measures__is_win=True)),
        )
        .order_by("name")
    )
    return [
        {
            "unit": u,
            "stages": [(Stage(s).label, getattr(u, f"n_{s}")) for s in BOARD_STAGES],
            "overdue": u.n_overdue,
            "wins": u.n_wins,
        }
        for u in rows
    ]


def measure_detail(measure: Measure) -> dict:
    events = list(measure.events.select_related("actor"))
    try:
        risk = measure.risk
        risks = list(risk.risks.all())
    except Measure.risk.RelatedObjectDoesNotExist:
        risk, risks = None, []
    return {
        "events": events,
        "risk": risk,
        "risks": risks,
        "evidence": list(measure.evidence.select_related("added_by").defer("content")),
    }


def wins(unit, limit: int = 6) -> list[Measure]:
    """R28: kept measures marked as wins, newest first (unit page)."""
    return list(Measure.objects.filter(unit=unit, is_win=True).order_by("-win_marked_on")[:limit])


def running_trials(unit_ids) -> dict[int, list[Measure]]:
    """Trials in progress per unit, for the standing item "status of running trials"."""
    result: dict[int, list[Measure]] = {}
    for m in Measure.objects.filter(unit_id__in=unit_ids, stage=Stage.IN_TRIAL).order_by(
        "evaluation_on", "id"
    ):
        result.setdefault(m.unit_id, []).append(m)
    return result


def running_trials_titles() -> set[str]:
    """The standing item's title in every language (items are created in the municipality's)."""
    from django.conf import settings

    titles = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles.add(str(translation.gettext("Status of running trials")))
    return titles


def home_measures(user) -> list[Measure]:
    """For the home page: the running trials of the person's groups (the nearest evaluation
    first), evaluated ones waiting for a decision, and decisions waiting for the line."""
    from trepart.meetings.permissions import party_group_unit_ids

    units = party_group_unit_ids(user)
    if not units:
        return []
    return list(
        Measure.objects.filter(unit_id__in=units)
        .filter(
            Q(stage=Stage.IN_TRIAL)
            | Q(stage=Stage.EVALUATED)
            | Q(stage=Stage.DECIDED, referred_to__gt="", line_outcome="")
        )
        .select_related("unit")
        .order_by("evaluation_on", "id")[:10]
    )
