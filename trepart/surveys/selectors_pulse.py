"""Reads of the cooperation pulse (P6; R33–R35): a group's trends, the steering group's
aggregate, and the home page's "answer the pulse". Each a fixed number of queries.

Nothing here returns an individual answer. A period's averages are shown only when the period
is over and at least the threshold answered (P7); below it the period says "too few answers"
and gives nothing else, not even counts per question. Free texts only from shown periods in
which at least the threshold wrote something, shuffled and without any metadata.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Count
from django.utils.formats import number_format

from trepart.organisation.models import PARTY_GROUP_ROLES, RoleAssignment
from trepart.organisation.permissions import party_group_unit_ids
from trepart.surveys import pulse
from trepart.surveys.models import Answer, Respondent, Survey
from trepart.surveys.thresholds import enough, municipality_threshold

PERIODS_SHOWN = 8  # two years of quarters
# The steering aggregate needs answers from at least this many groups: with one group it would
# be that group's own result (never per group).
MIN_GROUPS = 2
_shuffle = random.SystemRandom().shuffle


def _fmt(value: float | None) -> str:
    """One decimal, in the reader's language (4,2 in Norwegian)."""
    return "–" if value is None else number_format(value, 1)


def _series(periods: list[dict]) -> list[dict]:
    return [
        {
            "key": key,
            "label": str(pulse.LABELS[key]),
            "data": [p["averages"][key] if p["shown"] else None for p in periods],
        }
        for key in pulse.KEYS
    ]


def unit_pulse(user, unit, today: datetime.date) -> dict:
    """The group's pulse page: the period open now, and the trend per period."""
    threshold = municipality_threshold(unit.municipality_id)
    surveys = list(
        Survey.objects.filter(unit_id=unit.pk, kind=pulse.KIND)
        .annotate(answers=Count("responses"))
        .order_by("-opens_on", "-id")[: PERIODS_SHOWN + 1]
    )
    current = next(
        (
            s
            for s in surveys
            if s.status == Survey.Status.OPEN
            and s.opens_on
            and s.opens_on <= today
            and s.closes_on
            and today <= s.closes_on
        ),
        None,
    )
    period_now = pulse.period_for(today, pulse.every_months(unit.municipality_id))
    has_period_pulse = any(s.period == period_now.key for s in surveys)
    is_member = pulse.is_group_member(user, unit)
    answered = bool(
        current is not None
        and is_member
        and Respondent.objects.filter(survey=current, person=user).exists()
    )
    members = (
        RoleAssignment.objects.current(today)
        .filter(unit_id=unit.pk, role__in=PARTY_GROUP_ROLES)
        .values("person_id")
        .distinct()
        .count()
    )

    ended = [s for s in surveys if pulse.has_ended(s, today)][:PERIODS_SHOWN]
    ended.reverse()  # oldest first, as the chart reads
    shown_ids = [s.pk for s in ended if enough(s.answers, max(threshold, s.threshold or 0))]
    sums = pulse.scores_by_survey(shown_ids) if shown_ids else {}
    texts: dict[int, list[str]] = {}
    if shown_ids:
        for survey_id, text in (
            Answer.objects.filter(
                response__survey_id__in=shown_ids, question__key=pulse.IMPROVE_KEY
            )
            .exclude(text="")
            .values_list("response__survey_id", "text")
        ):
            texts.setdefault(survey_id, []).append(text)
    periods = []
    for s in ended:
        shown = s.pk in shown_ids
        own = max(threshold, s.threshold or 0)
        avg = pulse.averages(sums.get(s.pk, {}), own) if shown else {}
        # P7: free text has its own threshold — only when at least that many wrote something
        # (five answers of which two wrote would otherwise show those two texts).
        period_texts = texts.get(s.pk, []) if shown else []
        if not enough(len(period_texts), own):
            period_texts = []
        _shuffle(period_texts)
        periods.append(
            {
                "key": s.period,
                "label": pulse.survey_period_label(s),
                "shown": shown,
                "answers": s.answers if shown else None,
                "averages": avg,
                "cells": [_fmt(avg.get(key)) for key in pulse.KEYS] if shown else [],
                "texts": period_texts,
            }
        )
    chart = {
        "labels": [p["label"] for p in periods],
        "series": _series(periods),
        "min": 1,
        "max": 5,
    }
    return {
        "threshold": threshold,
        "members": members,
        "group_below_threshold": members < threshold,
        "current": current,
        "current_label": pulse.survey_period_label(current) if current else "",
        "answered": answered,
        "is_member": is_member,
        "can_answer": is_member and current is not None and not answered,
        "can_start": is_member and current is None and not has_period_pulse,
        "period_now": period_now,
        "periods": periods,
        "any_shown": any(p["shown"] for p in periods),
        "chart": chart,
        "dimensions": [{"key": k, "label": pulse.LABELS[k]} for k in pulse.KEYS],
        "statements": [{"label": pulse.LABELS[k], "text": pulse.STATEMENTS[k]} for k in pulse.KEYS],
        "periods_with_texts": [p for p in reversed(periods) if p["texts"]],
    }


def steering_pulse(municipality, today: datetime.date) -> dict:
    """P6: the pulse across the municipality, per period: the average per dimension over the
    groups' answers and the number of groups that took part. Never per group.

    A period's averages are shown when it is over, at least the threshold answered in all and
    at least MIN_GROUPS groups count. A group with answers but fewer than the threshold (hidden
    on its own page) is left out when all such groups together are fewer than the threshold:
    otherwise a reader who sees the other groups' pages could subtract them from the total and
    work the small group's answers out. Three queries.
    """
    threshold = municipality_threshold(municipality)
    surveys = list(
        Survey.objects.filter(municipality=municipality, kind=pulse.KIND)
        .filter(pulse.ended_q(today))
        .annotate(answers=Count("responses"))
        .values("pk", "period", "opens_on", "closes_on", "answers", "threshold")
        .order_by("opens_on", "pk")
    )
    by_period: dict[str, list[dict]] = {}
    for s in surveys:
        by_period.setdefault(s["period"], []).append(s)
    keys = list(by_period)[-PERIODS_SHOWN:]
    ids = [s["pk"] for key in keys for s in by_period[key] if s["answers"]]
    sums = pulse.scores_by_survey(ids) if ids else {}
    periods = []
    for key in keys:
        group = [s for s in by_period[key] if s["answers"]]
        own = {s["pk"]: max(threshold, s["threshold"] or 0) for s in group}
        visible = [s for s in group if enough(s["answers"], own[s["pk"]])]
        small = [s for s in group if not enough(s["answers"], own[s["pk"]])]
        small_total = sum(s["answers"] for s in small)
        included = visible + (small if enough(small_total, threshold) else [])
        total = sum(s["answers"] for s in included)
        shown = enough(total, threshold) and len(included) >= MIN_GROUPS
        avg: dict = {}
        if shown:
            combined: dict[str, tuple[int, int]] = {}
            for s in included:
                for k, (value_sum, n) in sums.get(s["pk"], {}).items():
                    old = combined.get(k, (0, 0))
                    combined[k] = (old[0] + value_sum, old[1] + n)
            avg = pulse.averages(combined, threshold)
        first = by_period[key][0]
        periods.append(
            {
                "key": key,
                "label": pulse.period_label(first["opens_on"], first["closes_on"])
                if first["opens_on"] and first["closes_on"]
                else key,
                "groups": len(group),
                "shown": shown,
                "answers": total if shown else None,
                "averages": avg,
                "cells": [_fmt(avg.get(k)) for k in pulse.KEYS] if shown else [],
            }
        )
    return {
        "threshold": threshold,
        "min_groups": MIN_GROUPS,
        "periods": periods,
        "any_shown": any(p["shown"] for p in periods),
        "chart": {"labels": [p["label"] for p in periods], "series": _series(periods)},
        "dimensions": [{"key": k, "label": pulse.LABELS[k]} for k in pulse.KEYS],
    }


def pulses_to_answer(user, today: datetime.date) -> list[Survey]:
    """The open pulses of the person's groups that they have not answered. Two queries (none
    for a person in no party group)."""
    units = party_group_unit_ids(user)
    if not units:
        return []
    open_now = list(
        Survey.objects.filter(
            unit_id__in=list(units),
            kind=pulse.KIND,
            status=Survey.Status.OPEN,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .select_related("unit")
        .order_by("unit__name")
    )
    if not open_now:
        return []
    answered = set(
        Respondent.objects.filter(person=user, survey__in=open_now).values_list(
            "survey_id", flat=True
        )
    )
    result = [s for s in open_now if s.pk not in answered]
    for s in result:
        s.period_label = pulse.survey_period_label(s)
    return result
