"""Reading staff surveys (P7; R17, R23, R25): lists, results with the threshold, participation.

Nothing here reads `Respondent` together with `Response`/`Answer`: results are computed from
the answers alone, and who answered is only ever counted (see docs/decisions/0006-survey-
anonymity.md and tests/surveys/test_anonymity.py).

Threshold rules (KS practice, P7), applied in one place (`survey_results`) so that the page,
the charts, the measure panel and the Excel export cannot differ:
- nothing while the survey can still be answered (not even the count): results are shown once
  it has ended (closed, or past its closing date). A reader who reloads the page while a
  colleague answers could otherwise tell that colleague's answer from the difference;
- fewer answers than the threshold: nothing at all, not even the count;
- a question with fewer answers than the threshold (optional questions): nothing for it;
- free text only for a question answered in text by at least the threshold, in random order,
  never with a date;
- breakdown by unit (surveys for the whole municipality): a unit below the threshold is merged
  into "Other units"; if that merged group is still below the threshold, the smallest shown
  units are merged into it too, until it reaches the threshold or nothing is left to break
  down. So every answer is in a shown group, and no shown figure minus others reveals a
  hidden group. A question's averages per group are shown only when every group reaches the
  threshold for that question.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from trepart.inputs.models import Input
from trepart.organisation.models import Unit
from trepart.reporting.overview import quarters as overview_quarters
from trepart.surveys import permissions
from trepart.surveys.models import Answer, Question, Response, Survey
from trepart.surveys.services import has_ended, is_open
from trepart.surveys.services_surveys import likert_labels
from trepart.surveys.thresholds import enough, municipality_threshold, survey_threshold

_shuffle = random.SystemRandom().shuffle


def _short(label: str, limit: int = 16) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def survey_for(user, pk) -> Survey:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        permissions.surveys_visible_to(user).select_related("unit", "measure", "municipality"),
        pk=pk,
    )


def survey_for_token(token: str) -> Survey | None:
    """The anonymous link: the token is the key (a staff survey's page, not a person)."""
    if not isinstance(token, str) or not 8 <= len(token) <= 32:
        return None
    return (
        Survey.objects.filter(token=token)
        .exclude(kind=Survey.Kind.COOPERATION_PULSE)
        .select_related("unit", "municipality")
        .first()
    )


def survey_list(user, unit=None) -> dict:
    """The surveys this person may open (of one unit, if given), with a fixed number of
    queries: those they run (with whether results can be shown) and those they may answer."""
    threshold = municipality_threshold(user.municipality_id)
    qs = permissions.surveys_visible_to(user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    surveys = list(
        qs.select_related("unit", "measure")
        .annotate(answers=Count("responses"))
        .order_by("-created_at", "-id")
    )
    run, answer = [], []
    for s in surveys:
        s.is_open = is_open(s)
        s.has_ended = has_ended(s)
        # P7: results only once the survey has ended, and only from the threshold.
        s.results_shown = s.has_ended and enough(s.answers, max(threshold, s.threshold or 0))
        # Those who only read the results (the maker, no longer in the group) are linked to
        # the results page: the survey's own page is for those who run it.
        s.can_run = permissions.can_run(user, s)
        if permissions.can_see_results(user, s):
            run.append(s)
        elif s.is_open and permissions.may_answer(user, s):
            answer.append(s)
    return {"run": run, "answer": answer}


def _groups_for_breakdown(counts: dict, threshold: int) -> tuple[list, int]:
    """(shown [(unit_id, n)], merged n). Merged is 0 or at least the threshold, and shown
    groups each reach it; when nothing can be broken down, shown is empty."""
    shown = sorted(
        ((u, n) for u, n in counts.items() if u is not None and n >= threshold),
        key=lambda g: (g[1], str(g[0])),
    )
    merged = sum(n for u, n in counts.items() if u is None or n < threshold)
    # Secondary suppression: a merged group below the threshold takes the smallest shown ones.
    while 0 < merged < threshold and shown:
        merged += shown.pop(0)[1]
    if merged and merged < threshold:
        return [], 0
    if len(shown) + (1 if merged else 0) < 2:
        return [], 0  # one group is just the total again
    return sorted(shown, key=lambda g: -g[1]), merged


def survey_results(survey: Survey, today: datetime.date | None = None) -> dict:
    """Everything the results page, the measure panel and the export show, with the threshold
    applied. A fixed number of queries whatever the number of answers.

    P7: nothing while the survey is not over ("ended" False), so that nobody can watch the
    results change as a colleague answers; then nothing below the threshold."""
    threshold = survey_threshold(survey)
    ended = has_ended(survey, today)
    result = {"survey": survey, "threshold": threshold, "ended": ended, "shown": False}
    if not ended:
        return result  # not even the count: it changes with each answer
    total = Response.objects.filter(survey=survey).count()
    result["shown"] = enough(total, threshold)
    if not result["shown"]:
        return result  # P7: nothing at all below the threshold, not even the count
    questions = list(survey.questions.all())
    per_value = defaultdict(dict)  # question id -> {value or None: n}
    for row in (
        Answer.objects.filter(response__survey=survey)
        .values("question_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        per_value[row["question_id"]][row["value"]] = row["n"]
    text_ids = [
        q.pk
        for q in questions
        if q.kind == Question.Kind.TEXT and enough(per_value[q.pk].get(None, 0), threshold)
    ]
    texts = defaultdict(list)
    if text_ids:
        for qid, text in (
            Answer.objects.filter(question_id__in=text_ids)
            .exclude(text="")
            # No ordering, no date: the physical order is shuffled below.
            .values_list("question_id", "text")
            .order_by()
        ):
            texts[qid].append(text)
    likert = likert_labels()
    items = []
    for q in questions:
        counts = per_value[q.pk]
        n = sum(counts.values())
        item = {"question": q, "kind": q.kind, "answers": n, "shown": enough(n, threshold)}
        if item["shown"] and q.kind == Question.Kind.TEXT:
            item["texts"] = texts[q.pk]
            _shuffle(item["texts"])
        elif item["shown"]:
            labels = (
                [f"{i} – {label}" for i, label in enumerate(likert, start=1)]
                if q.kind == Question.Kind.LIKERT
                else list(q.choices)
            )
            # The chart's axis: short labels (the table beside it has them in full).
            short = likert if q.kind == Question.Kind.LIKERT else [_short(c) for c in labels]
            values = range(1, 6) if q.kind == Question.Kind.LIKERT else range(len(q.choices))
            data = [counts.get(v, 0) for v in values]
            item["rows"] = [
                {"label": label, "n": d, "percent": round(100 * d / n)}
                for label, d in zip(labels, data, strict=True)
            ]
            item["chart"] = {"labels": short, "series": [{"label": _("Answers"), "data": data}]}
            item["data_id"] = f"survey-chart-{q.pk}"
            if q.kind == Question.Kind.LIKERT:
                item["average"] = round(sum(v * counts.get(v, 0) for v in values) / n, 1)
        items.append(item)
    result.update(total=total, items=items)
    result["breakdown"] = (
        _breakdown(survey, questions, threshold) if survey.unit_id is None else None
    )
    return result


def _breakdown(survey: Survey, questions: list, threshold: int) -> dict | None:
    """A survey for the whole municipality, by unit (see the module's rules)."""
    counts = dict(
        Response.objects.filter(survey=survey)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    shown, merged = _groups_for_breakdown(counts, threshold)
    if not shown:
        return None
    shown_ids = [u for u, _n in shown]
    names = dict(Unit.objects.filter(pk__in=shown_ids).values_list("pk", "name"))
    likert = [q for q in questions if q.kind == Question.Kind.LIKERT]
    stats = defaultdict(dict)  # (question id) -> {group key: (n, avg)}
    for row in (
        Answer.objects.filter(response__survey=survey, question__kind=Question.Kind.LIKERT)
        .values("question_id", "response__unit_id")
        .annotate(n=Count("pk"), total=Avg("value"))
        .order_by()
    ):
        key = row["response__unit_id"] if row["response__unit_id"] in shown_ids else None
        n0, sum0 = stats[row["question_id"]].get(key, (0, 0.0))
        stats[row["question_id"]][key] = (n0 + row["n"], sum0 + row["n"] * (row["total"] or 0))
    keys = shown_ids + ([None] if merged else [])
    columns = []
    for q in likert:
        per = stats[q.pk]
        if all(enough(per.get(k, (0, 0))[0], threshold) for k in keys):
            columns.append(
                {"question": q, "averages": {k: round(per[k][1] / per[k][0], 1) for k in keys}}
            )
    rows = [
        {
            "label": names.get(k, "") if k is not None else _("Other units"),
            "answers": n,
            "averages": [c["averages"][k] for c in columns],
        }
        for k, n in [*shown, *([(None, merged)] if merged else [])]
    ]
    return {"columns": [c["question"] for c in columns], "rows": rows}


def measure_surveys(measure) -> list[Survey]:
    return list(
        Survey.objects.filter(measure=measure, kind=Survey.Kind.TRIAL_EVALUATION).order_by(
            "-created_at", "-id"
        )
    )


# --- participation (R23) ------------------------------------------------------------------


def last_quarters(
    today: datetime.date, n: int = 4
) -> list[tuple[int, int, datetime.date, datetime.date]]:
    """The last n quarters, oldest first, the current one last: (year, q, first day, last day).
    The same calendar quarters as the steering overview's trends."""
    return [
        (q.year, q.number, q.start, q.end - datetime.timedelta(days=1))
        for q in overview_quarters(today, n)
    ]


LOW_PARTICIPATION = 5


def participation(unit, today: datetime.date) -> dict:
    """R23: per quarter, counts only: inputs through the staff channel and answers to the
    unit's surveys (and to the municipality's surveys from this unit). Three queries.

    P7: every member of staff at the unit sees this, so a quarter's number of survey answers
    below the municipality's threshold is not given ("answers" None, "answers_below" True):
    the results page of the quarter's only survey shows nothing below the threshold, not even
    the count, and this page must not tell it either. Inputs are counted as they are."""
    quarters = last_quarters(today)
    threshold = municipality_threshold(unit.municipality_id)

    def per_quarter(field):
        return {
            f"q{i}": Count("pk", filter=Q(**{f"{field}__range": (first, last)}))
            for i, (_y, _q, first, last) in enumerate(quarters)
        }

    inputs = Input.objects.filter(unit=unit).aggregate(**per_quarter("submitted_on"))
    answers = (
        Response.objects.filter(Q(survey__unit=unit) | Q(survey__unit__isnull=True, unit=unit))
        .exclude(survey__kind=Survey.Kind.COOPERATION_PULSE)
        .aggregate(**per_quarter("submitted_on"))
    )
    rows = []
    for i, (year, q, _f, _l) in enumerate(quarters):
        n = answers[f"q{i}"]
        below = 0 < n and not enough(n, threshold)
        rows.append(
            {
                "label": _("Q%(q)s %(year)s") % {"q": q, "year": year},
                "inputs": inputs[f"q{i}"],
                "answers": None if below else n,
                "answers_below": below,
            }
        )
    # Low when the current and the last quarter together have few.
    recent = sum(
        inputs[f"q{i}"] + answers[f"q{i}"] for i in range(len(quarters) - 2, len(quarters))
    )
    return {
        "unit": unit,
        "rows": rows,
        "threshold": threshold,
        "low": recent < LOW_PARTICIPATION,
        "chart": {
            "labels": [r["label"] for r in rows],
            "series": [
                {"label": _("Inputs"), "data": [r["inputs"] for r in rows]},
                # A hidden quarter is a gap in the chart (null), its table cell says why.
                {"label": _("Survey answers"), "data": [r["answers"] for r in rows]},
            ],
        },
    }
