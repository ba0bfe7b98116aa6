"""Near-duplicate folding on the anonymous channel (issue 10, P3; decision 0002).

After a staff meeting several people may send the text they agreed on, someone may press Send
twice, and a script may send one text hundreds of times. None of that should fill the group's
list. An anonymous text is *folded* into an earlier input instead of listed anew when:

- both went to the same unit, to the party group (a private message to the leader is never
  folded), and neither carries a name;
- the earlier one was sent the same day (we keep no time of day, so the window is the day) and
  is still open and not hidden;
- the texts are the same or nearly the same: ignoring case, punctuation and spacing, at least
  nine words in ten are the same and in the same order, and no word such as "not" or "never"
  differs (so "we want" and "we do not want" are never folded).

The repeat gets its own receipt code, which follows the earlier input; the group sees the
input once, marked "sent N times". Reads only; the write is `services.input_submit`.
"""

from __future__ import annotations

import datetime
import re
from difflib import SequenceMatcher

from trepart.inputs.models import OPEN_STATUSES, Audience, Input

# Ignoring case, punctuation and spacing: the words, in order (letters and digits).
_WORD = re.compile(r"\w+", re.UNICODE)
# At least this share of the words must be the same, in the same order (difflib's ratio over
# the two word lists: 2 × matched words / all words).
MIN_RATIO = 0.9
# Words that turn a sentence around (bokmål, nynorsk, English): a difference in one of these
# is never "nearly the same".
NEGATIONS = frozenset(
    """
    ikke ikkje ingen inga ingenting ei aldri verken hverken uten utan
    not no never none nothing without
    """.split()
)
# Candidates are today's open inputs of one unit: bounded by the link's ceiling (a few
# hundred at most), and most are ruled out by length before any comparison.
MAX_CANDIDATES = 500


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def nearly_same(a: list[str], b: list[str]) -> bool:
    """The folding rule for two texts' words (see the module docstring)."""
    if a == b:
        return True
    if not a or not b:
        return False
    shorter, longer = sorted((len(a), len(b)))
    # The ratio can reach MIN_RATIO only if the lengths are close: 2·shorter/(sum) ≥ ratio.
    if 2 * shorter / (shorter + longer) < MIN_RATIO:
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < MIN_RATIO or matcher.quick_ratio() < MIN_RATIO:
        return False
    if matcher.ratio() < MIN_RATIO:
        return False
    changed = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changed.update(a[i1:i2])
            changed.update(b[j1:j2])
    return not changed & NEGATIONS


def fold_target(*, unit, text: str, audience: str, today: datetime.date) -> Input | None:
    """The earlier input a new anonymous text folds into, or None to store it as new."""
    if audience != Audience.GROUP:
        return None
    new = words(text)
    candidates = (
        Input.objects.filter(
            unit=unit,
            audience=Audience.GROUP,
            author__isnull=True,
            submitted_on=today,
            status__in=OPEN_STATUSES,
            hidden=False,
        )
        .only("pk", "text", "sent_count")
        .order_by("pk")[:MAX_CANDIDATES]
    )
    for candidate in candidates:
        if nearly_same(new, words(candidate.text)):
            return candidate
    return None
