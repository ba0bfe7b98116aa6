"""The steering overview as an Excel workbook for council papers (P5, issue 11 point 2).

The same figures as the page, from the same dict (`overview.steering_overview`): a sheet per
unit table and per trend, with Norwegian headers (bokmål, or nynorsk when that is the reader's
language), and the chosen service area applied.
"""

from __future__ import annotations

import io
import re

import openpyxl
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from trepart.core import spreadsheets
from trepart.reporting import overview as ov

# Excel: at most 31 characters, none of []:*?/\ in a sheet's name.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(text: str, used: set[str]) -> str:
    title = _SHEET_FORBIDDEN.sub("-", text)[:31].strip() or "Ark"
    base, n = title, 2
    while title.lower() in used:
        suffix = f" {n}"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def _bold_header(sheet, headers: list[str]) -> None:
    sheet.append(headers)
    for c in sheet[sheet.max_row]:
        c.font = Font(bold=True)
    # A coordinate, not sheet.cell(): that would create an empty row 2.
    sheet.freeze_panes = f"B{sheet.max_row + 1}"


def _widths(sheet) -> None:
    for i, column in enumerate(sheet.columns, start=1):
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)


def _cell_value(c: dict):
    """Excel gets numbers and dates as such; lists of findings as their text."""
    if c["kind"] == "flag":
        return c["text"]
    if c["kind"] == "list":
        return c["text"]
    if c["kind"] == "percent":
        return None if c["value"] is None else c["value"] / 100
    if c["kind"] == "text":
        return c["text"]
    return c["value"]


def workbook_language() -> str:
    """Norwegian headers for council papers: the reader's nynorsk, else bokmål."""
    return "nn" if translation.get_language() == "nn" else "nb"


def overview_workbook(data: dict) -> tuple[bytes, str]:
    """(the .xlsx file's bytes, its file name). Call it, and make `data`, in
    `translation.override(workbook_language())`, so the trend labels are Norwegian too."""
    workbook = openpyxl.Workbook()
    used: set[str] = set()
    about = workbook.active
    about.title = _sheet_title(_("About the figures"), used)
    municipality, area = data["municipality"], data["area"]
    about.append([_("Steering overview"), municipality.name])
    about.append([_("Service area"), area.name if area else _("All service areas")])
    about.append([_("Made"), timezone.localtime().replace(tzinfo=None)])
    about["B3"].number_format = "dd.mm.yyyy hh:mm"
    about.append([])
    for line in ov.definitions(data):
        about.append([line])
    about["A1"].font = Font(bold=True)
    about.column_dimensions["A"].width = 40
    about.column_dimensions["B"].width = 40

    for table in ov.unit_tables(data):
        sheet = workbook.create_sheet(_sheet_title(table["sheet"], used))
        _bold_header(sheet, [_("Unit"), *table["columns"]])
        for row in table["rows"]:
            sheet.append([row["unit"].name, *(_cell_value(c) for c in row["cells"])])
            for c, col in zip(row["cells"], range(2, len(row["cells"]) + 2), strict=True):
                target = sheet.cell(row=sheet.max_row, column=col)
                if c["kind"] == "percent":
                    target.number_format = "0 %"
                elif c["kind"] == "date" and c["value"] is not None:
                    target.number_format = "dd.mm.yyyy"
        if table["key"] == "reports":
            # The notes (sent late, corrected) get their own column in the file.
            sheet.cell(row=1, column=len(table["columns"]) + 2, value=_("Note")).font = Font(
                bold=True
            )
            for i, row in enumerate(table["rows"], start=2):
                sheet.cell(row=i, column=len(table["columns"]) + 2, value=row["cells"][1]["note"])
        _widths(sheet)

    for trend in data["trends"]:
        sheet = workbook.create_sheet(_sheet_title(trend["sheet"], used))
        _bold_header(sheet, [_("Quarter"), *(s["label"] for s in trend["series"])])
        for i, label in enumerate(trend["labels"]):
            sheet.append([label, *(s["data"][i] for s in trend["series"])])
        _widths(sheet)

    out = io.BytesIO()
    spreadsheets.neutralise(workbook)  # issue 15: typed texts never become formulas
    workbook.save(out)
    name = slugify(f"styringsoversikt {municipality.name} {area.name if area else ''}")
    return out.getvalue(), f"{name}-{data['today']:%Y-%m-%d}.xlsx"
