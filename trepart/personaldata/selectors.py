"""Reads: everything held about a person, for their download (issue 13 part 3, P8).

`export_data(person)` walks every model that points to the person model (FK, one-to-one or
many-to-many; found by introspection, see `introspection.person_links`), plus the person's own
row and the log-in records kept by e-mail address. Secret fields (hashes, tokens, keys,
passwords) are never included. One query per kind of record, whatever the number of rows:
foreign keys are joined (`select_related`).
"""

from __future__ import annotations

import datetime
import decimal
import io
import json
import uuid
import zipfile

from django.db import models
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trepart.personaldata import introspection, labels
from trepart.personaldata.models import Erasure

FORMAT = "trepart-personal-data/1"
# Derived or internal fields that say nothing to the person; what was posted to the log-in
# form (django-axes) may hold a mistyped password, masked or not: left out.
SKIPPED_FIELDS = frozenset({"stems", "post_data", "get_data"})
# Internal bookkeeping of one model ("app.Model.field"): reminder dates, a thread's first item,
# the authenticator app's counters. They say nothing about the person (rev2 #12).
SKIPPED_MODEL_FIELDS = frozenset(
    {
        "meetings.AgendaItem.carried_root",
        "meetings.ActionItem.last_reminded_on",
        "measures.Measure.last_reminded_on",
        "reporting.UnitReport.reminded_before_on",
        "reporting.UnitReport.reminded_overdue_on",
        *(
            f"otp_totp.TOTPDevice.{name}"
            for name in (
                "digits",
                "drift",
                "last_t",
                "step",
                "t0",
                "tolerance",
                "throttling_failure_count",
                "throttling_failure_timestamp",
            )
        ),
    }
)


def notes() -> list[str]:
    """Said in both files: what cannot be included, and why."""
    return [
        _(
            "Input sent anonymously through your workplace's input link stores no identity: "
            "nobody, not even Trepart, can tell that it was yours, so it cannot be included."
        ),
        _(
            "Survey answers are stored apart from who answered. Only that you answered a "
            "survey, and on which day, is included."
        ),
        _(
            "Passwords, keys and tokens are never included: they are stored only in a form "
            "that cannot be read back."
        ),
        _(
            "Minutes and reports are the municipality's archive material. Those you wrote, "
            "published or sent are listed; others may mention you in their text."
        ),
    ]


def _fields(model) -> list[models.Field]:
    return [
        f
        for f in introspection.export_fields(model)
        if not f.primary_key
        and f.name not in SKIPPED_FIELDS
        and f"{model._meta.label}.{f.name}" not in SKIPPED_MODEL_FIELDS
    ]


def _json_value(obj, field, person):
    """(value for data.json, text for index.html)."""
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return None, ""
        if field.related_model is type(person) and related_id == person.pk:
            text = str(person)
        else:
            text = str(getattr(obj, field.name))
        return text, text
    value = getattr(obj, field.attname)
    if value is None:
        return None, ""
    if field.choices:
        text = str(getattr(obj, f"get_{field.name}_display")())
        return text, text
    if isinstance(value, bool):
        return value, _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.isoformat(), formats.date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return value.isoformat(), formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.time | datetime.timedelta | uuid.UUID):
        return str(value), str(value)
    if isinstance(value, decimal.Decimal):
        return str(value), formats.localize(value)
    if isinstance(field, models.FileField):
        name = getattr(value, "name", "") or ""
        return name, name
    if isinstance(field, models.JSONField):
        return value, json.dumps(value, ensure_ascii=False, indent=2)
    if isinstance(value, bytes | memoryview):
        return None, ""
    return value, str(value)


def _section(model, rows, person) -> dict:
    fields = _fields(model)
    out_rows = []
    for obj in rows:
        values = {}
        cells = []
        for field in fields:
            value, text = _json_value(obj, field, person)
            values[field.name] = value
            cells.append({"label": labels.field_label(field), "text": text, "long": "\n" in text})
        out_rows.append({"values": values, "cells": cells})
    return {
        "key": model._meta.label,
        "title": labels.model_label(model),
        "fields": [{"name": f.name, "label": labels.field_label(f)} for f in fields],
        "rows": out_rows,
    }


def _related_names(model) -> list[str]:
    return [f.name for f in _fields(model) if f.many_to_one or f.one_to_one]


def export_sections(person) -> list[dict]:
    """One section per kind of record, the person's own account first."""
    User = introspection.user_model()
    own = User.objects.select_related("municipality").get(pk=person.pk)
    sections = [_section(User, [own], person)]
    for model, fks, m2ms in introspection.person_links():
        rows = model._base_manager.filter(introspection.person_filter(fks, m2ms, person))
        if m2ms:
            rows = rows.distinct()
        rows = rows.select_related(*_related_names(model)).order_by("pk")
        found = list(rows)
        if found:
            sections.append(_section(model, found, person))
    for model in introspection.login_record_models():
        found = list(model._base_manager.filter(username__iexact=person.email).order_by("pk"))
        if found:
            sections.append(_section(model, found, person))
    return sections


def export_data(person) -> dict:
    sections = export_sections(person)
    return {
        "format": FORMAT,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "language": get_language(),
        "person": {"name": person.full_name, "email": person.email},
        "notes": notes(),
        "sections": [
            {
                "key": s["key"],
                "title": s["title"],
                "fields": s["fields"],
                "rows": [r["values"] for r in s["rows"]],
            }
            for s in sections
        ],
        "_sections": sections,
    }


def export_zip(person) -> bytes:
    """The download: `index.html` (readable, self-contained) and `data.json` (the same), in a
    standard deflated zip with short ASCII names, so Windows Explorer opens it."""
    data = export_data(person)
    sections = data.pop("_sections")
    html = render_to_string(
        "personaldata/export_index.html",
        {
            "person": person,
            "sections": sections,
            "notes": data["notes"],
            "generated_at": timezone.localtime(),
            "language": data["language"],
        },
    )
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    buffer = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("index.html", html), ("data.json", body)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def export_filename() -> str:
    return f"trepart-data-{timezone.localdate():%Y-%m-%d}.zip"


def erasure_of(person) -> Erasure | None:
    """The audit record of a person's erasure, with who did it (one query)."""
    return Erasure.objects.filter(person=person).select_related("erased_by").first()
