"""R10: fixed, known meeting times. Series produce the same dates every time, keep the local
wall-clock time across daylight-saving changes, and never recreate a moved or cancelled meeting.
R11: every generated meeting starts with the group's standing items."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.meetings.conftest import END, START
from trepart.meetings import services
from trepart.meetings.models import AgendaItem, Meeting, MeetingSeries
from trepart.meetings.schedule import Rule, local_datetime, nth_weekday, occurrence_dates

D = datetime.date
MON, TUE, WED, THU, FRI, SUN = 0, 1, 2, 3, 4, 6
OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.UTC


# --- pure date rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "weekday", "ordinal", "expected"),
    [
        # R10 "first Tuesday monthly" (the product's default example)
        (2026, 3, TUE, 1, D(2026, 3, 3)),
        (2026, 9, TUE, 1, D(2026, 9, 1)),  # the month starts on a Tuesday
        (2026, 2, TUE, 1, D(2026, 2, 3)),
        (2026, 3, TUE, 2, D(2026, 3, 10)),
        (2026, 3, TUE, 3, D(2026, 3, 17)),
        # Months with five Tuesdays: the 4th is not the last.
        (2026, 3, TUE, 4, D(2026, 3, 24)),
        (2026, 3, TUE, -1, D(2026, 3, 31)),
        (2026, 6, TUE, 4, D(2026, 6, 23)),
        (2026, 6, TUE, -1, D(2026, 6, 30)),
        (2026, 9, TUE, -1, D(2026, 9, 29)),
        (2026, 12, TUE, -1, D(2026, 12, 29)),
        # A month with four Tuesdays: 4th == last.
        (2026, 2, TUE, 4, D(2026, 2, 24)),
        (2026, 2, TUE, -1, D(2026, 2, 24)),
        # February in a leap year (2028) and a common year (2027).
        (2028, 2, FRI, -1, D(2028, 2, 25)),
        (2028, 2, TUE, -1, D(2028, 2, 29)),  # the leap day itself
        (2027, 2, FRI, -1, D(2027, 2, 26)),
        (2027, 2, SUN, -1, D(2027, 2, 28)),  # the month's last day
        (2027, 2, MON, -1, D(2027, 2, 22)),
        # Year end.
        (2026, 12, THU, -1, D(2026, 12, 31)),
        (2026, 12, FRI, -1, D(2026, 12, 25)),
    ],
)
def test_nth_weekday_including_last_at_month_ends(year, month, weekday, ordinal, expected):
    """R10: the nth weekday of a month, and the last one (ordinal -1)."""
    assert nth_weekday(year, month, weekday, ordinal) == expected


def test_monthly_last_tuesday_for_a_year_falls_in_the_last_week_of_every_month():
    dates = occurrence_dates(Rule("monthly", TUE, ordinal=-1), D(2026, 1, 1), D(2026, 12, 31))
    assert len(dates) == 12
    for d in dates:
        assert d.weekday() == TUE
        assert (d + datetime.timedelta(days=7)).month != d.month
    assert D(2026, 3, 31) in dates and D(2026, 6, 30) in dates


def test_monthly_last_friday_over_february_in_leap_and_common_years():
    rule = Rule("monthly", FRI, ordinal=-1)
    assert occurrence_dates(rule, D(2027, 2, 1), D(2027, 3, 1)) == [D(2027, 2, 26)]
    assert occurrence_dates(rule, D(2028, 2, 1), D(2028, 3, 1)) == [D(2028, 2, 25)]


def test_monthly_start_and_until_bounds_are_inclusive_and_respected():
    """R10: a series starting after this month's date begins next month; `until` is included."""
    rule = Rule("monthly", TUE, ordinal=1)
    # Starts the day after the first Tuesday of March: March is skipped.
    assert occurrence_dates(rule, D(2026, 3, 4), D(2026, 6, 2)) == [
        D(2026, 4, 7),
        D(2026, 5, 5),
        D(2026, 6, 2),  # == until: included
    ]
    # Starting on the date itself includes it; ending the day before excludes the last.
    assert occurrence_dates(rule, D(2026, 3, 3), D(2026, 6, 1)) == [
        D(2026, 3, 3),
        D(2026, 4, 7),
        D(2026, 5, 5),
    ]
    assert occurrence_dates(rule, D(2026, 3, 4), D(2026, 3, 31)) == []


def test_monthly_last_weekday_after_until_in_the_same_month_is_excluded():
    rule = Rule("monthly", TUE, ordinal=-1)
    assert occurrence_dates(rule, D(2026, 1, 1), D(2026, 3, 30)) == [D(2026, 1, 27), D(2026, 2, 24)]


def test_monthly_crosses_the_year_end():
    rule = Rule("monthly", WED, ordinal=2)
    assert occurrence_dates(rule, D(2026, 11, 1), D(2027, 2, 28)) == [
        D(2026, 11, 11),
        D(2026, 12, 9),
        D(2027, 1, 13),
        D(2027, 2, 10),
    ]


def test_weekly_every_n_weeks_from_the_first_matching_weekday():
    # Starts on a Wednesday; Thursday every second week.
    dates = occurrence_dates(Rule("weekly", THU, interval_weeks=2), D(2026, 3, 4), D(2026, 4, 30))
    assert dates == [D(2026, 3, 5), D(2026, 3, 19), D(2026, 4, 2), D(2026, 4, 16), D(2026, 4, 30)]
    assert all(d.weekday() == THU for d in dates)


def test_weekly_every_week_and_every_third_week():
    every = occurrence_dates(Rule("weekly", MON, interval_weeks=1), D(2026, 3, 2), D(2026, 3, 30))
    assert every == [D(2026, 3, d) for d in (2, 9, 16, 23, 30)]
    third = occurrence_dates(Rule("weekly", MON, interval_weeks=3), D(2026, 3, 2), D(2026, 4, 30))
    assert third == [D(2026, 3, 2), D(2026, 3, 23), D(2026, 4, 13)]


def test_weekly_until_before_the_first_date_gives_nothing():
    assert (
        occurrence_dates(Rule("weekly", FRI, interval_weeks=2), D(2026, 3, 2), D(2026, 3, 5)) == []
    )


def test_unknown_frequency_is_an_error():
    with pytest.raises(ValueError):
        occurrence_dates(Rule("yearly", MON), D(2026, 1, 1), D(2026, 12, 31))


# --- daylight saving (Europe/Oslo) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (D(2026, 3, 24), 13),  # before the March change (CET, UTC+1)
        (D(2026, 3, 31), 12),  # after it (CEST, UTC+2)
        (D(2026, 10, 20), 12),  # before the October change (CEST)
        (D(2026, 10, 27), 13),  # after it (CET)
    ],
)
def test_local_datetime_keeps_wall_clock_time_across_dst(day, utc_hour):
    """R10: 14:00 stays 14:00 in Oslo; only the UTC hour moves."""
    value = local_datetime(day, datetime.time(14, 0))
    assert value.astimezone(OSLO).time() == datetime.time(14, 0)
    assert value.astimezone(UTC).hour == utc_hour


# --- series_generate ---------------------------------------------------------------------------


def _series(leader, unit, **overrides):
    fields = {
        "title": "Partsgruppemøte",
        "kind": "development",
        "frequency": "monthly",
        "ordinal": 1,
        "weekday": TUE,
        "interval_weeks": 2,
        "start_time": START,
        "end_time": END,
        "location": "Møterom 2",
        "starts_on": D(2026, 1, 1),
    }
    fields.update(overrides)
    return MeetingSeries.objects.create(
        municipality=unit.municipality, unit=unit, created_by=leader, **fields
    )


def test_series_meetings_keep_14_local_on_both_sides_of_both_dst_changes(leader, unit):
    series = _series(leader, unit, ordinal=-1, starts_on=D(2026, 3, 1))
    services.series_generate(series, until=D(2026, 10, 31))
    by_date = {m.series_date: m for m in series.meetings.all()}
    for day, utc_hour in [
        (D(2026, 3, 31), 12),  # last Tuesday of March: after the change on 29 March
        (D(2026, 10, 27), 13),  # last Tuesday of October: after the change on 25 October
        (D(2026, 9, 29), 12),  # summer time
    ]:
        meeting = by_date[day]
        assert meeting.starts_at.astimezone(OSLO).time() == datetime.time(14, 0)
        assert meeting.ends_at.astimezone(OSLO).time() == datetime.time(15, 0)
        assert meeting.starts_at.astimezone(UTC).hour == utc_hour

    weekly = _series(
        leader,
        unit,
        title="Annenhver uke",
        frequency="weekly",
        weekday=TUE,
        interval_weeks=1,
        starts_on=D(2026, 3, 24),
    )
    services.series_generate(weekly, until=D(2026, 3, 31))
    hours = [m.starts_at.astimezone(UTC).hour for m in weekly.meetings.order_by("starts_at")]
    assert hours == [13, 12]
    assert {m.starts_at.astimezone(OSLO).hour for m in weekly.meetings.all()} == {14}


def test_series_generate_twice_creates_nothing_twice(leader, unit):
    series = _series(leader, unit)
    first = services.series_generate(series, until=D(2026, 6, 30))
    assert [m.series_date for m in first] == [
        D(2026, m, d) for m, d in ((1, 6), (2, 3), (3, 3), (4, 7), (5, 5), (6, 2))
    ]
    items = AgendaItem.objects.filter(meeting__series=series).count()
    assert services.series_generate(series, until=D(2026, 6, 30)) == []
    assert series.meetings.count() == 6
    assert AgendaItem.objects.filter(meeting__series=series).count() == items
    # Extending the horizon adds only the new dates.
    more = services.series_generate(series, until=D(2026, 8, 31))
    assert [m.series_date for m in more] == [D(2026, 7, 7), D(2026, 8, 4)]


def test_moved_and_cancelled_meetings_are_not_recreated(leader, unit):
    """A moved meeting keeps its series date; a cancelled one stays cancelled."""
    series = _series(leader, unit)
    services.series_generate(series, until=D(2026, 4, 30))
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

    assert services.series_generate(series, until=D(2026, 4, 30)) == []
    assert series.meetings.count() == 4
    march.refresh_from_db()
    assert march.series_date == D(2026, 3, 3)
    assert march.starts_at.astimezone(OSLO).date() == D(2026, 3, 5)
    assert march.starts_at.astimezone(OSLO).time() == datetime.time(9, 0)
    assert series.meetings.filter(starts_at__date=D(2026, 3, 3)).count() == 0
    april.refresh_from_db()
    assert april.status == Meeting.Status.CANCELLED
    assert series.meetings.filter(series_date=D(2026, 4, 7)).count() == 1


def test_series_ends_on_is_respected(leader, unit):
    series = _series(leader, unit, ends_on=D(2026, 4, 6))
    created = services.series_generate(series, until=D(2026, 12, 31))
    assert [m.series_date for m in created] == [D(2026, 1, 6), D(2026, 2, 3), D(2026, 3, 3)]
    # ends_on on the meeting day itself includes it.
    series.ends_on = D(2026, 4, 7)
    series.save()
    assert [m.series_date for m in services.series_generate(series, until=D(2026, 12, 31))] == [
        D(2026, 4, 7)
    ]


def test_series_create_generates_the_coming_year_with_standing_items(leader, unit):
    """R10 + R11 through the service the view uses."""
    series = services.series_create(
        actor=leader,
        municipality=unit.municipality,
        unit=unit,
        title="Partsgruppemøte",
        kind="development",
        frequency="monthly",
        ordinal=1,
        weekday=TUE,
        interval_weeks=2,
        start_time=START,
        end_time=END,
        location="",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    assert series.meetings.count() == 12
    assert all(m.items.filter(standing=True).exists() for m in series.meetings.all())


def test_standing_items_are_prefilled_with_how_are_things_first(leader, unit):
    """R11: "How are things with us?" is the first item of every generated meeting."""
    series = _series(leader, unit)
    created = services.series_generate(series, until=D(2026, 3, 31))
    with translation.override(unit.municipality.default_language):
        first_title = gettext("How are things with us?")
    for meeting in created:
        items = list(meeting.items.order_by("order", "id"))
        assert len(items) == 4
        assert items[0].title == first_title
        assert all(it.standing for it in items)
        assert all(it.kind == "development" for it in items)
        assert all(it.status == AgendaItem.Status.ACCEPTED for it in items)
    # A standing item added later is on meetings generated after that, at the end.
    services.standing_item_add(
        actor=leader, municipality=unit.municipality, unit=unit, title="Status for turnusforsøket"
    )
    later = services.series_generate(series, until=D(2026, 4, 30))
    titles = list(later[0].items.order_by("order", "id").values_list("title", flat=True))
    assert titles[0] == first_title
    assert titles[-1] == "Status for turnusforsøket"
