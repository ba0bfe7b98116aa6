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
from django.db import connections
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse

from trepart.inputs.permissions import inputs_visible_to
from trepart.measures.permissions import measures_visible_to
from trepart.meetings.permissions import meetings_visible_to
from trepart.reporting.permissions import experiences_visible_to, reports_visible_to
from trepart.search import matching
from trepart.search.models import Kind, SearchEntry

LIMIT = 50

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
    visible = (
        Q(kind=Kind.MINUTES, object_id__in=meetings_visible_to(user).values("pk"))
        | Q(kind=Kind.INPUT, object_id__in=inputs_visible_to(user).values("pk"))
        | Q(kind=Kind.MEASURE, object_id__in=measures_visible_to(user).values("pk"))
        | Q(kind=Kind.REPORT, object_id__in=reports_visible_to(user).values("pk"))
        | Q(kind=Kind.EXPERIENCE, object_id__in=experiences_visible_to(user).values("pk"))
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


def _postgresql(entries, query, limit):
    tsquery = _tsquery(query)
    found = entries.filter(vector=tsquery)
    total = found.count()
    ranked = (
        found.annotate(rank=SearchRank(F("vector"), tsquery))
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
    for pk, date, title_terms, body_terms in candidates.values_list(
        "pk", "date", "title_terms", "body_terms"
    ):
        value = matching.score(query, title_terms, body_terms)
        if value:
            scored.append((-value, -(date.toordinal() if date else 0), -pk))
    scored.sort()
    top = [-pk for _v, _d, pk in scored[:limit]]
    rows = SearchEntry.objects.select_related("unit", "municipality").in_bulk(top)
    return len(scored), [rows[pk] for pk in top]


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
    if connections[entries.db].vendor == "postgresql":
        result.total, rows = _postgresql(entries, query, limit)
    else:
        result.total, rows = _python(entries, query, limit)
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
