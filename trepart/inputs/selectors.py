"""Reads for staff input. Query counts are fixed: they do not grow with the number of inputs."""

from __future__ import annotations

import datetime
import statistics

from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import (
    Aggregate,
    Count,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    Q,
)
from django.utils import timezone

from trepart.inputs import permissions
from trepart.inputs.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Audience,
    Input,
    InputLink,
    Status,
)
from trepart.inputs.services import receipt_hash
from trepart.inputs.similarity import TERM, explain, rank, search_terms
from trepart.meetings.models import Meeting
from trepart.organisation.models import Unit
from trepart.organisation.permissions import party_group_unit_ids, unit_ids_with_any_role

# The group's list views (?view=…).
VIEW_OPEN = "open"
VIEW_CLOSED = "closed"
VIEW_HIDDEN = "hidden"
VIEW_LEADER = "leader"
VIEWS = (VIEW_OPEN, VIEW_CLOSED, VIEW_HIDDEN, VIEW_LEADER)


def _today() -> datetime.date:
    return timezone.localdate()


def _overdue_before(municipality, today=None) -> datetime.date:
    """Open input sent before this day is overdue (P3: N days, a municipal setting)."""
    today = today or _today()
    return today - datetime.timedelta(days=municipality.input_answer_days)


PAGE_SIZE = 40


def unit_inputs(user, unit, view: str = VIEW_OPEN, page=1) -> dict:
    """The group's list of a unit's inputs, a page at a time, with a count for every view."""
    base = Input.objects.filter(unit=unit)
    is_leader = unit.pk in permissions.leader_unit_ids(user)
    group = Q(audience=Audience.GROUP)
    filters = {
        VIEW_OPEN: group & Q(hidden=False, status__in=OPEN_STATUSES),
        VIEW_CLOSED: group & Q(hidden=False, status__in=CLOSED_STATUSES),
        VIEW_HIDDEN: group & Q(hidden=True),
        VIEW_LEADER: Q(audience=Audience.LEADER) if is_leader else Q(pk__in=[]),
    }
    overdue = Q(submitted_on__lt=_overdue_before(unit.municipality)) & filters[VIEW_OPEN]
    # Aggregate names must not clash with field names ("hidden"): prefix them.
    raw = base.aggregate(
        **{f"n_{name}": Count("pk", filter=f) for name, f in filters.items()},
        n_overdue=Count("pk", filter=overdue),
    )
    counts = {name[2:]: value for name, value in raw.items()}
    if view not in filters:
        view = VIEW_OPEN
    order = ("submitted_on", "id") if view == VIEW_OPEN else ("-status_changed_on", "-id")
    qs = base.filter(filters[view]).select_related("author", "municipality").order_by(*order)
    # The count is known from the aggregate: no extra COUNT query for the paginator.
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.count = counts[view]
    page_obj = paginator.get_page(page)
    return {
        "items": list(page_obj.object_list),
        "page_obj": page_obj,
        "counts": counts,
        "view": view,
        "is_leader": is_leader,
    }


def agenda_item_sources(user, items) -> dict[int, list[dict]]:
    """AGENDA_ITEM_SOURCES (trepart.core.hooks): the staff inputs these agenda items came from
    (P3). The text is shown to every reader of the meeting page; the link only to a reader who
    may open the input (no 404s). Two queries, whatever the number of items."""
    from django.template.defaultfilters import date as date_filter
    from django.urls import reverse
    from django.utils.translation import gettext as _

    pks = [it.pk for it in items]
    if not pks:
        return {}
    inputs = list(
        Input.objects.filter(agenda_item_id__in=pks)
        .only("pk", "agenda_item_id", "submitted_on")
        .order_by("submitted_on", "pk")
    )
    visible = set(
        permissions.inputs_visible_to(user)
        .filter(pk__in=[i.pk for i in inputs])
        .values_list("pk", flat=True)
    )
    result: dict[int, list[dict]] = {}
    for item in inputs:
        result.setdefault(item.agenda_item_id, []).append(
            {
                "label": _("From staff input, %(date)s")
                % {"date": date_filter(item.submitted_on, "j. F")},
                "url": reverse("inputs:input_detail", args=[item.pk])
                if item.pk in visible
                else None,
            }
        )
    return result


def input_link(unit):
    """The unit's anonymous link, or None for a unit that has none yet (nothing is written)."""
    return InputLink.objects.filter(unit=unit).first()


def input_links_for_units(unit_ids) -> list[InputLink]:
    """The anonymous links of these units (the staff's own units: the link on the poster)."""
    if not unit_ids:
        return []
    return list(InputLink.objects.filter(unit_id__in=unit_ids).select_related("unit"))


def input_detail(item: Input) -> dict:
    events = list(item.events.select_related("actor"))
    return {"events": events}


def similar_inputs(item: Input, limit: int | None = 5) -> list[dict]:
    """P3: earlier inputs of the unit that resemble this one, with their answers (R21), so the
    group answers alike. Same unit only; never hidden input or private messages to the leader.

    One rule decides on every database (`similarity.rank` over the stored terms). On SQLite the
    candidates are all of the unit's inputs; on PostgreSQL the database first narrows them with
    full-text search (`norwegian` configuration) over the stored terms, prefix terms for unknown
    words, and trigram word similarity (pg_trgm) for words that end a longer one — everything
    `similarity.matches` can pair, so both give the same answer (tests/inputs/
    test_similarity_quality.py). One query either way.

    `shared` is what the page shows: the words both texts use, or each text's own word where
    they differ ("for få folk ≈ bemanning")."""
    target = {t for t in item.stems.split() if TERM.fullmatch(t)}
    if not target:
        return []
    candidates = (
        Input.objects.filter(unit_id=item.unit_id, audience=Audience.GROUP, hidden=False)
        .exclude(pk=item.pk)
        .only("pk", "text", "stems", "status", "answer", "submitted_on", "answered_on")
    )
    if connections[candidates.db].vendor == "postgresql":
        candidates = _search_candidates(candidates, target)
    return [
        {"input": other, "score": round(score * 100), "shared": explain(item.text, other.text)}
        for score, _terms, other in rank(target, candidates, limit=limit)
    ]


# pg_trgm's word similarity of an unknown word that ends a longer one (garasj in bilgarasj) is
# at least 5/7; 0.6 leaves room and is pg_trgm's own default for this operator.
WORD_SIMILARITY = 0.6


def _search_candidates(candidates, target: set[str]):
    """PostgreSQL: only the unit's inputs that can match `target` (see `similar_inputs`)."""
    whole, open_terms = search_terms(target)
    if not whole and not open_terms:
        return candidates.none()  # only everyday words: nothing can be similar
    # Terms are letters only (similarity.TERM), so they are safe inside a raw tsquery.
    raw = " | ".join([f"'{t}'" for t in whole] + [f"'{t}':*" for t in open_terms])
    condition = Q(terms_vector=SearchQuery(raw, config="norwegian", search_type="raw"))
    aliases = {"terms_vector": SearchVector("stems", config="norwegian")}
    for i, term in enumerate(open_terms):
        aliases[f"ends_{i}"] = TrigramWordSimilarity(term, "stems")
        condition |= Q(**{f"ends_{i}__gte": WORD_SIMILARITY})
    return candidates.alias(**aliases).filter(condition)


def coming_meetings(unit, limit: int = 6):
    """Planned meetings of the unit's group where a taken-up input can be put on the agenda."""
    return list(
        Meeting.objects.filter(
            unit=unit, status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
        )
        .exclude(minutes_status=Meeting.MinutesStatus.PUBLISHED)
        .order_by("starts_at")[:limit]
    )


def input_link_for_token(token: str):
    """The unit's anonymous link by its secret token (the token is the only key), or None."""
    return (
        InputLink.objects.select_related("unit", "unit__municipality").filter(token=token).first()
    )


def receipt_lookup(code: str) -> Input | None:
    if not code:
        return None
    return (
        Input.objects.select_related("unit", "municipality", "agenda_item__meeting")
        .filter(receipt_hash=receipt_hash(code))
        .first()
    )


def _all_role_unit_ids(user) -> set[int]:
    return (
        unit_ids_with_any_role(user)
        | party_group_unit_ids(user)
        | permissions.leader_unit_ids(user)
    )


def my_inputs(user, limit: int = 50) -> list[Input]:
    """The person's own named inputs, newest first."""
    visible = permissions.inputs_visible_to(user).select_related("unit", "municipality")
    return list(visible.filter(author=user).order_by("-submitted_on", "-id")[:limit])


def staff_inputs(user) -> dict:
    """An employee's own named inputs, and the public ones of their units (P3 item 9)."""
    visible = permissions.inputs_visible_to(user).select_related("unit", "municipality")
    mine = my_inputs(user)
    # Issue 14: every public input the person may see (not their own) is in one of their units;
    # naming the units lets the partial index input_public_recent serve the newest 50.
    public = list(
        visible.filter(public=True, hidden=False, unit_id__in=_all_role_unit_ids(user))
        .exclude(author=user)
        .order_by("-status_changed_on", "-id")[:50]
    )
    return {"mine": mine, "public": public}


def group_summaries(user) -> list[dict]:
    """For the home page: per unit whose group the user is in, what waits for an answer."""
    unit_ids = party_group_unit_ids(user)
    if not unit_ids:
        return []
    units = Unit.objects.filter(pk__in=unit_ids).select_related("municipality")
    leader_units = permissions.leader_unit_ids(user)
    municipality = user.municipality
    # Issue 14: only open inputs are joined (FilteredRelation puts the status in the JOIN, so
    # the (unit, status) index finds them); answered ones, years of them, are never read.
    units = units.annotate(
        open_inputs=FilteredRelation("inputs", condition=Q(inputs__status__in=OPEN_STATUSES))
    )
    open_group = Q(open_inputs__hidden=False, open_inputs__audience=Audience.GROUP)
    units = units.annotate(
        new_count=Count("open_inputs", filter=open_group & Q(open_inputs__status=Status.NEW)),
        open_count=Count("open_inputs", filter=open_group),
        overdue_count=Count(
            "open_inputs",
            filter=open_group & Q(open_inputs__submitted_on__lt=_overdue_before(municipality)),
        ),
        leader_open_count=Count("open_inputs", filter=Q(open_inputs__audience=Audience.LEADER)),
    ).order_by("name")
    return [
        {
            "unit": u,
            "new": u.new_count,
            "open": u.open_count,
            "overdue": u.overdue_count,
            "leader_open": u.leader_open_count if u.pk in leader_units else 0,
        }
        for u in units
    ]


class _MedianDays(Aggregate):
    """PostgreSQL: the median of answered_on - submitted_on (days), computed by the database."""

    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, **extra):
        days = Func(
            F("answered_on"),
            F("submitted_on"),
            template="(%(expressions)s)",
            arg_joiner=" - ",
            output_field=IntegerField(),
        )
        super().__init__(days, **extra)


def _answer_days(answered) -> tuple[dict[int, tuple[int, int]], int | None]:
    """Per unit (count, median days to answer), and the median over all of them.

    Issue 14: on PostgreSQL the database counts and takes the medians (two small aggregate
    queries, whatever the number of inputs); elsewhere (SQLite in development) in Python.
    """
    if connections[answered.db].vendor == "postgresql":
        per_unit = {
            row["unit_id"]: (row["n"], round(row["median"]))
            for row in answered.values("unit_id").annotate(n=Count("pk"), median=_MedianDays())
        }
        overall = answered.aggregate(median=_MedianDays())["median"]
        return per_unit, round(overall) if overall is not None else None
    days_by_unit: dict[int, list[int]] = {}
    for unit_id, submitted_on, answered_on in answered.values_list(
        "unit_id", "submitted_on", "answered_on"
    ):
        days_by_unit.setdefault(unit_id, []).append((answered_on - submitted_on).days)
    all_days = [d for days in days_by_unit.values() for d in days]
    per_unit = {u: (len(d), round(statistics.median(d))) for u, d in days_by_unit.items()}
    return per_unit, round(statistics.median(all_days)) if all_days else None


LISTED_UNITS = 20


def input_overview(municipality, today: datetime.date | None = None) -> dict:
    """For the steering group and administrators (P3, P6): counts per unit, never texts."""
    today = today or _today()
    year_ago = today - datetime.timedelta(days=365)
    # The group's own inputs only: not hidden ones, not private messages to the leader.
    # Issue 14: only the inputs counted are joined (last year's, or still open): FilteredRelation
    # puts the condition into the JOIN, so years of answered inputs are never read.
    counted = FilteredRelation(
        "inputs",
        condition=Q(inputs__audience=Audience.GROUP, inputs__hidden=False)
        & (Q(inputs__submitted_on__gte=year_ago) | Q(inputs__status__in=OPEN_STATUSES)),
    )
    open_ = Q(counted_inputs__status__in=OPEN_STATUSES)
    units = list(
        Unit.objects.filter(municipality=municipality)
        .annotate(counted_inputs=counted)
        .annotate(
            received=Count("counted_inputs", filter=Q(counted_inputs__submitted_on__gte=year_ago)),
            open_count=Count("counted_inputs", filter=open_),
            overdue_count=Count(
                "counted_inputs",
                filter=open_
                & Q(counted_inputs__submitted_on__lt=_overdue_before(municipality, today)),
            ),
        )
        .order_by("name")
    )
    answered = Input.objects.filter(
        municipality=municipality,
        answered_on__gte=year_ago,
        status__in=CLOSED_STATUSES,
        audience=Audience.GROUP,
        hidden=False,
    ).order_by()
    answered_by_unit, median_all = _answer_days(answered)
    rows = []
    for u in units:
        days = answered_by_unit.get(u.pk)
        rows.append(
            {
                "unit": u,
                "received": u.received,
                "open": u.open_count,
                "overdue": u.overdue_count,
                "answered": days[0] if days else 0,
                "median_days": days[1] if days else None,
            }
        )
    # Issue 14: the steering group's page lists the units where input waits longest first, and
    # at most LISTED_UNITS of them (a 1,000-unit municipality made a 1,000-row table that took
    # longer to render than everything else on the page); the totals count every unit, and
    # the steering overview has every unit's row.
    listed = sorted(rows, key=lambda r: (-r["overdue"], -r["open"], r["unit"].name))
    listed = listed[:LISTED_UNITS]
    return {
        "rows": rows,
        "listed": listed,
        "not_listed": len(rows) - len(listed),
        "overdue_total": sum(r["overdue"] for r in rows),
        "open_total": sum(r["open"] for r in rows),
        "received_total": sum(r["received"] for r in rows),
        "median_days": median_all,
        "answer_days": municipality.input_answer_days,
    }
