"""R13: chairing in rotation. The next chair is suggested from the group's current members:
someone who never chaired first, then whoever chaired least recently, preferring a different
kind of role than the previous chair (R5: the structure rests on roles, not on one person)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import UnitFactory, person_with_role, union
from tests.meetings.conftest import make_meeting
from trepart.meetings import services
from trepart.meetings.selectors import chair_suggestion
from trepart.organisation.models import Role

D = datetime.date
ENDED = {"starts_on": D(2022, 1, 1), "ends_on": D(2023, 12, 31)}


def held(leader, unit, day, chair, cancelled=False):
    meeting = make_meeting(leader, unit, day=day)
    services.chair_set(actor=leader, meeting=meeting, person=chair)
    if cancelled:
        services.meeting_cancel(actor=leader, meeting=meeting, reason="Sykdom")
    return meeting


def test_first_meeting_suggests_a_member(party_group, unit):
    meeting = make_meeting(party_group["leader"], unit, day=D(2026, 1, 6))
    assert chair_suggestion(meeting) in party_group.values()


def test_suggests_a_member_who_never_chaired_preferring_another_role_kind(party_group, unit):
    """After a union rep chaired, a never-chaired leader is preferred over a never-chaired
    union rep, even though the rep sorts first by name."""
    leader = party_group["leader"]
    anne = person_with_role(
        Role.LOCAL_UNION_REP, unit, union=union("Delta"), full_name="Anne Andersen"
    )
    held(leader, unit, D(2026, 1, 6), party_group["rep_ff"])
    meeting = make_meeting(leader, unit, day=D(2026, 2, 3))
    suggestion = chair_suggestion(meeting)
    assert suggestion != party_group["rep_ff"]  # chaired last time
    assert suggestion != anne  # same kind (union) as the previous chair
    assert suggestion == leader


def test_never_chaired_before_least_recently_chaired(party_group, unit):
    leader = party_group["leader"]
    held(leader, unit, D(2026, 1, 6), leader)
    held(leader, unit, D(2026, 2, 3), party_group["rep_ff"])
    held(leader, unit, D(2026, 3, 3), party_group["safety"])
    meeting = make_meeting(leader, unit, day=D(2026, 4, 7))
    assert chair_suggestion(meeting) == party_group["rep_nsf"]  # the only one who never chaired


def test_suggests_the_least_recently_chaired_when_all_have_chaired(party_group, unit):
    leader = party_group["leader"]
    held(leader, unit, D(2026, 1, 6), party_group["safety"])
    held(leader, unit, D(2026, 2, 3), leader)
    held(leader, unit, D(2026, 3, 3), party_group["rep_ff"])
    held(leader, unit, D(2026, 4, 7), party_group["rep_nsf"])
    # Someone chaired twice: only their latest time counts.
    held(leader, unit, D(2026, 5, 5), party_group["safety"])
    meeting = make_meeting(leader, unit, day=D(2026, 6, 2))
    assert chair_suggestion(meeting) == leader


def test_later_meetings_do_not_count(party_group, unit):
    """Suggesting for March ignores who is set to chair in May."""
    leader = party_group["leader"]
    held(leader, unit, D(2026, 1, 6), party_group["rep_ff"])
    held(leader, unit, D(2026, 2, 3), party_group["rep_nsf"])
    held(leader, unit, D(2026, 2, 17), party_group["safety"])
    held(leader, unit, D(2026, 5, 5), leader)
    meeting = make_meeting(leader, unit, day=D(2026, 3, 3))
    assert chair_suggestion(meeting) == leader


def test_an_ended_role_holder_is_never_suggested(party_group, unit):
    """R5: a safety rep whose period has ended, who never chaired, is not suggested."""
    leader = party_group["leader"]
    former = person_with_role(Role.SAFETY_REP, unit, full_name="Aase Avgått", **ENDED)
    future = person_with_role(
        Role.SAFETY_REP,
        unit,
        full_name="Aaron Ankommer",
        starts_on=datetime.date.today() + datetime.timedelta(days=60),
    )
    for i, chair in enumerate(
        [leader, party_group["rep_ff"], party_group["rep_nsf"], party_group["safety"]] * 2
    ):
        held(leader, unit, D(2025, 1, 7) + datetime.timedelta(weeks=4 * i), chair)
    meeting = make_meeting(leader, unit, day=D(2026, 1, 6))
    suggestion = chair_suggestion(meeting)
    assert suggestion not in (former, future)
    assert suggestion == leader


def test_chairs_of_cancelled_meetings_do_not_count(party_group, unit):
    leader = party_group["leader"]
    held(leader, unit, D(2026, 1, 6), leader)
    held(leader, unit, D(2026, 2, 3), party_group["rep_nsf"])
    held(leader, unit, D(2026, 3, 3), party_group["safety"])
    held(leader, unit, D(2026, 4, 7), party_group["rep_ff"], cancelled=True)
    meeting = make_meeting(leader, unit, day=D(2026, 5, 5))
    # Frida's only chairing was cancelled: she has effectively never chaired.
    assert chair_suggestion(meeting) == party_group["rep_ff"]


def test_other_groups_meetings_do_not_count(party_group, unit, municipality):
    leader = party_group["leader"]
    other = UnitFactory(municipality=municipality)
    other_leader = person_with_role(Role.UNIT_LEADER, other)
    # Frida chairs nothing here; a meeting at another unit chaired by someone else is ignored.
    held(other_leader, other, D(2026, 1, 13), other_leader)
    held(leader, unit, D(2026, 1, 6), leader)
    held(leader, unit, D(2026, 2, 3), party_group["rep_nsf"])
    held(leader, unit, D(2026, 3, 3), party_group["safety"])
    meeting = make_meeting(leader, unit, day=D(2026, 4, 7))
    assert chair_suggestion(meeting) == party_group["rep_ff"]


def test_steering_group_rotates_across_its_own_roles(steering_group, party_group):
    """R1/R13: the steering group's chair comes from its members, rotating across the parties."""
    director = steering_group["director"]
    held(director, None, D(2026, 1, 8), steering_group["politician"])
    meeting = make_meeting(director, None, day=D(2026, 3, 5))
    suggestion = chair_suggestion(meeting)
    assert suggestion in steering_group.values()
    assert suggestion not in (steering_group["politician"], steering_group["opposition"])


def test_the_chair_must_be_a_member_of_the_group(
    party_group, unit, employee, municipality, other_municipality
):
    """The service refuses a chair from outside the group, not only from outside the
    municipality (the form's choice list is not the only guard)."""
    leader = party_group["leader"]
    meeting = make_meeting(leader, unit, day=D(2026, 1, 6))
    outsiders = [
        employee,  # works at the unit, but is not in the party group
        person_with_role(Role.SAFETY_REP, unit, **ENDED),  # former member
        person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality),  # steering group
        person_with_role(Role.UNIT_LEADER, UnitFactory(municipality=municipality)),
        person_with_role(Role.UNIT_LEADER, UnitFactory(municipality=other_municipality)),
    ]
    for person in outsiders:
        with pytest.raises(ValidationError):
            services.chair_set(actor=leader, meeting=meeting, person=person)
    meeting.refresh_from_db()
    assert meeting.chair is None
    services.chair_set(actor=leader, meeting=meeting, person=party_group["safety"])
    meeting.refresh_from_db()
    assert meeting.chair == party_group["safety"]
    services.chair_set(actor=leader, meeting=meeting, person=None)
    meeting.refresh_from_db()
    assert meeting.chair is None


def test_a_member_on_the_meeting_day_may_chair_it_after_leaving(party_group, unit):
    """R5: history is kept. Recording last year's chair still works after their period ended."""
    leader = party_group["leader"]
    former = person_with_role(
        Role.SAFETY_REP, unit, starts_on=D(2024, 1, 1), ends_on=D(2025, 6, 30)
    )
    meeting = make_meeting(leader, unit, day=D(2025, 3, 4))
    services.chair_set(actor=leader, meeting=meeting, person=former)
    meeting.refresh_from_db()
    assert meeting.chair == former
