"""Similar earlier inputs (P3): Norwegian stemming plus word overlap.

Each input's text is reduced to a set of stems once, when it is sent (stored in `Input.stems`).
Two inputs are similar when they share enough stems, measured as the overlap of the two sets
relative to their sizes (the cosine of two binary vectors). Plain, explainable, and the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import re

import snowballstemmer

_stemmer = snowballstemmer.stemmer("norwegian")
_WORD = re.compile(r"[a-zæøåéèêóòôüäö]+", re.IGNORECASE)

# Common bokmål and nynorsk words that say nothing about the topic.
STOPWORDS = frozenset(
    """
    og i jeg eg det at en ein et eit den til er var vart blir blei vere være som på de med han
    ho hun av ikkje ikke ikkje der så seg kan kunne vil ville skal skulle må måtte har hadde
    for fra frå men om også ogso eller når no nå hva kva hvem kven hvor kvar hvorfor kvifor
    vi me oss dere dykk deg meg dei dem sin sitt sine vår vårt våre min mitt mine din ditt dine
    hans hennes hennar deres deira denne dette disse desse noe noko noen nokon mange mykje mye
    litt bare berre også etter før over under mot ved inn ut opp ned her hit dit da då fordi
    enn som slik sånn så veldig meir mer mest mindre alle alt andre annen anna anne hver kvar
    hos uten utan igjen ofte aldri alltid enda ennå synes syns tror trur ønsker ønskjer vil
    gjerne kanskje bør burde få får fikk fekk gjøre gjere gjør gjer gjort blitt vært vore
    """.split()
)

MIN_SCORE = 0.25


def stems(text: str) -> set[str]:
    words = [w.lower() for w in _WORD.findall(text or "")]
    words = [w for w in words if len(w) > 2 and w not in STOPWORDS]
    return {s for s in _stemmer.stemWords(words) if len(s) > 2}


def stems_text(text: str) -> str:
    return " ".join(sorted(stems(text)))


def score(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def rank(target: set[str], candidates, min_score: float = MIN_SCORE, limit: int = 5):
    """[(score, shared stems, candidate)] best first; candidates carry a `stems` string."""
    scored = []
    for candidate in candidates:
        other = set(candidate.stems.split())
        value = score(target, other)
        if value >= min_score and len(target & other) >= 2 or (value >= 0.5 and target & other):
            scored.append((value, sorted(target & other), candidate))
    scored.sort(key=lambda t: (-t[0], -t[2].pk))
    return scored[:limit]
