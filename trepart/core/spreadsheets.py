"""Spreadsheet cells that stay text (issue 15: formula injection).

A unit name, a survey title or a question is typed by people; in an Excel file a text that
begins with `=`, `+`, `-` or `@` would be read as a formula (`=HYPERLINK("http://…", "Klikk")`,
OWASP "CSV injection"). openpyxl even stores any string starting with `=` as a formula.
`neutralise(workbook)` runs over every cell before a workbook is saved: such texts are kept as
text, marked with Excel's quote prefix (shown as typed, never calculated — also after the reader
edits the cell). Trepart writes no formulas of its own, and no CSV files of people's texts.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(workbook) -> None:
    """Every text cell of every sheet that a spreadsheet could take for a formula becomes
    plain text with the quote prefix. Call it just before `workbook.save()`."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
