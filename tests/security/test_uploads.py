"""Every file upload checks type and size (issue 15 part 5).

`FILE_FIELDS` lists every file field of the product with a file it takes, files of a wrong type
(by name) and files whose content does not match their name. For each field the tests post, to
the real page, a good file, each wrong one and one a byte too large: a wrong file is refused with
the error next to the field (in Norwegian; the page is bokmål), nothing is stored, and what else
was typed stays in the form. The structural test walks every form, model and API endpoint of
Trepart: a new file field without an entry here fails.
"""

from __future__ import annotations

import html
import importlib
import io
import pkgutil
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import translation

import trepart
from tests.conftest import client_for
from tests.measures.conftest import measure_at
from tests.meetings.conftest import party_group  # noqa: F401  (fixture)
from tests.organisation.test_import import leader, make_csv
from trepart.core.uploads import UploadRule
from trepart.measures.models import Evidence, Stage
from trepart.measures.services import EVIDENCE_UPLOAD
from trepart.organisation.forms import IMPORT_UPLOAD
from trepart.organisation.models import ImportBatch

pytestmark = pytest.mark.django_db

TREPART = Path(trepart.__file__).resolve().parent

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for r in rows:
        workbook.active.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def zip_bomb(unpacked: int) -> bytes:
    """A workbook-shaped ZIP of a few hundred kB that unpacks to `unpacked` bytes."""
    return zip_of({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"\x00" * unpacked})


@dataclass(frozen=True)
class FileFieldCase:
    """One file field: how to reach its page and what it must take and refuse."""

    setup: Callable  # (pytest request) -> {"client", "url", "data": other fields, "stored"}
    field_id: str
    rule: UploadRule
    good: tuple[str, bytes]
    wrong_type: list[tuple[str, bytes]]
    wrong_content: list[tuple[str, bytes]]
    refused_status: int
    typed: dict = field(default_factory=dict)  # other fields typed with the file


def _evidence(request) -> dict:
    group = request.getfixturevalue("party_group")
    unit = request.getfixturevalue("unit")
    measure = measure_at(group, unit, Stage.IN_TRIAL)
    return {
        "client": client_for(group["leader"]),
        "url": reverse("measures:evidence_add", args=[measure.pk]),
        "stored": lambda: Evidence.objects.filter(measure=measure).count(),
    }


def _import(request) -> dict:
    admin = request.getfixturevalue("admin_user")
    request.getfixturevalue("unit")
    return {
        "client": client_for(admin),
        "url": reverse("organisation:import"),
        "stored": lambda: ImportBatch.objects.count(),
    }


# Every file field of Trepart: "module.Form.field" → its case.
FILE_FIELDS: dict[str, FileFieldCase] = {
    "trepart.measures.forms.EvidenceForm.upload": FileFieldCase(
        setup=_evidence,
        field_id="id_evidence_upload",
        rule=EVIDENCE_UPLOAD,
        good=("intervjuer.pdf", PDF),
        wrong_type=[
            ("program.exe", EXE),
            ("side.html", b"<script>alert(1)</script>"),
            ("svg.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
            ("uten-navn", PDF),
        ],
        wrong_content=[
            ("rapport.pdf", EXE),
            ("bilde.png", JPEG),
            ("bilde.jpg", PNG),
            ("referat.docx", PDF),
            ("notat.txt", EXE),
            ("tall.csv", b"a;b\n" + b"\x00\x01\x02" * 10),
            ("tall.csv", zip_of({"x.txt": b"x"})),
        ],
        refused_status=400,
        typed={"text": "Fra intervjuene: tre av fire vil fortsette."},
    ),
    "trepart.organisation.forms.ImportUploadForm.file": FileFieldCase(
        setup=_import,
        field_id="id_file",
        rule=IMPORT_UPLOAD,
        good=("import.csv", make_csv([leader()])),
        wrong_type=[
            ("import.txt", make_csv([leader()])),
            ("import.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40),
            ("import.exe", EXE),
        ],
        wrong_content=[
            ("import.csv", xlsx([["navn"], ["Kari"]])),
            ("import.csv", EXE),
            ("import.csv", "navn;e-post\nKari;kari@example.no\n".encode("utf-16")),
            ("import.xlsx", make_csv([leader()])),
            ("import.xlsx", zip_of({"word/document.xml": b"<w/>"})),
            ("import.xlsx", b"PK\x03\x04 not really a zip"),
            ("import.xlsx", zip_bomb(IMPORT_UPLOAD.limit() * 10 + 1)),
        ],
        refused_status=400,
    ),
}

# Files of the good type that still pass (the rule's other kinds), posted once each.
MORE_GOOD = {
    "trepart.organisation.forms.ImportUploadForm.file": [
        ("import.xlsx", xlsx([["navn", "e-post"], ["Kari Moen", "kari@example.no"]])),
        ("Import.CSV", make_csv([leader()], encoding="cp1252")),
    ],
    "trepart.measures.forms.EvidenceForm.upload": [
        ("tavle.JPEG", JPEG),
        ("fravaer.csv", "måned;prosent\njan;9\n".encode("cp1252")),
        ("notater.txt", "Ansatte er fornøyde.\n".encode()),
    ],
}


def _cases():
    for name, case in FILE_FIELDS.items():
        short = ".".join(name.rsplit(".", 2)[-2:])
        yield pytest.param(name, "good", case.good, id=f"{short}-good")
        for i, good in enumerate(MORE_GOOD.get(name, [])):
            yield pytest.param(name, "good", good, id=f"{short}-good-{i}")
        for i, bad in enumerate(case.wrong_type):
            yield pytest.param(name, "wrong_type", bad, id=f"{short}-type-{i}")
        for i, bad in enumerate(case.wrong_content):
            yield pytest.param(name, "wrong_content", bad, id=f"{short}-content-{i}")
        yield pytest.param(name, "too_large", None, id=f"{short}-too-large")
        yield pytest.param(name, "largest", None, id=f"{short}-largest")


def _error_next_to(body: str, field_id: str) -> str:
    match = re.search(
        rf'<p class="ds-validation-message"[^>]*id="{field_id}_error">(.*?)</p>', body
    )
    assert match, f"no error next to {field_id}"
    tag = re.search(rf'<input\b[^>]*\bid="{field_id}"[^>]*>', body)
    assert tag and 'aria-invalid="true"' in tag.group(0)
    return html.unescape(match.group(1))


def _sized(good: tuple[str, bytes], size: int) -> tuple[str, bytes]:
    name, content = good
    if name.endswith(".csv"):
        filler = b"\r\n" + b"#" * (size - len(content) - 2)
    else:
        filler = b"0" * (size - len(content))
    return name, content + filler


@pytest.mark.parametrize("name,kind,upload", list(_cases()))
def test_file_field_takes_the_right_files_and_refuses_the_rest(request, name, kind, upload):
    case = FILE_FIELDS[name]
    page = case.setup(request)
    limit = case.rule.limit()
    if kind == "too_large":
        upload = _sized(case.good, limit + 1)
    elif kind == "largest":
        upload = _sized(case.good, limit)
    filename, content = upload
    before = page["stored"]()
    field_name = name.rsplit(".", 1)[-1]
    response = page["client"].post(
        page["url"], {**case.typed, field_name: SimpleUploadedFile(filename, content)}
    )
    if kind in ("good", "largest"):
        assert response.status_code == 302, response.content.decode()[:2000]
        assert page["stored"]() == before + 1
        return

    assert response.status_code == case.refused_status
    assert page["stored"]() == before
    body = response.content.decode()
    assert '<html lang="nb"' in body
    with translation.override("nb"):
        expected = {
            "wrong_type": case.rule.wrong_type,
            "wrong_content": case.rule.wrong_content,
            "too_large": case.rule.too_large,
        }[kind]
        expected = str(expected) % {
            "size": round(len(content) / 1024 / 1024, 1),
            "max": limit // 1024 // 1024,
        }
    assert _error_next_to(body, case.field_id) == expected
    # What else was typed is still in the form.
    for value in case.typed.values():
        assert html.escape(value) in body or value in html.unescape(body)


def test_checks_leave_the_file_at_its_start():
    """The service reads the whole file after the form's check (measures.services)."""
    from trepart.core.uploads import check_upload

    upload = SimpleUploadedFile("a.csv", b"a;b\n1;2\n")
    check_upload(upload, EVIDENCE_UPLOAD)
    assert upload.read() == b"a;b\n1;2\n"


# --- every file field is listed -------------------------------------------------------------------


def _import_all_modules() -> None:
    for info in pkgutil.walk_packages([str(TREPART)], prefix="trepart."):
        parts = info.name.split(".")
        if "migrations" in parts or parts[-1] in {"wsgi", "settings", "settings_test"}:
            continue
        importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_file_fields() -> set[str]:
    _import_all_modules()
    found = set()
    for form in set(_subclasses(forms.BaseForm)):
        if not form.__module__.startswith("trepart."):
            continue
        for field_name, form_field in getattr(form, "base_fields", {}).items():
            if isinstance(form_field, forms.FileField):
                found.add(f"{form.__module__}.{form.__qualname__}.{field_name}")
    return found


def test_every_file_field_of_every_form_is_listed():
    assert _form_file_fields() == set(FILE_FIELDS)


def test_no_file_field_is_made_outside_the_listed_forms():
    """Fields added in a form's __init__ or a view are not in base_fields: the source shows them."""
    pattern = re.compile(r"\b(FileField|ImageField|FilePathField)\(")
    places = {}
    for path in TREPART.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        hits = len(pattern.findall(path.read_text(encoding="utf-8")))
        if hits:
            places[str(path.relative_to(TREPART.parent).with_suffix("")).replace("/", ".")] = hits
    listed = {}
    for name in FILE_FIELDS:
        module = name.rsplit(".", 2)[0]
        listed[module] = listed.get(module, 0) + 1
    assert places == listed


def test_no_model_stores_files():
    """Attachments are kept in the database (BinaryField, checked on the way in). A model
    FileField would take uploads past these checks: add it to FILE_FIELDS first."""
    found = [
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models()
        if model.__module__.startswith("trepart.")
        for f in model._meta.get_fields()
        if isinstance(f, models.FileField)
    ]
    assert found == []


def test_the_api_accepts_no_files():
    from trepart.api.core import api

    schema = api.get_openapi_schema()
    text = repr(schema)
    assert "multipart/form-data" not in text
    assert "'format': 'binary'" not in text


def test_a_ticked_clear_box_without_a_file_is_no_server_error(request):
    """An optional file field's "clear" box (ClearableFileInput) makes the field's value False:
    nothing to check, never a 500 (review of issue 15)."""
    from trepart.core.uploads import check_upload

    assert check_upload(False, EVIDENCE_UPLOAD) is False
    assert check_upload(None, EVIDENCE_UPLOAD) is None
    page = _evidence(request)
    response = page["client"].post(
        page["url"], {"text": "Bare tekst, ingen fil.", "upload-clear": "on"}
    )
    assert response.status_code in (302, 400)
