"""A survey's results as an Excel workbook (P7): aggregates only, with the same hiding as the
page (the dict of `selectors.survey_results`). Free-text answers are not exported: a file
travels further than a page, and the texts are read on the page."""

from __future__ import annotations

import io

import openpyxl
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from trepart.core import spreadsheets
from trepart.surveys.models import Question


def workbook_language() -> str:
    return "nn" if translation.get_language() == "nn" else "nb"


def _bold(sheet) -> None:
    for c in sheet[sheet.max_row]:
        c.font = Font(bold=True)


def results_workbook(results: dict) -> tuple[bytes, str]:
    """(the .xlsx file's bytes, its file name)."""
    survey = results["survey"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    sheet.append([survey.title])
    _bold(sheet)
    sheet.append([_("For"), survey.unit.name if survey.unit_id else _("The whole municipality")])
    sheet.append([_("Made"), timezone.localdate()])
    sheet["B3"].number_format = "dd.mm.yyyy"
    sheet.append([])
    if not results["ended"]:
        # P7: nothing while answers can still come in (see selectors.survey_results).
        sheet.append(
            [
                _("The survey is open. Results are shown when it closes — from %(n)s answers.")
                % {"n": results["threshold"]}
            ]
        )
    elif not results["shown"]:
        sheet.append(
            [
                _("Too few answers yet: results are shown from %(n)s answers.")
                % {"n": results["threshold"]}
            ]
        )
    else:
        sheet.append([_("Answers"), results["total"]])
        for item in results["items"]:
            sheet.append([])
            sheet.append([item["question"].text])
            _bold(sheet)
            if not item["shown"]:
                sheet.append([_("Too few answers to this question to show them.")])
            elif item["kind"] == Question.Kind.TEXT:
                sheet.append([_("Free-text answers are read on the results page.")])
            else:
                sheet.append([_("Answer"), _("Number of answers"), _("Share of answers")])
                for row in item["rows"]:
                    sheet.append([row["label"], row["n"], row["percent"] / 100])
                    sheet.cell(row=sheet.max_row, column=3).number_format = "0 %"
                if "average" in item:
                    sheet.append([_("Average (1–5)"), item["average"]])
        breakdown = results.get("breakdown")
        if breakdown:
            by_unit = workbook.create_sheet(_("By unit")[:31])
            by_unit.append([_("Unit"), _("Answers"), *(q.text for q in breakdown["columns"])])
            _bold(by_unit)
            for row in breakdown["rows"]:
                by_unit.append([row["label"], row["answers"], *row["averages"]])
            by_unit.column_dimensions["A"].width = 40
    sheet.column_dimensions["A"].width = 60
    out = io.BytesIO()
    spreadsheets.neutralise(workbook)  # issue 15: typed texts never become formulas
    workbook.save(out)
    return out.getvalue(), f"{slugify(survey.title) or 'undersokelse'}.xlsx"
