"""Similar earlier inputs (P3, issue 10): what two staff inputs share, in words people know.

Each text is read once, when it is sent, into a set of *terms* (stored in `Input.stems`):

1. Fixed expressions become a concept first: "vi er for få" and "for lite folk" are staffing
   (`bemanning`), "rekker ikke" is time pressure (`vocabulary.PHRASES`).
2. Filler words are dropped ("vi ønsker at det blir …", `vocabulary.STOPWORDS`).
3. A known word becomes its concept: inflected forms (vakta, vaktene), nynorsk (sjukepleiar) and
   near-synonyms (pasient ≈ beboer, unger ≈ barn, bråk ≈ støy) meet in one term
   (`vocabulary.CONCEPTS`).
4. A compound is split into parts, at least one of them known: kveldsvakt → kveld + vakt,
   bleieskift → bleie + skift, turnusplanen → turnus + plan.
5. A long unknown word one typing error away from a known word is read as that word
   (bemaning → bemanning).
6. Any other word is reduced by Snowball's Norwegian stemmer.

Two texts match on a term they share, or on two unknown words where one begins the other
(avvik ≈ avviksmelding, samling ≈ samlingsstund: Norwegian builds words by adding to the end).
The score is the weighted overlap relative to the two texts' sizes (cosine of two weighted
binary vectors). Words for a matter (sykefravær, bemanning, vold) weigh more than words for a
thing or a time, and the setting's everyday words (beboer, barn, vakt, tid) weigh little
(`vocabulary.WEIGHTS`), so inputs are never linked on them alone. The group sees the shared
words, with each text's own word where they differ ("for få folk ≈ bemanning").

This one rule decides on SQLite and on PostgreSQL; PostgreSQL only finds the candidates with
its own indexes first (`selectors.similar_inputs`). Quality is measured on a labelled set of
realistic pairs (tests/inputs/similarity_pairs.py; `make bench`).
"""

from __future__ import annotations

import functools
import math
import re

import snowballstemmer

from trepart.inputs import vocabulary

_stemmer = snowballstemmer.stemmer("norwegian")
# A word, and so every stored term: letters only (safe to put in a full-text query).
TERM = re.compile(r"[a-zæøåéèêóòôüäö]+")
_VOWELS = "aeiouyæøå"
_LETTERS = "abcdefghijklmnopqrstuvwxyzæøå"

STOPWORDS = vocabulary.STOPWORDS

# Two inputs are similar when their score reaches MIN_SCORE and the matched words that are not
# everyday words (weight ≥ 0.5) weigh at least MIN_SHARED: one matter (1.5), two ordinary
# words, or an ordinary word and a common one. Two short texts about one thing (a single
# ordinary word) are similar when the score reaches STRONG_SCORE.
MIN_SCORE = 0.3
MIN_SHARED = 1.5
STRONG_SCORE = 0.5
# Unknown words match when one begins the other and the shorter has at least MIN_PREFIX
# letters, or one ends the other (the last part of a compound) and the shorter has MIN_SUFFIX.
MIN_PREFIX = 5
MIN_SUFFIX = 6
# Only words this long are read as a typing error of a known word.
MIN_TYPO = 7
# Longer "words" (a pasted link, a key held down) are only stemmed, never split.
MAX_COMPOUND = 30

# Endings added to every base form (bokmål and nynorsk nouns, verbs and adjectives). Forms that
# would also be another word are listed as words of their own in the vocabulary, which wins.
_SUFFIXES = ("", "e", "en", "et", "a", "er", "ar", "ene", "ane", "s", "ens", "ets", "as")
_AFTER_E = ("n", "r", "t", "s", "ne", "ns", "rs", "st")
# A verb's noun: dusje → dusjing, hente → hentinga.
_ING = ("ing", "inga", "ingen", "inger", "ingar", "ingene", "ingane")


def _inflect(lemma: str) -> set[str]:
    forms = {lemma + suffix for suffix in _SUFFIXES}
    if lemma.endswith("e"):
        forms |= {lemma + suffix for suffix in _AFTER_E}
        forms |= {lemma[:-1] + suffix for suffix in _SUFFIXES + _ING if suffix}
    # Words on a short vowel and -m double it: rom → rommet, stellerom → stellerommet.
    if len(lemma) > 1 and lemma[-1] == "m" and lemma[-2] in _VOWELS:
        forms |= {lemma + "m" + suffix for suffix in _SUFFIXES if suffix[:1] in _VOWELS}
    return forms


def _load():
    concept_of: dict[str, str] = {}
    explicit: dict[str, str] = {}
    generated: dict[str, str] = {}
    entries: list[tuple[str, str]] = []
    for line in vocabulary.CONCEPTS.splitlines():
        if not line.strip():
            continue
        if line[0].isspace():
            key, members = entries[-1]
            entries[-1] = (key, members + " " + line.strip())
        else:
            key, members = line.split(":", 1)
            entries.append((key.strip(), members.strip()))
    for key, members in entries:
        for member in members.split():
            forms = [f for f in member.split("/") if f]
            lemma = forms[0]
            concept_of[lemma] = key
            for form in forms:
                explicit.setdefault(form, lemma)
                for inflected in _inflect(form):
                    generated.setdefault(inflected, lemma)
    known = {**generated, **explicit}
    known = {form: lemma for form, lemma in known.items() if form not in STOPWORDS}
    # The first part of a compound is a base form as written in the vocabulary (kveld|s|vakt,
    # bleie|skift), never an inflected one (mata|llergi is not mat + allergi).
    bases = {form: lemma for form, lemma in explicit.items() if form not in STOPWORDS}
    phrases = [(re.compile(pattern), concept) for pattern, concept in vocabulary.PHRASES]
    return concept_of, known, bases, frozenset(concept_of.values()), phrases


_CONCEPT_OF, _FORMS, _BASES, CONCEPTS, _PHRASES = _load()


def weight(term: str) -> float:
    return vocabulary.WEIGHTS.get(term, 1.0)


def is_open(term: str) -> bool:
    """An unknown word's stem, long enough to match other words that begin with it."""
    return len(term) >= MIN_PREFIX and term not in CONCEPTS


def _known(word: str) -> tuple[str, str] | None:
    """(term, lemma) of a known word form."""
    lemma = _FORMS.get(word)
    return (_CONCEPT_OF[lemma], lemma) if lemma else None


def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


@functools.lru_cache(maxsize=50_000)
def _left_part(left: str) -> tuple[str, ...] | None:
    """Terms of the first part of a compound, if it is a known word (with or without the
    joining -s- or -e-: kvelds|vakt, natte|vakt), or itself a compound of known words."""
    cores = [left]
    if len(left) > 3 and left[-1] in "se":
        cores.append(left[:-1])
    for core in cores:
        lemma = _BASES.get(core)
        if lemma:
            return (_CONCEPT_OF[lemma],)
    if len(left) >= 6:
        for core in cores:
            parts = _split(core, require_known_left=True)
            if parts:
                return parts[0]
    return None


@functools.lru_cache(maxsize=50_000)
def _split(word: str, *, require_known_left: bool = False):
    """(terms, label) of a compound, or None.

    Best are two known parts; then a known last part (it says what the thing is: a kveldsvakt
    is a vakt) after an unknown first part; then a known first part that is not an everyday
    word, followed by at least five more letters (stelle|benken)."""
    best = None
    for i in range(3, len(word) - 2):
        left, right = word[:i], word[i:]
        head = _known(right)
        known_left = _left_part(left)
        if head and known_left:
            rank, terms, label = 0, (*known_left, head[0]), left + head[1]
        elif require_known_left:
            continue
        elif head and len(head[1]) >= 4 and left not in vocabulary.PREFIXES:
            core = left[:-1] if len(left) > 4 and left[-1] in "se" else left
            rank, terms, label = 1, (_stem(core), head[0]), left + head[1]
        elif known_left and len(right) >= 5 and min(map(weight, known_left)) >= 0.5:
            rank, terms, label = 2, (*known_left, _stem(right)), left + _stem(right)
        else:
            continue
        key = (rank, -len(right) if rank < 2 else len(right))  # rank 2: longest known part
        if best is None or key < best[0]:
            best = (key, terms, label)
    if best is None:
        return None
    return tuple(t for t in best[1] if len(t) > 2), best[2]


def _edits(word: str):
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            yield head + tail[1:]
            if len(tail) > 1:
                yield head + tail[1] + tail[0] + tail[2:]
            for c in _LETTERS:
                yield head + c + tail[1:]
        for c in _LETTERS:
            yield head + c + tail


def _typo(word: str) -> tuple[str, str] | None:
    """The known word a long unknown word is one typing error away from, if only one."""
    lemmas = {_FORMS[w] for w in _edits(word) if len(w) >= MIN_TYPO - 1 and w in _FORMS}
    if len(lemmas) != 1:
        return None
    (lemma,) = lemmas
    return _CONCEPT_OF[lemma], lemma


@functools.lru_cache(maxsize=50_000)
def _word_terms(word: str) -> tuple[tuple[str, str], ...]:
    """[(term, label)] for one lower-case word."""
    found = _known(word)
    if found:
        return (found,)
    if len(word) > MAX_COMPOUND:
        return ((_stem(word), word),)
    parts = _split(word)
    if parts:
        terms, label = parts
        return tuple((term, label) for term in dict.fromkeys(terms))
    if len(word) >= MIN_TYPO:
        found = _typo(word)
        if found:
            return (found,)
    stem = _stem(word)
    return ((stem, stem),) if len(stem) > 2 else ()


def analyse(text: str) -> list[tuple[str, str]]:
    """[(term, label)]: each term the text contributes and the word or phrase it came from."""
    text = (text or "").lower()
    found: list[tuple[str, str]] = []
    for pattern, concept in _PHRASES:

        def replace(match, concept=concept):
            if concept:
                found.append((concept, " ".join(match.group(0).split())))
            return " "

        text = pattern.sub(replace, text)
    for word in TERM.findall(text):
        if len(word) > 2 and word not in STOPWORDS:
            found.extend(_word_terms(word))
    return found


def stems(text: str) -> set[str]:
    """The terms of a text (the name is kept from when they were plain stems)."""
    return {term for term, _label in analyse(text)}


def stems_text(text: str) -> str:
    """The terms as stored in `Input.stems`: sorted, separated by spaces."""
    return " ".join(sorted(stems(text)))


def refresh_stored_terms(model, batch: int = 500) -> int:
    """Recompute the stored terms of every input after the vocabulary or the rules changed
    (migration inputs.0003; `manage.py refresh_input_terms`). `model` is the Input model (the
    migration passes its historical one). Returns how many inputs changed."""
    changed, count = [], 0
    for item in model.objects.only("pk", "text", "stems").iterator(chunk_size=batch):
        terms = stems_text(item.text)
        if terms != item.stems:
            item.stems = terms
            changed.append(item)
        if len(changed) >= batch:
            model.objects.bulk_update(changed, ["stems"])
            count, changed = count + len(changed), []
    if changed:
        model.objects.bulk_update(changed, ["stems"])
    return count + len(changed)


@functools.lru_cache(maxsize=50_000)
def affixes(term: str) -> frozenset[str]:
    """The beginnings (MIN_PREFIX letters or more) and endings (MIN_SUFFIX or more) of a term
    that another unknown word may be: avvik|smelding, bil|garasj."""
    return frozenset(
        [term[:k] for k in range(MIN_PREFIX, len(term))]
        + [term[-k:] for k in range(MIN_SUFFIX, len(term))]
    )


def related(a: str, b: str) -> bool:
    """Two unknown words where one begins or ends the other."""
    return a in affixes(b) or b in affixes(a)


def matches(a: set[str], b: set[str]) -> list[tuple[str, str, float]]:
    """[(term of a, term of b, weight)]: the shared terms, then pairs of unknown words where one
    begins or ends the other (each word used once)."""
    found = [(t, t, weight(t)) for t in a & b]
    rest_b = sorted((u for u in b - a if is_open(u)), key=lambda u: (-len(u), u))
    if rest_b:
        for t in sorted((t for t in a - b if is_open(t)), key=lambda t: (-len(t), t)):
            for u in rest_b:
                if related(t, u):
                    found.append((t, u, min(weight(t), weight(u))))
                    rest_b.remove(u)
                    break
    return found


def _judge(a: set[str], b: set[str], found) -> tuple[bool, float]:
    if not found:
        return False, 0.0
    shared = sum(w for _t, _u, w in found)
    value = shared / math.sqrt(sum(map(weight, a)) * sum(map(weight, b)))
    strong = sum(w for _t, _u, w in found if w >= 0.5)
    similar = (value >= MIN_SCORE and strong >= MIN_SHARED) or (
        value >= STRONG_SCORE and strong >= 1.0
    )
    return similar, value


def score(a: set[str], b: set[str]) -> float:
    """Weighted cosine of two term sets, 0..1."""
    return _judge(a, b, matches(a, b))[1]


def is_similar(a: set[str], b: set[str]) -> tuple[bool, float]:
    return _judge(a, b, matches(a, b))


def search_terms(target: set[str]) -> tuple[list[str], list[str]]:
    """What a database search must look for to find every input that can be similar to
    `target`: (whole terms — the target's terms and the unknown words inside its unknown words;
    unknown terms that may begin or end a longer word). Everyday words (weight < 0.5) are left
    out: an input that shares only those can never be similar. Sorted, so queries repeat."""
    open_target = {t for t in target if is_open(t)}
    whole = {t for t in target if weight(t) >= 0.5}.union(*map(affixes, open_target))
    return sorted(whole), sorted(open_target)


def rank(target: set[str], candidates, limit: int | None = 5):
    """[(score, matched terms of the target, candidate)] of the similar candidates, best first;
    candidates carry their stored terms in `stems`."""
    open_target = {t for t in target if is_open(t)}
    parts = set().union(*map(affixes, open_target))  # unknown words inside a target word
    scored = []
    for candidate in candidates:
        other = set(candidate.stems.split())
        if not target & other and not any(
            u in parts or affixes(u) & open_target for u in other if is_open(u)
        ):
            continue
        found = matches(target, other)
        similar, value = _judge(target, other, found)
        if similar:
            scored.append((value, sorted(t for t, _u, _w in found), candidate))
    scored.sort(key=lambda t: (-t[0], -t[2].pk))
    return scored[:limit] if limit else scored


def explain(text: str, other_text: str) -> list[str]:
    """The matched words as the group should see them: a word both texts use, or each text's own
    word where they differ ("pasient ≈ beboer", "for få folk ≈ bemanning"). Everyday words are
    left out when there is more to show."""
    mine: dict[str, list[str]] = {}
    theirs: dict[str, list[str]] = {}
    for term, label in analyse(text):
        mine.setdefault(term, []).append(label)
    for term, label in analyse(other_text):
        theirs.setdefault(term, []).append(label)
    found = matches(set(mine), set(theirs))
    if any(w >= 1 for _t, _u, w in found):
        found = [m for m in found if m[2] >= 0.5]
    labels: dict[str, float] = {}
    for t, u, w in found:
        common = set(mine[t]) & set(theirs[u])
        if common:
            label = min(common, key=lambda s: (len(s), s))
        else:
            a = min(mine[t], key=lambda s: (len(s), s))
            b = min(theirs[u], key=lambda s: (len(s), s))
            label = t if t == u and t in a and t in b else f"{a} ≈ {b}"
        labels[label] = max(labels.get(label, 0), w)
    return sorted(labels, key=lambda s: (-labels[s], s))
