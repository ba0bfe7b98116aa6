"""Precision and recall of the similar-inputs suggestions (P3, issue 10) on the labelled pairs,
through the path the app uses: inputs sent through `services.input_submit` (which stores their
terms) and suggestions read with `selectors.similar_inputs` (PostgreSQL's search under
DATABASE_URL=postgres://…, the Python path on SQLite). Shared by
tests/inputs/test_similarity_quality.py and `make bench`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tests.factories import UnitFactory
from trepart.inputs import selectors, services
from trepart.inputs.models import Input


@dataclass
class Result:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    wrong: list | None = None

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self):
        return (
            f"precision {self.precision:.2f}  recall {self.recall:.2f}  F1 {self.f1:.2f}  "
            f"(pairs {self.tp + self.fp + self.fn + self.tn}: tp {self.tp}, fp {self.fp}, "
            f"fn {self.fn}, tn {self.tn})"
        )


def load(municipality, pairs) -> list[tuple]:
    """One unit per setting; each text sent as it would be, each on its own earlier day (so no
    two are folded as repeats). Returns [(pair, earlier input, later input)]."""
    units = {}
    loaded = []
    today = timezone.localdate()
    day = 0
    for pair in pairs:
        if pair.setting not in units:
            units[pair.setting] = UnitFactory(municipality=municipality)
        items = []
        for text in (pair.earlier, pair.later):
            item, _code = services.input_submit(unit=units[pair.setting], text=text)
            day += 1
            Input.objects.filter(pk=item.pk).update(
                submitted_on=today - datetime.timedelta(days=day)
            )
            items.append(item)
        loaded.append((pair, *items))
    return loaded


def measure(loaded) -> Result:
    """For each pair: is the earlier input among the later one's suggestions? (No cap on the
    number shown: this measures the decision, not the page's limit of five.)"""
    result = Result(wrong=[])
    for pair, earlier, later in loaded:
        found = earlier.pk in {s["input"].pk for s in selectors.similar_inputs(later, limit=None)}
        if found and pair.similar:
            result.tp += 1
        elif found:
            result.fp += 1
            result.wrong.append(("false positive", pair))
        elif pair.similar:
            result.fn += 1
            result.wrong.append(("missed", pair))
        else:
            result.tn += 1
    return result
