"""Search across minutes, inputs, measures, reports and experiences (issue 11 point 6, P5).

Permission first: `entries_visible_to(user)` joins every entry's `(kind, object_id)` against
the source app's own `…_visible_to(user)` queryset, and only those entries are matched,
counted, ranked and highlighted — so neither a hit, the total nor a highlighted snippet can
reveal a hidden input, a message to the leader, another unit's draft report or another
municipality's data. Decision 0005 explains the two engines (PostgreSQL full-text search with
the `norwegian` configuration and a GIN index; the same rule in Python on SQLite).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, transaction
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse

from trepart.inputs.models import Input
from trepart.inputs.permissions import inputs_visible_to
from trepart.measures.permissions import measures_visible_to
from trepart.meetings.permissions import meetings_visible_to
from trepart.organisation.permissions import (
    is_admin,
    is_steering_member,
    unit_ids_with_any_role,
)
from trepart.reporting.permissions import experiences_visible_to, reports_visible_to
from trepart.search import matching
from trepart.search.models import Kind, SearchEntry

LIMIT = 50
# Issue 14: at national scale a common word matches hundreds of thousands of entries. The total
# is counted up to COUNT_CAP ("more than 1,000 hits"), and only the newest CANDIDATES permitted
# matches are ranked (the GIN index finds them; ts_rank never runs over every match).
COUNT_CAP = 1000
CANDIDATES = 1000

# Where a hit leads (only pages its reader may open: the entry passed that page's own rule).
URL_NAMES = {
    Kind.MINUTES: ("meetings:meeting_detail",),
    Kind.INPUT: ("inputs:input_detail",),
    Kind.MEASURE: ("measures:measure_detail",),
    Kind.REPORT: ("reporting:report_detail",),
    Kind.EXPERIENCE: ("reporting:experience_detail",),
}


def entries_visible_to(user):
    """The index entries of what this person may open (R20, R31, P8: tenancy and roles)."""
    if not user.is_authenticated or not user.municipality_id:
        return SearchEntry.objects.none()

    # Issue 14: EXISTS by the source's primary key, so the database checks the matching
    # entries one by one instead of first listing every meeting or input the person may see.
    def exists(visible_qs):
        return Exists(visible_qs.filter(pk=OuterRef("object_id")))

    # Defence in depth: only experiences (shared ones, R31) come from another municipality.
    own = {"municipality_id": user.municipality_id}
    # Issue 14: a CASE, not an OR of the kinds: PostgreSQL turns an OR into index conditions
    # (every entry of the municipality from a b-tree, before the text index), but leaves a
    # CASE to be checked on the few rows the text and the reader's reach select.
    visible = Case(
        When(kind=Kind.MINUTES, **own, then=exists(meetings_visible_to(user))),
        When(kind=Kind.INPUT, **own, then=exists(inputs_visible_to(user))),
        When(kind=Kind.MEASURE, **own, then=exists(measures_visible_to(user))),
        When(kind=Kind.REPORT, **own, then=exists(reports_visible_to(user))),
        When(kind=Kind.EXPERIENCE, then=exists(experiences_visible_to(user))),
        default=Value(False),
        output_field=BooleanField(),
    )
    return SearchEntry.objects.filter(visible)


@dataclass
class Hit:
    entry: SearchEntry
    title: str  # safe HTML (escaped, with <mark>)
    snippet: str  # safe HTML
    url: str | None
    kind_label: str
    place: str  # the unit, or the municipality of a shared experience


@dataclass
class Result:
    text: str
    query: matching.Query
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    # Issue 14: True when there are more than COUNT_CAP matches (`total` is then COUNT_CAP).
    capped: bool = False

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.hits))


def _tsquery(query: matching.Query) -> SearchQuery:
    """Rule 1 with the `norwegian` configuration over title and body; rule 2 over the tails.
    The words are letters and digits only (matching.WORD), safe inside a raw tsquery."""
    combined = None
    for word, stem in zip(query.words, query.stems, strict=True):
        part = SearchQuery(f"'{word}':*AB", config="norwegian", search_type="raw")
        if len(stem) >= matching.MIN_TAIL:
            part |= SearchQuery(f"'{stem}':*D", config="simple", search_type="raw")
        combined = part if combined is None else combined & part
    return combined


def _reach(user) -> list[Q]:
    """Issue 14: where the entries this person may see can possibly be, as parts that each
    match one GIN index's keys (migration 0004). Every entry `entries_visible_to(user)` lets
    through lies in at least one part (a superset, checked against the full rule in
    tests/search/test_reach.py); the permission itself is still decided by that rule, for
    every part. Without this, a common word made the database read every matching entry of a
    large municipality only to refuse almost all of them.

    - the municipal administrator: the whole municipality (and shared experiences);
    - the units where the person holds any role: their inputs, minutes, measures and reports
      (every unit-bound rule of the sources asks for a role in the unit, R20);
    - the municipality's meetings without a unit (the steering group's own, R26);
    - every unit report, for steering-group members (they read sent reports, R24);
    - the person's own inputs, wherever they gave them;
    - experiences: the municipality's and other municipalities' shared ones (R31).
    """
    municipality_id = user.municipality_id
    experiences = Q(kind=Kind.EXPERIENCE)
    no_unit = Q(municipality_id=municipality_id, unit__isnull=True)
    if is_admin(user):
        return [Q(municipality_id=municipality_id, unit__isnull=False), no_unit, experiences]
    parts = []
    units = unit_ids_with_any_role(user)
    if units:
        parts.append(Q(unit_id__in=sorted(units)))
    parts.append(no_unit)
    if is_steering_member(user):
        parts.append(Q(municipality_id=municipality_id, kind=Kind.REPORT))
    own_inputs = Input.objects.filter(author=user, municipality_id=municipality_id)
    parts.append(Q(kind=Kind.INPUT, object_id__in=own_inputs.values("pk")))
    parts.append(experiences)
    return parts


def _compiled_once(entries):
    """Issue 14: the permission check of `entries` as SQL, compiled once for every arm of
    `_matches` (Django would compile its five permission subqueries again for each arm, which
    took longer than running the query). The same WHERE clause, table and parameters."""
    query = entries.query
    sql, params = query.get_compiler(using=entries.db).compile(query.where)
    return RawSQL(sql, params, output_field=BooleanField())


def _matches(entries, tsquery, reach=None, limit=COUNT_CAP + 1):
    """(pk, date) of the newest `limit` permitted entries matching `tsquery`.

    Issue 14: one arm per part of the reader's reach (`_reach`), each cut to its own newest
    `limit` (the overall newest are among them). So each arm is one index's work: for a common
    word PostgreSQL walks the part's (…, date, id) b-tree backwards until it has `limit`
    matches; for a rare word it takes the part's matches from a GIN index. A UNION, not an OR:
    PostgreSQL would take the common text condition out of an OR and lose the parts from the
    index conditions."""
    order = ("-date", "-pk")
    if not reach:
        return entries.filter(vector=tsquery).values_list("pk", "date").order_by(*order)[:limit]
    permitted = SearchEntry.objects.filter(_compiled_once(entries))
    arms = [
        permitted.filter(part, vector=tsquery).values_list("pk", "date").order_by(*order)[:limit]
        for part in reach
    ]
    return arms[0].union(*arms[1:]).order_by(*order)[:limit]


def _postgresql(entries, query, limit, reach=None):
    tsquery = _tsquery(query)
    found = _matches(entries, tsquery, reach)
    # Issue 14: one query finds the newest COUNT_CAP + 1 permitted matches: their number is
    # the total, and only the newest CANDIDATES of them are ranked.
    found_ids = [pk for pk, _date in found]
    total, candidates = len(found_ids), found_ids[:CANDIDATES]
    ranked = (
        SearchEntry.objects.filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("vector"), tsquery))
        .select_related("unit", "municipality")
        .order_by("-rank", "-date", "-pk")[:limit]
    )
    return total, list(ranked)


def _python(entries, query, limit):
    """SQLite: the same rule in Python over the permitted entries. Each query stem is inside
    the stems it matches, so the database first keeps the entries that contain every one."""
    candidates = entries
    for stem in query.stems:
        candidates = candidates.filter(Q(title_terms__contains=stem) | Q(body_terms__contains=stem))
    scored = []
    # Issue 14: as on PostgreSQL, the newest permitted matches are read until COUNT_CAP + 1
    # have matched (the database's filter above already keeps almost only matches), and only
    # the newest CANDIDATES of them are ranked.
    rows_read = (
        candidates.order_by("-date", "-pk")
        .values_list("pk", "date", "title_terms", "body_terms")
        .iterator(chunk_size=500)
    )
    for pk, date, title_terms, body_terms in rows_read:
        value = matching.score(query, title_terms, body_terms)
        if value:
            scored.append((-value, -(date.toordinal() if date else 0), -pk))
            if len(scored) > COUNT_CAP:
                break
    total = min(len(scored), COUNT_CAP + 1)
    scored = sorted(scored[:CANDIDATES])
    top = [-pk for _v, _d, pk in scored[:limit]]
    rows = SearchEntry.objects.select_related("unit", "municipality").in_bulk(top)
    return total, [rows[pk] for pk in top]


def _url(entry: SearchEntry) -> str | None:
    for name in URL_NAMES[entry.kind]:
        try:
            return reverse(name, args=[entry.object_id])
        except NoReverseMatch:
            continue
    return None


def search(user, text: str, *, limit: int = LIMIT) -> Result:
    """The permitted entries matching every word of `text`, best first: at most `limit` hits
    and the total number of permitted matches. A constant number of queries."""
    query = matching.parse(text)
    result = Result(text=text, query=query)
    if not query or not user.is_authenticated or not user.municipality_id:
        return result  # nothing to search, or nobody of a municipality to search for
    entries = entries_visible_to(user)
    connection = connections[entries.db]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=entries.db), connection.cursor() as cursor:
            # Issue 14: the permission subqueries give the plan a high estimated cost, and
            # PostgreSQL's JIT would then spend a second or more compiling a query that runs in
            # milliseconds (docs/performance.md recommends jit = off for the whole database).
            cursor.execute("SET LOCAL jit = off")
            result.total, rows = _postgresql(entries, query, limit, _reach(user))
    else:
        result.total, rows = _python(entries, query, limit)
    if result.total > COUNT_CAP:
        result.total, result.capped = COUNT_CAP, True
    labels = dict(Kind.choices)
    for entry in rows:
        # An input's title is its first line (cut with " …"): the snippet shows the rest.
        body, shown = entry.body, entry.title.removesuffix(" …")
        if shown and body.startswith(shown):
            body = body[len(shown) :].strip()
        if entry.municipality_id != user.municipality_id:
            place = entry.municipality.name
        else:
            place = entry.unit.name if entry.unit else ""
        result.hits.append(
            Hit(
                entry=entry,
                title=matching.highlight(entry.title, query),
                snippet=matching.snippet(body, query) if body else "",
                url=_url(entry),
                kind_label=labels.get(entry.kind, entry.kind),
                place=place,
            )
        )
    return result
