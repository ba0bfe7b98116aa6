"""Reads for measures. Query counts are fixed: they do not grow with the number of measures."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation

from trepart.measures.models import Measure, Stage
from trepart.organisation.models import Unit
from trepart.organisation.permissions import party_group_unit_ids, unit_ids_with_any_role

BOARD_STAGES = (Stage.IDEA, Stage.PLANNED, Stage.IN_TRIAL, Stage.EVALUATED, Stage.DECIDED)
CLOSED_STAGES = (Stage.DONE, Stage.STOPPED)


# Issue 14 (P8): a column shows at most this many cards, "done and stopped" too; the rest is
# one click away on the stage's own page, which is paginated. No page renders every measure.
BOARD_LIMIT = 20


def board(unit, stage: str | None = None, page: str | int | None = None) -> dict:
    """The unit's board: open measures in columns by stage; done and stopped ones below.

    Issue 14: a fixed number of queries and a bounded number of rows, whatever the number of
    measures: the counts and the overdue count in one aggregate, the cards of all columns in one
    windowed query (the first BOARD_LIMIT of each stage), and one paginated stage when filtered.
    """
    stage = stage if stage in Stage.values else None
    today = timezone.localdate()
    base = Measure.objects.filter(unit=unit)
    overdue_q = Q(stage=Stage.IN_TRIAL, evaluation_on__lt=today)
    counts = {}
    overdue_count = 0
    for row in (
        base.values("stage").annotate(n=Count("pk"), late=Count("pk", filter=overdue_q)).order_by()
    ):
        counts[row["stage"]] = row["n"]
        overdue_count += row["late"]
    cards = base
    page_obj = None
    closed = []
    if stage:
        paginator = Paginator(
            cards.filter(stage=stage).order_by("evaluation_on", "-updated_at", "id"), BOARD_LIMIT
        )
        paginator.count = counts.get(stage, 0)  # known from the aggregate: no COUNT query
        page_obj = paginator.get_page(page)
        measures = list(page_obj.object_list)
    else:
        ranked = cards.filter(stage__in=BOARD_STAGES).annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("evaluation_on").asc(), F("updated_at").desc(), F("id").asc()],
            )
        )
        measures = list(
            ranked.filter(rank__lte=BOARD_LIMIT).order_by("evaluation_on", "-updated_at", "id")
        )
        closed = list(
            cards.filter(stage__in=CLOSED_STAGES).order_by("-updated_at", "-id")[:BOARD_LIMIT]
        )
    for m in measures + closed:
        m.overdue = m.evaluation_overdue(today)
    columns = [
        {
            "stage": s,
            "label": Stage(s).label,
            "measures": [m for m in measures if m.stage == s],
            "count": counts.get(s, 0),
        }
        for s in BOARD_STAGES
        if not stage or stage == s
    ]
    if stage in CLOSED_STAGES:
        closed, columns = measures, []
    return {
        "columns": columns,
        "closed": closed,
        "closed_count": sum(counts.get(s, 0) for s in CLOSED_STAGES),
        "counts": counts,
        "overdue_count": overdue_count,
        "stage": stage or "",
        "page_obj": page_obj,
        "board_limit": BOARD_LIMIT,
    }


def units_overview(units) -> list[dict]:
    """The measures index: per unit, how many measures are in each open stage (one query)."""
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


def measure_source_urls(user, measure: Measure) -> dict:
    """Links to where the measure came from, only when this reader may open them (an admin or
    an employee may read the measure but not the staff input or the draft minutes)."""
    from django.urls import reverse

    from trepart.inputs.permissions import inputs_visible_to
    from trepart.meetings.permissions import meetings_visible_to

    input_url = meeting_url = None
    if (
        measure.source_input_id
        and inputs_visible_to(user).filter(pk=measure.source_input_id).exists()
    ):
        input_url = reverse("inputs:input_detail", args=[measure.source_input_id])
    if measure.source_agenda_item_id:
        meeting_id = measure.source_agenda_item.meeting_id
        if meetings_visible_to(user).filter(pk=meeting_id).exists():
            meeting_url = reverse("meetings:meeting_detail", args=[meeting_id])
    return {"source_input_url": input_url, "source_meeting_url": meeting_url}


def agenda_item_sources(user, items) -> dict[int, list[dict]]:
    """AGENDA_ITEM_SOURCES (trepart.core.hooks): the measures made from these agenda items (P4),
    linked only for a reader who may open them; and, for a unit item without one, the button
    that makes it a measure for those who may. Two queries, whatever the number of items."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from trepart.measures import permissions

    pks = [it.pk for it in items]
    if not pks:
        return {}
    measures = list(
        Measure.objects.filter(source_agenda_item_id__in=pks).order_by("created_at", "id")
    )
    visible = set(
        permissions.measures_visible_to(user)
        .filter(pk__in=[m.pk for m in measures])
        .values_list("pk", flat=True)
    )
    result: dict[int, list[dict]] = {}
    for m in measures:
        result.setdefault(m.source_agenda_item_id, []).append(
            {
                "label": _("Measure: %(title)s (%(stage)s)")
                % {"title": m.title, "stage": m.stage_label},
                "url": reverse("measures:measure_detail", args=[m.pk]) if m.pk in visible else None,
            }
        )
    changeable = party_group_unit_ids(user)
    for it in items:
        meeting = it.meeting
        if it.pk in result or it.standing or meeting.unit_id not in changeable:
            continue
        if meeting.municipality_id != user.municipality_id:
            continue
        result[it.pk] = [
            {
                "label": _("Make “%(title)s” a measure") % {"title": it.title},
                "url": None,
                "post_url": reverse("measures:from_agenda_item", args=[it.pk]),
            }
        ]
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
    units = party_group_unit_ids(user)
    if not units:
        # Issue 10: the staff see the trials running at their own units (they take part).
        staff_units = unit_ids_with_any_role(user)
        if not staff_units:
            return []
        return list(
            Measure.objects.filter(unit_id__in=staff_units, stage=Stage.IN_TRIAL)
            .select_related("unit")
            .order_by("evaluation_on", "id")[:10]
        )
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
