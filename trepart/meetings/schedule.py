"""Schedule generation for meeting series (R10: fixed, known meeting times).

Dates are computed in local calendar terms and combined with the local wall-clock time in the
municipality's zone (Europe/Oslo), so a 14:00 meeting stays at 14:00 across daylight-saving
changes.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

ZONE = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Rule:
    frequency: str  # "monthly" or "weekly"
    weekday: int  # 0 = Monday
    ordinal: int = 1  # for monthly: 1–4, or -1 for the last such weekday of the month
    interval_weeks: int = 1  # for weekly


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> datetime.date:
    """The nth (or last, ordinal -1) given weekday of a month."""
    if ordinal == -1:
        last_day = calendar.monthrange(year, month)[1]
        d = datetime.date(year, month, last_day)
        return d - datetime.timedelta(days=(d.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset + 7 * (ordinal - 1))


def occurrence_dates(rule: Rule, start: datetime.date, until: datetime.date) -> list[datetime.date]:
    """All dates of the rule from `start` to `until`, both included."""
    dates = []
    if rule.frequency == "monthly":
        year, month = start.year, start.month
        while True:
            d = nth_weekday(year, month, rule.weekday, rule.ordinal)
            if d > until and (year, month) > (until.year, until.month):
                break
            if start <= d <= until:
                dates.append(d)
            month += 1
            if month > 12:
                year, month = year + 1, 1
    elif rule.frequency == "weekly":
        d = start + datetime.timedelta(days=(rule.weekday - start.weekday()) % 7)
        step = datetime.timedelta(weeks=max(1, rule.interval_weeks))
        while d <= until:
            dates.append(d)
            d += step
    else:
        raise ValueError(f"unknown frequency {rule.frequency!r}")
    return dates


def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """An aware datetime for a local wall-clock time on a day (Europe/Oslo)."""
    return datetime.datetime.combine(day, time, tzinfo=ZONE)
