"""Out-of-scope guard (R14): individual personnel cases and wage negotiations never belong in the
party group. Shared by meetings (agenda items, actions) and staff input.

Deliberately simple and explainable: word lists on whole words, plus an explicit "this is a
personnel case" choice. A match refuses the text with a plain explanation of where it belongs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

PERSONNEL = "personnel"
WAGES = "wages"

# Word starts (Norwegian bokmål and nynorsk), matched case-insensitively at a word boundary.
_PERSONNEL_WORDS = [
    r"personal(e)?sak",
    r"personalmessig",
    # Not "advarselsskilt" (a warning sign is a safety topic, R14 allows it).
    r"advarsel(?!s(?:skilt|lampe|lys|trekant|merking|system))",
    r"åtvaring",
    r"oppsigelse",
    r"oppseiing",
    # Not "avskjedsfest"/"avskjedsgave" (a farewell, not a dismissal).
    r"avskjed(?!s(?:fest|gave|lunsj|kaffe|middag|tale|hilsen))",
    r"suspen[ds]",
    r"tjenstlig tilrettevisning",
    r"disiplinær",
    r"klage på (en |ein )?(kollega|leder|leiar|sjef)",
]
_WAGE_WORDS = [
    r"lønn?sforhandling",
    r"lokale forhandling",
    r"lønnsoppgjør",
    r"lønsoppgjer",
    r"lønn?stillegg",
    r"lønn?skrav",
    r"lønn?splassering",
    r"lønnsøkning",
    r"lønn?ssamtale",
    r"ny lønn\b",
    r"høyere lønn",
    r"høgare løn",
]
# About a named person: the next word starts with a capital letter (case-sensitive).
_PERSONNEL_NAMED = [r"[Kk]onflikt(en)? mellom [A-ZÆØÅ]\w+", r"[Vv]arsling om [A-ZÆØÅ]\w+"]
_WAGE_NAMED = [r"[Ll]ønn?(?:a|en)? til [A-ZÆØÅ]\w+", r"[Ll]ønn?(?:a|en)? for [A-ZÆØÅ]\w+"]


def _compile(words, named):
    plain = re.compile(r"\b(?:" + "|".join(words) + r")\w*", re.IGNORECASE)
    named = re.compile(r"\b(?:" + "|".join(named) + ")")
    return plain, named


_PERSONNEL_RE = _compile(_PERSONNEL_WORDS, _PERSONNEL_NAMED)
_WAGES_RE = _compile(_WAGE_WORDS, _WAGE_NAMED)


@dataclass(frozen=True)
class ScopeFinding:
    kind: str
    matched: str

    @property
    def message(self) -> str:
        if self.kind == PERSONNEL:
            return _(
                'This looks like an individual personnel case ("%(words)s"). Such cases are '
                "never handled in the party group: they belong between the leader and the "
                "employee, who may bring their union rep."
            ) % {"words": self.matched}
        return _(
            'This looks like a wage matter ("%(words)s"). Wages are negotiated in the '
            "negotiation line between the employer and the unions, not in the party group."
        ) % {"words": self.matched}


def _search(regexes, text):
    for regex in regexes:
        match = regex.search(text)
        if match:
            return match.group(0)
    return None


def check_scope(*texts: str, personnel_case: bool = False) -> ScopeFinding | None:
    """A finding when the text is an individual personnel case or a wage matter (R14)."""
    text = " ".join(t for t in texts if t)
    if personnel_case:
        return ScopeFinding(PERSONNEL, _("marked as a personnel case"))
    word = _search(_PERSONNEL_RE, text)
    if word:
        return ScopeFinding(PERSONNEL, word)
    word = _search(_WAGES_RE, text)
    if word:
        return ScopeFinding(WAGES, word)
    return None
