"""The corpus of hostile text for tests/security/test_escaping.py (issue 15 part 2).

Every piece carries its own marker (x1 … x9), and every field gets a field marker ("EF07") of its
own, so a failure says which field leaked where. What each piece must *not* turn into:

- x1 `<script>`: a script element;
- x2 `"><img onerror>`: breaking out of an attribute value into a new element with a handler;
- x3 `javascript:`: a link or form target that runs script;
- x5 / x6 Django template syntax: evaluated ("x5:49", "x6:2026") instead of shown;
- x4, x7, x8 spreadsheet formulas: a formula cell (tests/security/test_formulas.py);
- x9 CR LF: a new e-mail header or a new calendar line;
- æøå: mangled letters (double escaping, a wrong encoding).
"""

from __future__ import annotations

import re

SCRIPT = '<script>alert("x1")</script>'
ATTRIBUTE_BREAK = '"><img src=x onerror=alert("x2")>'
JAVASCRIPT_URL = 'javascript:alert("x3")'
TEMPLATE_VARIABLE = "x5:{{ 7|add:42 }}"
TEMPLATE_TAG = 'x6:{% now "Y" %}'
HYPERLINK = '=HYPERLINK("http://evil.example","x4")'
DDE = "+cmd|' /C calc'!A0 x7"
AT_FORMULA = "@SUM(1+1) x8"
CRLF = "Møte x9\r\nBcc: evil@example.com"
LETTERS = "æøå ÆØÅ"

FORMULAS = (HYPERLINK, DDE, AT_FORMULA)

# What a template engine would make of x5 / x6 if the text were evaluated as a template.
EVALUATED = re.compile(r"x5:49|x6:\d{4}")

_seen: dict[str, str] = {}


def text(marker: str, *, lead: str = "", short: bool = False) -> str:
    """The hostile text for one field: the field marker, then the pieces. `lead` goes first (a
    formula must start the cell to be one; a CR LF must be inside a one-line field); `short` for
    fields of at most ~120 characters (names, roles)."""
    pieces = (
        [SCRIPT, ATTRIBUTE_BREAK, TEMPLATE_VARIABLE, LETTERS]
        if short
        else [
            SCRIPT,
            ATTRIBUTE_BREAK,
            JAVASCRIPT_URL,
            TEMPLATE_VARIABLE,
            TEMPLATE_TAG,
            LETTERS,
        ]
    )
    value = " ".join([p for p in (lead, marker) if p] + pieces)
    _seen[marker] = value
    return value


def markers() -> dict[str, str]:
    """Every field marker handed out so far, with its text."""
    return dict(_seen)
