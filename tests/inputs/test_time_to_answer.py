"""P3: time to answer is tracked. Open input without an answer after the municipality's N days
(default 30) is flagged to the group and counted in the steering group's overview, with the
median days to answer (R21, R23)."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, person_with_role
from tests.inputs.conftest import age, answered_after, logged_in, submit
from trepart.inputs import selectors, services
from trepart.organisation.models import Role


@pytest.fixture
def thirty_days(municipality):
    municipality.input_answer_days = 30
    municipality.save()
    return municipality


@pytest.fixture
def aged(unit, leader, thirty_days):
    """Open inputs 31, 30 and 29 days old, an open one under consideration 40 days old, and
    one 45 days old that is answered."""
    items = {
        days: age(submit(unit, f"Innspill sendt for {days} dager siden")[0], days)
        for days in (31, 30, 29, 40, 45)
    }
    services.input_consider(actor=leader, item=items[40])
    answered_after(items[45], leader, days=5)
    for item in items.values():
        item.refresh_from_db()
    return items


def test_input_overdue_after_the_municipalitys_days(aged):
    assert aged[31].is_overdue()
    assert aged[40].is_overdue()
    assert not aged[30].is_overdue()  # due today
    assert not aged[29].is_overdue()
    assert not aged[45].is_overdue()  # closed input is never overdue
    assert aged[29].answer_due_on() == aged[29].submitted_on + datetime.timedelta(days=30)


def test_input_overdue_counted_for_the_group(aged, unit, leader):
    data = selectors.unit_inputs(leader, unit)
    assert data["counts"]["overdue"] == 2
    assert data["counts"]["open"] == 4 and data["counts"]["closed"] == 1
    (summary,) = selectors.group_summaries(leader)
    assert summary["unit"] == unit
    assert (summary["new"], summary["open"], summary["overdue"]) == (3, 4, 2)
    body = logged_in(leader).get(reverse("inputs:unit_inputs", args=[unit.pk])).content.decode()
    assert "2 inputs have waited" in body
    home = logged_in(leader).get(reverse("home:home")).content.decode()
    assert "2 waiting too long" in home


def test_input_overdue_counted_in_the_steering_overview(aged, unit, municipality, steering_group):
    other = UnitFactory(municipality=municipality, name="Andre enhet")
    age(submit(other, "Et ferskt innspill")[0], 3)
    overview = selectors.input_overview(municipality)
    assert overview["overdue_total"] == 2 and overview["open_total"] == 5
    assert overview["answer_days"] == 30
    rows = {r["unit"].pk: r for r in overview["rows"]}
    assert (rows[unit.pk]["overdue"], rows[unit.pk]["open"], rows[unit.pk]["received"]) == (2, 4, 5)
    assert rows[other.pk]["overdue"] == 0 and rows[other.pk]["open"] == 1

    page = logged_in(steering_group["politician"]).get(reverse("organisation:steering_group"))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<strong class="overdue-count">2</strong>' in body
    assert "2 waiting too long" in body
    # Counts only, never texts.
    assert "Innspill sendt for" not in body


def test_steering_group_lists_the_units_where_input_waits_longest(
    aged, unit, municipality, steering_group, monkeypatch
):
    """Issue 14: the steering group's page lists at most LISTED_UNITS units, those with input
    waiting too long first, then most waiting; the totals still count every unit."""
    monkeypatch.setattr(selectors, "LISTED_UNITS", 2)
    waiting = UnitFactory(municipality=municipality, name="Aaa venter")
    age(submit(waiting, "Et ferskt innspill")[0], 3)
    quiet = UnitFactory(municipality=municipality, name="Aaa stille")
    overview = selectors.input_overview(municipality)
    assert [r["unit"] for r in overview["listed"]] == [unit, waiting]
    assert overview["not_listed"] == len(overview["rows"]) - 2 >= 1
    assert quiet in [r["unit"] for r in overview["rows"]]
    assert overview["open_total"] == 5

    page = logged_in(steering_group["politician"]).get(reverse("organisation:steering_group"))
    body = page.content.decode()
    assert "Aaa venter" in body and "Aaa stille" not in body
    assert "is not listed here" in body or "are not listed here" in body


def test_input_overdue_follows_the_municipalitys_setting(aged, unit, leader, municipality):
    municipality.input_answer_days = 60
    municipality.save()
    unit.municipality.refresh_from_db()
    assert selectors.unit_inputs(leader, unit)["counts"]["overdue"] == 0
    assert selectors.input_overview(municipality)["overdue_total"] == 0


def test_input_overview_median_days_to_answer(unit, leader, municipality, thirty_days):
    other = UnitFactory(municipality=municipality, name="Andre enhet")
    other_leader = person_with_role(Role.UNIT_LEADER, other)
    for days in (2, 4, 10):
        answered_after(age(submit(unit, f"Svar etter {days}")[0], 60), leader, days=days)
    answered_after(age(submit(other, "Svar etter 20")[0], 60), other_leader, days=20)
    # Answered more than a year ago: not in the last twelve months.
    answered_after(age(submit(unit, "Gammelt")[0], 500), leader, days=1)
    overview = selectors.input_overview(municipality)
    rows = {r["unit"].pk: r for r in overview["rows"]}
    assert (rows[unit.pk]["answered"], rows[unit.pk]["median_days"]) == (3, 4)
    assert (rows[other.pk]["answered"], rows[other.pk]["median_days"]) == (1, 20)
    assert overview["median_days"] == 7  # median of 2, 4, 10, 20
    assert overview["overdue_total"] == 0


def test_input_overview_without_answers_has_no_median(unit, municipality):
    submit(unit)
    overview = selectors.input_overview(municipality)
    assert overview["median_days"] is None
    assert all(r["median_days"] is None for r in overview["rows"])


def test_input_leader_message_not_counted_as_group_overdue(unit, leader, municipality, thirty_days):
    age(submit(unit, "Lønnstillegg for meg", to_leader=True)[0], 40)
    assert selectors.unit_inputs(leader, unit)["counts"]["overdue"] == 0
    assert selectors.input_overview(municipality)["overdue_total"] == 0
    (summary,) = selectors.group_summaries(leader)
    assert summary["overdue"] == 0 and summary["leader_open"] == 1


def test_input_hidden_not_counted_as_overdue_in_the_steering_overview(
    unit, leader, municipality, thirty_days
):
    """A hidden (abusive) input cannot be answered, so it must not count as open or 'waiting
    too long' anywhere – the group's list, the home page and the steering overview agree."""
    item = age(submit(unit, "Et sjikanøst innspill")[0], 40)
    services.input_hide(actor=leader, item=item, reason="Sjikane")
    assert selectors.unit_inputs(leader, unit)["counts"]["overdue"] == 0
    assert selectors.group_summaries(leader)[0]["overdue"] == 0
    overview = selectors.input_overview(municipality)
    assert overview["overdue_total"] == 0
    assert overview["open_total"] == 0
    assert overview["received_total"] == 0
