"""Reads of the organisation app: what the unit and steering group pages list as history (R5)."""

import datetime

import pytest

from tests.factories import person_with_role
from trepart.organisation import selectors
from trepart.organisation.models import Role

TODAY = datetime.date.today()
LATER = TODAY + datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def _days_of_this_test():
    """The days are those of the test's run, not of collection (a run over midnight)."""
    global TODAY, LATER
    TODAY = datetime.date.today()
    LATER = TODAY + datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_unit_history_lists_earlier_holders_not_those_starting_later(unit):
    earlier = person_with_role(
        Role.SAFETY_REP,
        unit,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )
    current = person_with_role(Role.SAFETY_REP, unit)
    upcoming = person_with_role(Role.UNIT_LEADER, unit, starts_on=LATER)
    ending_today = person_with_role(Role.UNIT_LEADER, unit, ends_on=TODAY)

    detail = selectors.unit_detail(unit)

    assert [a.person for a in detail["history"]] == [earlier]
    holders = {a.person for g in detail["groups"] for a in g["holders"]}
    assert holders == {current, ending_today}
    assert upcoming not in holders


def test_steering_group_history_lists_earlier_members_not_those_starting_later(municipality):
    earlier = person_with_role(
        Role.CHIEF_SAFETY_REP,
        municipality=municipality,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )
    current = person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality)
    person_with_role(Role.ADMINISTRATION, municipality=municipality, starts_on=LATER)

    detail = selectors.steering_group_detail(municipality)

    assert [a.person for a in detail["history"]] == [earlier]
    assert {a.person for g in detail["groups"] for a in g["holders"]} == {current}
