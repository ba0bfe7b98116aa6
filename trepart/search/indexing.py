"""Keeping the search index current (decision 0005): one entry per searchable thing.

`index(kind, pk)` reads the source row and writes (or removes) its entry; the signal handlers
(`signals.py`) call it after every save and delete of a source, and `manage.py search_reindex`
rebuilds everything. What is indexed is only what every reader of the source sees:

- minutes: the latest *published* version of a meeting (never the draft being written);
- inputs: the text and the sent answer (not the draft answer, never the submitter's name);
- measures: the title and the plan, evaluation, decision and win texts (not participants);
- unit reports: the group's words as last sent, or the draft's own words while never sent
  (drafts are only visible to the group); the figures are not text;
- experiences: title, what was tried, what happened, what was learned, the contact role.
"""

from __future__ import annotations

import logging

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from trepart.inputs.models import CLOSED_STATUSES, Input
from trepart.measures.models import PLAN_TEXT_FIELDS, Measure
from trepart.meetings.models import Meeting, MinutesVersion
from trepart.reporting.models import Experience, UnitReport
from trepart.search import matching
from trepart.search.models import Kind, SearchEntry

log = logging.getLogger(__name__)

MAX_BODY = 50_000

MEASURE_FIELDS = (
    *PLAN_TEXT_FIELDS,
    "findings",
    "assessment",
    "decision_note",
    "referred_to",
    "line_outcome",
    "stop_reason",
    "win_story",
)
REPORT_FIELDS = ("went_well", "hard", "need")


def _join(*parts) -> str:
    return "\n".join(p.strip() for p in parts if isinstance(p, str) and p.strip())


def _minutes(meeting_id: int):
    version = (
        MinutesVersion.objects.filter(meeting_id=meeting_id)
        .select_related("meeting")
        .order_by("-number")
        .first()
    )
    if version is None:
        return None
    meeting, content = version.meeting, version.content or {}
    parts = []
    for item in content.get("items", []):
        parts += [item.get(k) for k in ("title", "summary", "way_forward", "decisions")]
        for referral in item.get("referrals", []):
            parts += [referral.get("body"), referral.get("note")]
    parts += [a.get("description") for a in content.get("actions", [])]
    return {
        "municipality_id": meeting.municipality_id,
        "unit_id": meeting.unit_id,
        "title": content.get("title") or meeting.title,
        "body": _join(*parts),
        "date": meeting.starts_at.date(),
    }


def _input(pk: int):
    item = Input.objects.filter(pk=pk).first()
    if item is None:
        return None
    answer = item.answer if item.status in CLOSED_STATUSES else ""
    return {
        "municipality_id": item.municipality_id,
        "unit_id": item.unit_id,
        "title": item.title,
        "body": _join(item.text, answer),
        "date": item.submitted_on,
    }


def _measure(pk: int):
    measure = Measure.objects.filter(pk=pk).first()
    if measure is None:
        return None
    return {
        "municipality_id": measure.municipality_id,
        "unit_id": measure.unit_id,
        "title": measure.title,
        "body": _join(*(getattr(measure, f) for f in MEASURE_FIELDS)),
        "date": measure.created_at.date() if measure.created_at else None,
    }


def _strings(value, skip=("figures",)) -> list[str]:
    """Every text inside a report version's content, except the figures."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in skip for s in _strings(v, skip)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, skip)]
    return []


def _report(pk: int):
    report = UnitReport.objects.filter(pk=pk).select_related("unit").first()
    if report is None:
        return None
    version = report.versions.order_by("-number").first()
    if version is not None:
        content = version.content or {}
        own = [content.get(f) for f in REPORT_FIELDS if isinstance(content.get(f), str)]
        # The content's shape belongs to the reports part: the group's words by name when
        # they are there, else every text in it but the figures.
        body = _join(*own) if own else _join(*_strings(content))
    else:
        body = _join(*(getattr(report, f) for f in REPORT_FIELDS))
    period = f"{report.period_start:%d.%m.%Y}–{report.period_end:%d.%m.%Y}"
    return {
        "municipality_id": report.municipality_id,
        "unit_id": report.unit_id,
        "title": f"{report.unit.name} {period}",
        "body": body,
        "date": report.period_end,
    }


def _experience(pk: int):
    experience = Experience.objects.filter(pk=pk).first()
    if experience is None:
        return None
    return {
        "municipality_id": experience.municipality_id,
        "unit_id": experience.unit_id,
        "title": experience.title,
        "body": _join(
            experience.tried, experience.happened, experience.learned, experience.contact_role
        ),
        "date": (experience.published_at or experience.created_at).date()
        if (experience.published_at or experience.created_at)
        else None,
    }


READERS = {
    Kind.MINUTES: _minutes,
    Kind.INPUT: _input,
    Kind.MEASURE: _measure,
    Kind.REPORT: _report,
    Kind.EXPERIENCE: _experience,
}


def _vector():
    return (
        SearchVector("title", config="norwegian", weight="A")
        + SearchVector("body", config="norwegian", weight="B")
        + SearchVector("tails", config="simple", weight="D")
    )


def index(kind: str, pk: int) -> None:
    """Write the entry of one source row, or remove it when the row is gone (or, for minutes,
    has no published version)."""
    data = READERS[kind](pk)
    if data is None:
        SearchEntry.objects.filter(kind=kind, object_id=pk).delete()
        return
    title, body = data["title"][:300], data["body"][:MAX_BODY]
    title_terms, body_terms = matching.terms(title), matching.terms(body)
    entry, _created = SearchEntry.objects.update_or_create(
        kind=kind,
        object_id=pk,
        defaults={
            **data,
            "title": title,
            "body": body,
            "title_terms": title_terms,
            "body_terms": body_terms,
            "tails": matching.tails(title_terms, body_terms),
        },
    )
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(pk=entry.pk).update(vector=_vector())


def index_safely(kind: str, pk: int) -> None:
    """From a signal: a failing index must never fail the user's own change. A savepoint keeps
    the surrounding transaction usable; `search_reindex` repairs what was missed."""
    try:
        with transaction.atomic():
            index(kind, pk)
    except Exception:  # noqa: BLE001 — logged; the source change goes on
        log.exception("search: could not index %s %s", kind, pk)


SOURCES = {
    Kind.MINUTES: lambda: Meeting.objects.filter(versions__isnull=False).distinct(),
    Kind.INPUT: lambda: Input.objects.all(),
    Kind.MEASURE: lambda: Measure.objects.all(),
    Kind.REPORT: lambda: UnitReport.objects.all(),
    Kind.EXPERIENCE: lambda: Experience.objects.all(),
}


def reindex_all() -> dict[str, int]:
    """Rebuild the whole index (`manage.py search_reindex`): every source row is indexed again
    and entries whose source is gone are removed. Returns the number of entries per kind."""
    counts = {}
    with transaction.atomic():
        for kind, source in SOURCES.items():
            ids = set(source().values_list("pk", flat=True))
            entries = SearchEntry.objects.filter(kind=kind)
            gone = set(entries.values_list("object_id", flat=True)) - ids
            entries.filter(object_id__in=sorted(gone)).delete()
            for pk in sorted(ids):
                index(kind, pk)
            counts[kind] = SearchEntry.objects.filter(kind=kind).count()
    return counts
