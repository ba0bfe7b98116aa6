"""Norwegian words for search: stems, compound ends, the match rule and <mark> highlighting.

One rule, two engines (decision 0005). A query word matches a word of a text when the query
word's Snowball stem (Norwegian, the algorithm PostgreSQL's `norwegian` configuration uses)

1. begins the text word's stem — inflection and typing as you go: "vakter" (stem vakt) finds
   vakta, vaktene, vaktliste; "natteva" finds nattevakt; or
2. is found inside it from the fourth letter on, when it has at least four letters — the later
   part of a compound: "vakt" finds nattevakta and kveldsvakter, "turnus" finds arbeidsturnus.

Every query word must match (AND). Stop words (PostgreSQL's Norwegian list, bokmål and
nynorsk) are neither indexed nor searched for, in both engines.

On PostgreSQL rule 1 is `to_tsquery('norwegian', 'word:*AB')` over the title (A) and body (B),
and rule 2 is a prefix match on the stems' *tails* (`tails()`, weight D, `simple`); on SQLite
`score()` applies the same rule in Python. Highlighting is Python on both, so a compound is
marked wherever it matched and everything else is escaped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_stemmer = snowballstemmer.stemmer("norwegian")

# Letters and digits (any script); never a character with a meaning in a tsquery.
WORD = re.compile(r"[^\W_]+")
MIN_WORD = 2  # shorter query words are ignored (one typed letter would match everything)
MAX_WORDS = 8
MAX_WORD = 40
MIN_HEAD = 3  # a compound's first part has at least this many letters …
MIN_TAIL = 4  # … and the part searched for at least this many

# PostgreSQL 15 tsearch_data/norwegian.stop (the Snowball project's list, BSD licence).
STOPWORDS = frozenset(
    """og i jeg det at en et den til er som på de med han av ikke ikkje der så var meg seg men
    ett har om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans
    hvor eller hva skal selv sjøl her alle vil bli ble blei blitt kunne inn når være kom noen
    noe ville dere som deres kun ja etter ned skulle denne for deg si sine sitt mot å meget
    hvorfor dette disse uten hvordan ingen din ditt blir samme hvilken hvilke sånn inni mellom
    vår hver hvem vors hvis både bare enn fordi før mange også slik vært være båe begge siden
    dykk dykkar dei deira deires deim di då eg ein eit eitt elles honom hjå ho hoe henne hennar
    hennes hoss hossen ikkje ingi inkje korleis korso kva kvar kvarhelst kven kvi kvifor me
    medan mi mine mykje no nokon noka nokor noko nokre si sia sidan so somt somme um upp vere
    vore verte vort varte vart""".split()
)

EXACT, PREFIX, PART = 3, 2, 1  # how well a query stem matched a word (the Python ranking)


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Snowball's Norwegian stem of a lower-case word (always a beginning of the word)."""
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    return [w for w in WORD.findall((text or "").lower()) if w not in STOPWORDS]


def terms(text: str) -> str:
    """The distinct stems of a text, space-separated, in order of first appearance."""
    return " ".join(dict.fromkeys(stem(w[:MAX_WORD]) for w in words(text)))


def tails(*term_strings: str) -> str:
    """The ends of the stems that a compound search may hit (rule 2): every end of at least
    MIN_TAIL letters after at least MIN_HEAD letters. nattevakt → tevakt evakt vakt."""
    found: dict[str, None] = {}
    for term_string in term_strings:
        for s in term_string.split():
            for i in range(MIN_HEAD, len(s) - MIN_TAIL + 1):
                found[s[i:]] = None
    return " ".join(found)


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]  # what was typed, lower-case, without stop words
    stems: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words)


def parse(text: str) -> Query:
    found: dict[str, str] = {}
    for word in words((text or "")[:500]):
        word = word[:MAX_WORD]
        if len(word) >= MIN_WORD and word not in found:
            found[word] = stem(word)
        if len(found) == MAX_WORDS:
            break
    return Query(words=tuple(found), stems=tuple(found.values()))


def match(query_stem: str, term: str) -> int:
    """How a query stem matches one stem of a text: EXACT, PREFIX, PART (rule 2) or 0."""
    if term == query_stem:
        return EXACT
    if term.startswith(query_stem):
        return PREFIX
    if len(query_stem) >= MIN_TAIL and term.find(query_stem, MIN_HEAD) != -1:
        return PART
    return 0


def score(query: Query, title_terms: str, body_terms: str) -> float:
    """The Python ranking: 0 unless every query word matches; a match in the title counts
    double; better matches (same stem, then beginning, then compound part) count more."""
    title, body = title_terms.split(), body_terms.split()
    total = 0.0
    for q in query.stems:
        best = max(
            [2 * match(q, t) for t in title] + [match(q, t) for t in body] + [0],
        )
        if not best:
            return 0.0
        total += best
    return total


def _matches_word(query: Query, word: str) -> bool:
    lower = word.lower()
    # The Norwegian stemmer only cuts endings (or shortens -ert/-erte to -er), so a stem that
    # contains a query stem comes from a word that contains it: most words stop here, before
    # the stemmer (issue 14: the snippets of 50 long minutes).
    if lower in STOPWORDS or not any(q in lower for q in query.stems):
        return False
    s = stem(lower[:MAX_WORD])
    return any(match(q, s) for q in query.stems)


def highlight(text: str, query: Query) -> SafeString:
    """The whole text, escaped, with each matching word in <mark>."""
    out, last = [], 0
    for m in WORD.finditer(text or ""):
        if _matches_word(query, m.group(0)):
            out.append(escape(text[last : m.start()]))
            out.append(f"<mark>{escape(m.group(0))}</mark>")
            last = m.end()
    out.append(escape((text or "")[last:]))
    return mark_safe("".join(out))  # noqa: S308 — every piece of the text is escaped above


def snippet(text: str, query: Query, width: int = 240) -> SafeString:
    """About `width` characters of the text around its first match, highlighted. The text's
    lines (the fields it was made of) are separated by a middle dot."""
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    text = " · ".join(line for line in lines if line)
    first = next((m.start() for m in WORD.finditer(text) if _matches_word(query, m.group(0))), 0)
    start = max(0, first - width // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    piece = highlight(text[start:end], query)
    return mark_safe(  # noqa: S308 — `piece` is escaped by highlight()
        ("… " if start else "") + piece + (" …" if end < len(text) else "")
    )
