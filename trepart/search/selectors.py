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
from django.db.models import Exists, F, OuterRef, Q
from django.urls import NoReverseMatch, reverse

from trepart.inputs.permissions import inputs_visible_to
from trepart.measures.permissions import measures_visible_to
from trepart.meetings.permissions import meetings_visible_to
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

    visible = (
        (Q(kind=Kind.MINUTES) & exists(meetings_visible_to(user)))
        | (Q(kind=Kind.INPUT) & exists(inputs_visible_to(user)))
        | (Q(kind=Kind.MEASURE) & exists(measures_visible_to(user)))
        | (Q(kind=Kind.REPORT) & exists(reports_visible_to(user)))
        | (Q(kind=Kind.EXPERIENCE) & exists(experiences_visible_to(user)))
    )
    # Defence in depth: only experiences (shared ones, R31) come from another municipality.
    own = Q(municipality_id=user.municipality_id) | Q(kind=Kind.EXPERIENCE)
    return SearchEntry.objects.filter(own).filter(visible)


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


def _matches(entries, tsquery, municipality_id=None):
    """(pk, date) of the permitted entries matching `tsquery`, newest first.

    Issue 14: each arm is served by its own GIN index (migration 0003): the municipality's
    matches by (municipality_id, vector), shared experiences by a partial index.
    A UNION, not an OR: PostgreSQL would take the common text condition out of an OR and lose
    the municipality from the index condition."""
    if municipality_id is None:
        found = entries.filter(vector=tsquery).values_list("pk", "date")
    else:
        found = (
            entries.filter(municipality_id=municipality_id, vector=tsquery)
            .values_list("pk", "date")
            .union(
                entries.filter(kind=Kind.EXPERIENCE, vector=tsquery)
                .exclude(municipality_id=municipality_id)
                .values_list("pk", "date")
            )
        )
    return found.order_by("-date", "-pk")


def _postgresql(entries, query, limit, municipality_id=None):
    tsquery = _tsquery(query)
    found = _matches(entries, tsquery, municipality_id)
    # Issue 14: one query finds the newest COUNT_CAP + 1 permitted matches: their number is
    # the total, and only the newest CANDIDATES of them are ranked. Ordering by date (no index)
    # keeps the planner on the GIN indexes, whose work is bounded by the municipality's
    # matches; walking the primary key backwards instead would read every municipality's
    # entries when few matches are permitted.
    found_ids = [pk for pk, _date in found[: COUNT_CAP + 1]]
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
    if not query:
        return result
    entries = entries_visible_to(user)
    connection = connections[entries.db]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=entries.db), connection.cursor() as cursor:
            # Issue 14: the permission subqueries give the plan a high estimated cost, and
            # PostgreSQL's JIT would then spend a second or more compiling a query that runs in
            # milliseconds (docs/performance.md recommends jit = off for the whole database).
            cursor.execute("SET LOCAL jit = off")
            result.total, rows = _postgresql(entries, query, limit, user.municipality_id)
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
