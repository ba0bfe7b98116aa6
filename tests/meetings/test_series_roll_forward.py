"""R10: fixed, known meeting times, also in a series' second year and after.

`series_roll_forward(today)` (run by `manage.py daily`) keeps every active series' meetings a
year ahead, so a monthly series always has at least its next twelve meetings. It is idempotent,
never recreates a moved or cancelled meeting (matched on `series_date`), never creates meetings
in the past, leaves ended series alone, and gives new meetings the standing items (R11).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.meetings.conftest import END, START
from trepart.meetings import services
from trepart.meetings.models import AgendaItem, Meeting, MeetingSeries
from trepart.meetings.schedule import Rule, occurrence_dates

D = datetime.date
TUE, THU = 1, 3
OSLO = ZoneInfo("Europe/Oslo")
CREATED_ON = D(2026, 1, 1)
# Two years on, and the day after a meeting whose counterpart a year later falls four days
# after today + 366 (first Tuesday: 1 Feb 2028, 6 Feb 2029).
TWO_YEARS_ON = D(2028, 2, 2)


def _series(unit, leader, **overrides):
    fields = {
        "title": "Partsgruppemøte",
        "kind": "development",
        "frequency": "monthly",
        "ordinal": 1,
        "weekday": TUE,
        "interval_weeks": 2,
        "start_time": START,
        "end_time": END,
        "starts_on": CREATED_ON,
    }
    fields.update(overrides)
    return MeetingSeries.objects.create(
        municipality=unit.municipality if unit else leader.municipality,
        unit=unit,
        created_by=leader,
        **fields,
    )


def _next_dates(series, today, n):
    rule = Rule(series.frequency, series.weekday, series.ordinal, series.interval_weeks)
    return occurrence_dates(rule, today, today + datetime.timedelta(days=800))[:n]


@pytest.fixture
def all_kinds(unit, leader, steering_group):
    """Active monthly, last-weekday, fortnightly and steering series, and one that ended."""
    return {
        "monthly": _series(unit, leader),
        "last_thursday": _series(unit, leader, title="Siste torsdag", ordinal=-1, weekday=THU),
        "fortnightly": _series(unit, leader, title="Annenhver uke", frequency="weekly"),
        "steering": _series(
            None, steering_group["director"], title="Styringsgruppe", kind="dialogue"
        ),
        "ended": _series(unit, leader, title="Avsluttet", ends_on=D(2026, 6, 30)),
    }


def test_r10_two_years_on_every_active_series_has_its_next_twelve_meetings(all_kinds):
    services.series_roll_forward(CREATED_ON)  # what series_create does
    first_year_until = services.series_horizon(CREATED_ON)

    result = services.series_roll_forward(TWO_YEARS_ON)

    assert result.until == D(2029, 2, 28)
    for name, series in all_kinds.items():
        upcoming = set(
            series.meetings.filter(series_date__gte=TWO_YEARS_ON).values_list(
                "series_date", flat=True
            )
        )
        if name == "ended":
            assert upcoming == set()
            assert series.meetings.filter(series_date__gt=D(2026, 6, 30)).count() == 0
            continue
        assert set(_next_dates(series, TWO_YEARS_ON, 12)) <= upcoming, name
        assert len(upcoming) >= 12
        # Missed days in the past are not filled in afterwards.
        assert not series.meetings.filter(
            series_date__gt=first_year_until, series_date__lt=TWO_YEARS_ON
        ).exists()
    # The first Tuesday of February 2029 (6 Feb) is beyond today + 366 days, and is there.
    assert all_kinds["monthly"].meetings.filter(series_date=D(2029, 2, 6)).exists()
    assert result.extended == 4 and result.series == 4  # the ended series is not looked at


def test_r11_rolled_forward_meetings_get_the_standing_items(all_kinds):
    services.series_roll_forward(TWO_YEARS_ON)
    created = Meeting.objects.filter(series__isnull=False)
    assert created.exists()
    for meeting in created:
        items = list(meeting.items.all())
        # A party group has four standing items (R11); the steering group one, the units'
        # reports and questions (R31), plus the themes it chose (R3).
        assert len(items) == (4 if meeting.unit_id else 1) and all(i.standing for i in items)
        assert meeting.starts_at.astimezone(OSLO).time() == START
        assert meeting.title == meeting.series.title


def test_r10_roll_forward_is_idempotent(all_kinds):
    first = services.series_roll_forward(TWO_YEARS_ON)
    meetings, items = Meeting.objects.count(), AgendaItem.objects.count()
    assert first.created == meetings > 0

    again = services.series_roll_forward(TWO_YEARS_ON)

    assert again.created == 0 and again.extended == 0
    assert (Meeting.objects.count(), AgendaItem.objects.count()) == (meetings, items)
    # The next day adds at most the dates that came within reach, each once.
    next_day = services.series_roll_forward(TWO_YEARS_ON + datetime.timedelta(days=1))
    assert Meeting.objects.count() == meetings + next_day.created
    for series in all_kinds.values():
        dates = list(series.meetings.values_list("series_date", flat=True))
        assert len(dates) == len(set(dates))


def test_r10_moved_and_cancelled_meetings_are_never_recreated(unit, leader):
    series = _series(unit, leader)
    services.series_roll_forward(CREATED_ON)
    march = series.meetings.get(series_date=D(2026, 3, 3))
    april = series.meetings.get(series_date=D(2026, 4, 7))
    services.meeting_move(
        actor=leader,
        meeting=march,
        day=D(2026, 3, 5),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
        location="Kantina",
    )
    services.meeting_cancel(actor=leader, meeting=april, reason="Påskeferie")
    count = series.meetings.count()

    for day in (CREATED_ON, D(2026, 2, 15), D(2026, 3, 4), D(2026, 4, 1)):
        services.series_roll_forward(day)

    assert series.meetings.filter(series_date=D(2026, 3, 3)).count() == 1
    assert series.meetings.filter(series_date=D(2026, 4, 7)).count() == 1
    assert not series.meetings.filter(starts_at__date=D(2026, 3, 3)).exists()
    march.refresh_from_db()
    april.refresh_from_db()
    assert march.starts_at.date() == D(2026, 3, 5)
    assert april.status == Meeting.Status.CANCELLED
    # Only the months that came within reach were added: February, March and April 2027.
    assert series.meetings.count() == count + 3


def test_r10_a_series_that_starts_later_begins_on_its_first_date(unit, leader):
    later = _series(unit, leader, starts_on=D(2026, 9, 1))
    far = _series(unit, leader, title="Om to år", starts_on=D(2028, 1, 1))
    services.series_roll_forward(CREATED_ON)
    assert later.meetings.order_by("series_date").first().series_date == D(2026, 9, 1)
    assert not far.meetings.exists()


def test_roll_forward_queries_do_not_grow_with_the_number_of_series(unit, leader):
    """The existing series dates are loaded once for all series, not once per series."""

    def queries_for_a_day_with_nothing_to_do():
        services.series_roll_forward(TWO_YEARS_ON)
        with CaptureQueriesContext(connection) as ctx:
            assert services.series_roll_forward(TWO_YEARS_ON).created == 0
        return len(ctx.captured_queries)

    _series(unit, leader)
    one = queries_for_a_day_with_nothing_to_do()
    for i in range(5):
        _series(unit, leader, title=f"Serie {i}", ordinal=1 + i % 4)
    assert queries_for_a_day_with_nothing_to_do() == one
