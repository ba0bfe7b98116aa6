"""Exports of meetings (P2): minutes as PDF and Word, calendar invitations and feeds (ICS).

Minutes exports are built only from a published `MinutesVersion.content` (R20, R30): never from
the live agenda items, so text typed into a draft or a correction that is not yet published
never leaves the system through an export.

Calendar files (RFC 5545):

- UID is stable per meeting (`meeting-<pk>@trepart`), so a re-imported invitation or a feed
  refresh updates the event instead of adding a copy.
- DTSTART/DTEND carry TZID=Europe/Oslo with a VTIMEZONE, so 14:00 stays 14:00 across
  daylight-saving changes.
- A cancelled meeting keeps its UID and gets STATUS:CANCELLED.
- SEQUENCE: meetings have no stored revision counter, so the sequence is derived from the time
  the file is generated (seconds since 2024-01-01 UTC). It only ever grows, so every freshly
  generated file supersedes any earlier copy of the same event — in particular after a meeting
  is moved or cancelled. A hash of the start time would change on a move too, but could go down,
  and clients ignore updates with a lower SEQUENCE. (Fits a 32-bit integer until 2092.)
"""

from __future__ import annotations

import datetime
import io
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trepart.meetings import permissions
from trepart.meetings.models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    ItemKind,
    Meeting,
    MinutesVersion,
    new_calendar_token,
)
from trepart.organisation.templatetags.author_label import author_name

ZONE = ZoneInfo(settings.TIME_ZONE)
PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"

# The personal feed covers meetings from this long ago to this far ahead.
FEED_PAST = datetime.timedelta(days=60)
FEED_FUTURE = datetime.timedelta(days=366)

_SEQUENCE_EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
_ATTENDANCE_ORDER = {
    Attendance.Status.PRESENT: 0,
    Attendance.Status.ABSENT: 1,
    Attendance.Status.GUEST: 2,
}
_LANGUAGE_TAGS = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}


class ExportUnavailable(Exception):
    """The PDF engine cannot run on this server (WeasyPrint needs the system's Pango)."""


# --- minutes: shared ----------------------------------------------------------------------------


def latest_published_version(meeting: Meeting) -> MinutesVersion | None:
    """The newest published version (a correction in progress is not a version)."""
    return meeting.versions.select_related("published_by").order_by("-number").first()


def group_label(meeting: Meeting) -> str:
    """The group's name: the unit's party group (with the unit), or the steering group."""
    if meeting.unit_id is None:
        return str(meeting.municipality.steering_group_label)
    return f"{meeting.unit.party_group_label()}, {meeting.unit.name}"


def _local(value: str | None, fallback: datetime.datetime) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value) if value else fallback
    except ValueError:
        moment = fallback
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(ZONE)


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _label(choices, code, fallback: str) -> str:
    """Labels are translated when exporting, in the reader's language; the stored label is the
    fallback for codes that no longer exist."""
    try:
        return str(choices(code).label)
    except ValueError:
        return fallback or code or ""


def minutes_data(meeting: Meeting, version: MinutesVersion) -> dict:
    """Everything an export shows, from the published snapshot only (R30)."""
    content = version.content or {}
    starts = _local(content.get("starts_at"), meeting.starts_at)
    ends = _local(content.get("ends_at"), meeting.ends_at)
    items = []
    for number, item in enumerate(content.get("items", []), start=1):
        items.append(
            {
                "number": number,
                "title": item.get("title", ""),
                "kind_label": _label(ItemKind, item.get("kind"), item.get("kind_label", "")),
                "summary": item.get("summary", ""),
                "way_forward": item.get("way_forward", ""),
                "decisions": item.get("decisions", ""),
                "referrals": [
                    {
                        "body": r.get("body", ""),
                        "referred_on": _date(r.get("referred_on")),
                        "note": r.get("note", ""),
                    }
                    for r in item.get("referrals", [])
                ],
                # R15: not agreed, with the positions and where it continues (never a vote).
                "not_agreed": bool(item.get("not_agreed")),
                "positions": [
                    {"holder": p.get("holder", ""), "text": p.get("text", "")}
                    for p in item.get("positions", [])
                ],
                "in_between": item.get("in_between", ""),
                "continued_on": _date(item.get("continued_on")),
                "continued_from": _date(item.get("continued_from")),
                "carried_count": item.get("carried_count", 0) or 0,
            }
        )
    return {
        "municipality": meeting.municipality.name,
        "group": group_label(meeting),
        "title": content.get("title") or meeting.title,
        "kind": str(meeting.get_kind_display()) or content.get("kind", ""),
        "starts": starts,
        "ends": ends,
        "date_text": formats.date_format(starts, "l j. F Y"),
        "time_text": f"{starts:%H:%M}–{ends:%H:%M}",
        "location": content.get("location", ""),
        "chair": content.get("chair", ""),
        "attendance": [
            {
                "name": a.get("name", ""),
                "role": a.get("role", ""),
                "status": a.get("status", ""),
                "status_label": _label(
                    Attendance.Status, a.get("status"), a.get("status_label", "")
                ),
            }
            for a in sorted(
                content.get("attendance", []),
                key=lambda a: _ATTENDANCE_ORDER.get(a.get("status"), 9),
            )
        ],
        "items": items,
        "actions": [
            {
                "description": a.get("description", ""),
                "assignee": a.get("assignee", ""),
                "due_on": _date(a.get("due_on")),
                "item": a.get("item", ""),
            }
            for a in content.get("actions", [])
        ],
        "version_number": version.number,
        "published_at": timezone.localtime(version.published_at, ZONE),
        # An erased person shows as the role held that day (P8: minutes are archive material).
        "published_by": author_name(version.published_by, version.published_at)
        if version.published_by
        else "",
        "change_note": version.change_note,
    }


def _file_slug(text: str) -> str:
    # slugify() drops æ, ø and å; spell them out first so "Møte" becomes "mote", not "mte".
    for char, ascii_text in (
        ("æ", "ae"),
        ("ø", "o"),
        ("å", "a"),
        ("Æ", "Ae"),
        ("Ø", "O"),
        ("Å", "A"),
    ):
        text = text.replace(char, ascii_text)
    return slugify(text)[:60].strip("-") or "mote"


def minutes_filename(meeting: Meeting, version: MinutesVersion, extension: str) -> str:
    """E.g. referat-mote-i-partsgruppa-2026-03-31.pdf"""
    data_title = (version.content or {}).get("title") or meeting.title
    day = _local((version.content or {}).get("starts_at"), meeting.starts_at).date()
    return f"referat-{_file_slug(data_title)}-{day:%Y-%m-%d}.{extension}"


# --- minutes: PDF -------------------------------------------------------------------------------


def minutes_html(meeting: Meeting, version: MinutesVersion) -> str:
    """The HTML fed to WeasyPrint (A4, lang attribute of the active language)."""
    language = get_language() or settings.LANGUAGE_CODE
    return render_to_string(
        "meetings/export/minutes_pdf.html",
        {"m": minutes_data(meeting, version), "lang": language},
    )


def minutes_pdf(meeting: Meeting, version: MinutesVersion) -> bytes:
    html = minutes_html(meeting, version)
    try:
        import weasyprint  # lazily: importing it loads the system's Pango
    except (ImportError, OSError) as exc:
        raise ExportUnavailable(str(exc)) from exc
    # The HTML has no external resources; refuse any fetch (user text is escaped anyway).
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(pdf_tags=True)


# --- minutes: Word ------------------------------------------------------------------------------


def _add_text(paragraph, text: str, bold: bool = False):
    """Keep the writer's line breaks."""
    lines = text.splitlines() or [""]
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        if i < len(lines) - 1:
            run.add_break()


def _set_language(document, tag: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _table(document, headers: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _add_text(cell.paragraphs[0], header, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            _add_text(cell.paragraphs[0], value)
    return table


def _continued_text(item: dict) -> str:
    """R15: where a not-agreed item continues."""
    if item["continued_on"]:
        return _("Continued at the meeting on %(day)s") % {
            "day": formats.date_format(item["continued_on"], "j. F Y")
        }
    return _("Continues at the next meeting, as soon as one is planned.")


def _disagreement_lines(item: dict) -> list[str]:
    """R15: a carried item says how often, and where it came from."""
    from django.utils.translation import ngettext

    lines = []
    if item["carried_count"]:
        count = item["carried_count"]
        lines.append(
            ngettext("Carried over once", "Carried over %(counter)s times", count)
            % {"counter": count}
        )
    if item["continued_from"]:
        lines.append(
            _("Continued from the meeting on %(day)s, where the group did not agree.")
            % {"day": formats.date_format(item["continued_from"], "j. F Y")}
        )
    return lines


def minutes_docx(meeting: Meeting, version: MinutesVersion) -> bytes:
    import docx
    from docx.shared import Cm, Pt

    m = minutes_data(meeting, version)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    language = _LANGUAGE_TAGS.get(get_language() or "", "nb-NO")
    _set_language(document, language)
    props = document.core_properties
    props.title = f"{_('Minutes')}: {m['title']}"
    props.author = m["municipality"]
    props.language = language

    document.add_paragraph(f"{m['municipality']} · {m['group']}")
    document.add_heading(f"{_('Minutes')}: {m['title']}", level=0)
    facts = [
        (_("Date"), m["date_text"]),
        (_("Time"), m["time_text"]),
        (_("Place"), m["location"]),
        (_("Kind of meeting"), m["kind"]),
        (_("Chair"), m["chair"]),
        (
            _("Version"),
            _("Version %(number)s, published %(date)s")
            % {
                "number": m["version_number"],
                "date": formats.date_format(m["published_at"], "SHORT_DATE_FORMAT"),
            },
        ),
    ]
    for label, value in facts:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    if m["change_note"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{_('What was corrected')}: ").bold = True
        paragraph.add_run(m["change_note"])

    document.add_heading(_("Attendance"), level=1)
    if m["attendance"]:
        _table(
            document,
            [_("Name"), _("Role"), _("Status")],
            [[a["name"], a["role"], a["status_label"]] for a in m["attendance"]],
        )
    else:
        document.add_paragraph(_("Not recorded."))

    document.add_heading(_("Items"), level=1)
    for item in m["items"]:
        document.add_heading(f"{item['number']}. {item['title']}", level=2)
        document.add_paragraph(item["kind_label"]).runs[0].italic = True
        for line in _disagreement_lines(item):
            document.add_paragraph(line).runs[0].italic = True
        sections = [(_("What was said"), item["summary"])]
        if item["not_agreed"]:
            sections.append((_("Not agreed"), _continued_text(item)))
            sections.extend((p["holder"], p["text"]) for p in item["positions"])
            sections.append((_("Until the next meeting"), item["in_between"]))
        sections += [
            (_("Agreed way forward"), item["way_forward"]),
            (_("Decisions"), item["decisions"]),
        ]
        for label, text in sections:
            if text:
                document.add_paragraph().add_run(label).bold = True
                _add_text(document.add_paragraph(), text)
        for referral in item["referrals"]:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{_('Referred to the decision line')}: ").bold = True
            text = referral["body"]
            if referral["referred_on"]:
                text += f" ({formats.date_format(referral['referred_on'], 'SHORT_DATE_FORMAT')})"
            if referral["note"]:
                text += f": {referral['note']}"
            paragraph.add_run(text)

    document.add_heading(_("Actions"), level=1)
    if m["actions"]:
        _table(
            document,
            [_("Who"), _("What"), _("By when")],
            [
                [
                    a["assignee"],
                    a["description"] + (f" ({a['item']})" if a["item"] else ""),
                    formats.date_format(a["due_on"], "SHORT_DATE_FORMAT") if a["due_on"] else "",
                ]
                for a in m["actions"]
            ],
        )
    else:
        document.add_paragraph(_("No actions were agreed."))

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- calendar (ICS) -----------------------------------------------------------------------------


def ics_sequence(now: datetime.datetime | None = None) -> int:
    """Grows with time, so a newer file always supersedes an older one (see module docstring)."""
    now = now or timezone.now()
    return max(0, int((now - _SEQUENCE_EPOCH).total_seconds()))


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@trepart"


def _agenda_titles(meeting: Meeting) -> list[str]:
    # Uses the prefetched `agenda` when the caller loaded it (the feed), else one query.
    items = getattr(meeting, "agenda", None)
    if items is None:
        items = meeting.items.exclude(status=AgendaItem.Status.PROPOSED).order_by("order", "id")
    return [item.title for item in items]


def _event(meeting: Meeting, *, base_url: str, now: datetime.datetime):
    from icalendar import Event

    cancelled = meeting.status == Meeting.Status.CANCELLED
    group = group_label(meeting)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(ZONE))
    event.add("dtend", meeting.ends_at.astimezone(ZONE))
    summary = meeting.title
    if meeting.unit_id and meeting.unit.name not in summary:
        summary = f"{summary} – {meeting.unit.name}"
    if cancelled:
        summary = _("Cancelled: %(title)s") % {"title": summary}
    event.add("summary", summary)
    if meeting.location:
        event.add("location", meeting.location)
    lines = [f"{group} · {meeting.municipality.name}", str(meeting.get_kind_display())]
    if cancelled:
        lines += ["", _("The meeting is cancelled.")]
        if meeting.cancel_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": meeting.cancel_reason})
    titles = _agenda_titles(meeting)
    if titles:
        lines += ["", _("Agenda:")] + [f"{i}. {title}" for i, title in enumerate(titles, start=1)]
    url = (
        base_url.rstrip("/") + reverse("meetings:meeting_detail", args=[meeting.pk])
        if base_url
        else ""
    )
    if url:
        lines += ["", url]
        event.add("url", url)
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", ics_sequence(now))
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def _calendar(meetings, *, name: str, base_url: str, now: datetime.datetime, feed: bool) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Trepart//Trepart//NO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # X-WR-CALNAME is not a TEXT property to icalendar: a line break in a typed title would make
    # to_ical() fail (issue 15 part 2), so the name is one line.
    calendar.add("x-wr-calname", " ".join(name.split()))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if feed:
        calendar.add(
            "refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"}
        )
        calendar.add("x-published-ttl", "PT1H")
    meetings = list(meetings)
    for meeting in meetings:
        calendar.add_component(_event(meeting, base_url=base_url, now=now))
    if meetings:
        first = min(m.starts_at for m in meetings).astimezone(ZONE).date()
        last = max(m.ends_at for m in meetings).astimezone(ZONE).date()
        calendar.add_missing_timezones(
            first_date=first - datetime.timedelta(days=1),
            last_date=last + datetime.timedelta(days=1),
        )
    return calendar.to_ical()


def meeting_ics(
    meeting: Meeting, *, base_url: str = "", now: datetime.datetime | None = None
) -> bytes:
    """An invitation for one meeting (group members only, see views_exports)."""
    now = now or timezone.now()
    return _calendar([meeting], name=meeting.title, base_url=base_url, now=now, feed=False)


def ics_filename(meeting: Meeting) -> str:
    day = meeting.starts_at.astimezone(ZONE).date()
    return f"mote-{_file_slug(meeting.title)}-{day:%Y-%m-%d}.ics"


# --- the personal feed --------------------------------------------------------------------------


def feed_meetings(person, now: datetime.datetime | None = None) -> list[Meeting]:
    """Meetings of every group the person is a member of today: the party groups of the units
    where they hold a party-group role, and the steering group if they hold a steering-group
    role — from 60 days back to a year ahead, in their own municipality only."""
    if not person.is_active or not person.municipality_id:
        return []
    now = now or timezone.now()
    groups = Q(unit_id__in=permissions.party_group_unit_ids(person))
    if permissions.is_steering_member(person):
        groups |= Q(unit__isnull=True)
    agenda = AgendaItem.objects.exclude(status=AgendaItem.Status.PROPOSED).order_by("order", "id")
    return list(
        Meeting.objects.filter(municipality_id=person.municipality_id)
        .filter(groups)
        .filter(starts_at__gte=now - FEED_PAST, starts_at__lte=now + FEED_FUTURE)
        .select_related("unit", "unit__municipality", "municipality")
        .prefetch_related(Prefetch("items", queryset=agenda, to_attr="agenda"))
        .order_by("starts_at")
    )


def feed_ics(person, *, base_url: str = "", now: datetime.datetime | None = None) -> bytes:
    now = now or timezone.now()
    name = _("Trepart: meetings of %(name)s") % {"name": person.full_name}
    return _calendar(feed_meetings(person, now), name=name, base_url=base_url, now=now, feed=True)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed of an active person with a municipality; anything else is unknown."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token or ""):
        return None
    return (
        CalendarFeed.objects.select_related("person", "person__municipality")
        .filter(token=token, person__is_active=True, person__municipality__isnull=False)
        .first()
    )


def calendar_feed_of(person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def calendar_feed_regenerate(*, actor) -> CalendarFeed:
    """Create the person's feed, or give it a new token; the old address stops working."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(person=actor)
        if not created:
            feed.token = new_calendar_token()
            feed.save(update_fields=["token"])
    return feed
