"""The party group's cooperation pulse (P6; R33, R34, R35): a short recurring check answered by
the group's members, shown as trends per group and, above the threshold, in aggregate to the
steering group.

This module holds the pulse's rules: its questions, its periods, who may see and answer it, and
`latest_for_unit()` for the newcomer's onboarding page (continuity). Writes are in
`services_pulse`, reads for the pages in `selectors_pulse`, the daily job in `tasks_pulse`.

Privacy (P7): results of a period are shown only when the period is over (so nobody can work
out one colleague's answer by watching the averages change as answers come in) and only from
at least the survey threshold of answers. Individual answers are never shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trepart.organisation.models import Role
from trepart.organisation.permissions import has_role, party_group_unit_ids
from trepart.surveys.models import Answer, Survey, SurveySettings
from trepart.surveys.thresholds import enough, survey_threshold

KIND = Survey.Kind.COOPERATION_PULSE
DEFAULT_EVERY_MONTHS = 3

# The pulse's comparable questions (Question.key), after the handbook's trust dimensions (R34),
# the stuck check's "do we work on what staff care about?" (R33) and the principles of equal
# standing and equal access to information (R35). Likert 1–5 each: (key, short label, statement).
DIMENSIONS = [
    (
        "fairness",
        _("Fairness"),
        _(
            "Attractive tasks are shared fairly, and the right people are invited when "
            "something important happens."
        ),
    ),
    (
        "trust",
        _("Trust"),
        _("We show each other trust, and the trust we show is returned."),
    ),
    (
        "cooperation",
        _("Cooperation"),
        _("Our meetings and the ways we work together work well."),
    ),
    (
        "equal_footing",
        _("Equal footing"),
        _("In the group we have equal standing and the same access to information."),
    ),
    (
        "staff_priorities",
        _("What staff care about"),
        _("We work on what the staff care about."),
    ),
]
KEYS = [key for key, _label, _text in DIMENSIONS]
LABELS = {key: label for key, label, _text in DIMENSIONS}
STATEMENTS = {key: text for key, _label, text in DIMENSIONS}
IMPROVE_KEY = "improve"
IMPROVE_TEXT = _("What would make our cooperation better?")

LIKERT_CHOICES = [
    (5, _("Strongly agree")),
    (4, _("Agree")),
    (3, _("Neither agree nor disagree")),
    (2, _("Disagree")),
    (1, _("Strongly disagree")),
]


# --- periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One pulse period: blocks of `every` months from January (the last block of a year is
    shorter when `every` does not divide 12)."""

    key: str  # Survey.period: "2026-Q4", "2026-H2", "2026-M12", "2026", "2026-5M3"
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)


def period_label(start: datetime.date, end: datetime.date) -> str:
    # The reports' wording ("Q4 2026", "December 2026", …), so the product says it one way.
    from trepart.reporting.selectors_reports import period_label as label

    return label(start, end)


def every_months(municipality) -> int:
    row = (
        SurveySettings.objects.filter(municipality=municipality).only("pulse_every_months").first()
    )
    months = row.pulse_every_months if row else DEFAULT_EVERY_MONTHS
    return min(12, max(1, months or DEFAULT_EVERY_MONTHS))


def period_for(day: datetime.date, every: int = DEFAULT_EVERY_MONTHS) -> Period:
    every = min(12, max(1, every))
    index = (day.month - 1) // every
    first_month = index * every + 1
    last_month = min(12, first_month + every - 1)
    start = datetime.date(day.year, first_month, 1)
    if last_month == 12:
        end = datetime.date(day.year, 12, 31)
    else:
        end = datetime.date(day.year, last_month + 1, 1) - datetime.timedelta(days=1)
    codes = {12: "", 6: "H", 3: "Q", 1: "M"}
    if every == 12:
        key = str(day.year)
    elif every in codes:
        number = f"{index + 1:02d}" if every == 1 else str(index + 1)
        key = f"{day.year}-{codes[every]}{number}"
    else:
        key = f"{day.year}-{every}M{index + 1}"
    return Period(key=key, start=start, end=end)


def survey_period_label(survey: Survey) -> str:
    if survey.opens_on and survey.closes_on:
        return period_label(survey.opens_on, survey.closes_on)
    return survey.period


def has_ended(survey: Survey, today: datetime.date) -> bool:
    """The period is over (or the pulse was closed): its results are final and may be shown."""
    return survey.status == Survey.Status.CLOSED or (
        survey.closes_on is not None and survey.closes_on < today
    )


def ended_q(today: datetime.date) -> Q:
    return Q(status=Survey.Status.CLOSED) | Q(closes_on__lt=today)


# --- who may do what ------------------------------------------------------------------------


def is_group_member(user, unit) -> bool:
    """R4: a current member of the unit's party group (leaders, local union reps, safety rep)."""
    return (
        user.is_authenticated
        and user.municipality_id == unit.municipality_id
        and unit.pk in party_group_unit_ids(user)
    )


def sees_all_groups(user) -> bool:
    """The municipal administrator and the administration see every group's trends (R7)."""
    return has_role(user, Role.MUNICIPAL_ADMIN, Role.ADMINISTRATION)


def can_view_pulse(user, unit) -> bool:
    """The group's own members, the municipal administrator and the administration; never the
    unit's staff, and never another municipality."""
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return False
    return is_group_member(user, unit) or sees_all_groups(user)


def can_answer_pulse(user, unit) -> bool:
    return is_group_member(user, unit)


def can_start_pulse(user, unit) -> bool:
    return is_group_member(user, unit)


def pulses_visible_to(user):
    """Pulses whose results (trends, never answers) this person may see."""
    if not user.is_authenticated or not user.municipality_id:
        return Survey.objects.none()
    qs = Survey.objects.filter(municipality_id=user.municipality_id, kind=KIND)
    if sees_all_groups(user):
        return qs
    return qs.filter(unit_id__in=party_group_unit_ids(user))


# --- scores ---------------------------------------------------------------------------------


def scores_by_survey(survey_ids) -> dict[int, dict[str, tuple[int, int]]]:
    """{survey id: {key: (sum of values, number of values)}} in one query."""
    rows = (
        Answer.objects.filter(
            response__survey_id__in=list(survey_ids), question__key__in=KEYS, value__isnull=False
        )
        .values("response__survey_id", "question__key")
        .annotate(total=Sum("value"), n=Count("id"))
    )
    found: dict[int, dict[str, tuple[int, int]]] = {}
    for row in rows:
        found.setdefault(row["response__survey_id"], {})[row["question__key"]] = (
            row["total"],
            row["n"],
        )
    return found


def averages(sums: dict[str, tuple[int, int]], threshold: int) -> dict[str, float | None]:
    """The average per dimension; None where fewer than the threshold answered it."""
    result: dict[str, float | None] = {}
    for key in KEYS:
        total, n = sums.get(key, (0, 0))
        result[key] = round(total / n, 2) if n and enough(n, threshold) else None
    return result


def latest_for_unit(unit, user=None) -> dict | None:
    """The latest pulse of the unit's party group, for the newcomer's onboarding page.

    Returns None when the group has had no pulse, or when `user` is given and may not see the
    group's pulse (`can_view_pulse`: the unit's staff never see it). Otherwise
    {"title", "period", "answers" (None unless shown), "shown" (bool: over and at or above the
     threshold), "url" or None,
     "scores": [{"key", "label", "average" (float 1-5)}] (empty unless shown)}.
    A fixed number of queries.

    The latest pulse whose period is over is preferred (its results are final); an open pulse
    only when the group has no finished one. "shown" is also False while the period runs: the
    results are shown when it is over (see the module's docstring). Three queries at most.
    """
    if user is not None and not can_view_pulse(user, unit):
        return None
    today = timezone.localdate()
    recent = list(
        Survey.objects.filter(unit_id=unit.pk, kind=KIND)
        .annotate(answers=Count("responses"))
        .order_by("-opens_on", "-id")[:2]
    )
    if not recent:
        return None
    survey = next((s for s in recent if has_ended(s, today)), recent[0])
    threshold = survey_threshold(survey)
    shown = has_ended(survey, today) and enough(survey.answers, threshold)
    scores = []
    if shown:
        avg = averages(scores_by_survey([survey.pk]).get(survey.pk, {}), threshold)
        scores = [
            {"key": key, "label": str(LABELS[key]), "average": avg[key]}
            for key in KEYS
            if avg[key] is not None
        ]
    return {
        "title": survey.title,
        "period": survey_period_label(survey),
        # P7: below the threshold (or while the period runs) not even the count.
        "answers": survey.answers if shown else None,
        "shown": shown,
        "url": reverse("surveys:pulse_unit", args=[unit.pk]),
        "scores": scores,
    }
