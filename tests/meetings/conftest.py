"""Shared fixtures for the meetings tests: a party group at `unit`, a steering group, and
helpers that create meetings and bring their minutes to a publishable state."""

import datetime

import pytest

from tests.factories import person_with_role, presence, union
from trepart.meetings import services
from trepart.meetings.models import Attendance, Meeting
from trepart.organisation.models import Role

DAY = datetime.date(2026, 3, 3)  # a Tuesday
START = datetime.time(14, 0)
END = datetime.time(15, 0)


@pytest.fixture
def party_group(unit):
    """R4: the unit leader, a local rep from each union present and the safety rep."""
    presence(unit, "Fagforbundet")
    presence(unit, "NSF")
    return {
        "leader": person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder"),
        "rep_ff": person_with_role(
            Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet"), full_name="Frida Fagforbund"
        ),
        "rep_nsf": person_with_role(
            Role.LOCAL_UNION_REP, unit, union=union("NSF"), full_name="Nils Sykepleier"
        ),
        "safety": person_with_role(Role.SAFETY_REP, unit, full_name="Vera Verneombud"),
    }


@pytest.fixture
def leader(party_group):
    return party_group["leader"]


@pytest.fixture
def steering_group(municipality):
    """R1: politicians (position and opposition), administration, chief reps."""
    return {
        "politician": person_with_role(
            Role.POLITICIAN, municipality=municipality, side="position", full_name="Per Politiker"
        ),
        "opposition": person_with_role(
            Role.POLITICIAN,
            municipality=municipality,
            side="opposition",
            full_name="Oda Opposisjon",
        ),
        "director": person_with_role(
            Role.ADMINISTRATION, municipality=municipality, full_name="Kristin Kommunedirektør"
        ),
        "chief_rep": person_with_role(
            Role.CHIEF_UNION_REP, municipality=municipality, full_name="Hanne Hovedtillitsvalgt"
        ),
        "chief_safety": person_with_role(
            Role.CHIEF_SAFETY_REP, municipality=municipality, full_name="Hans Hovedverneombud"
        ),
    }


def make_meeting(actor, unit, day=DAY, title="Partsgruppemøte", kind="development") -> Meeting:
    municipality = unit.municipality if unit is not None else actor.municipality
    return services.meeting_create(
        actor=actor,
        municipality=municipality,
        unit=unit,
        title=title,
        kind=kind,
        day=day,
        start_time=START,
        end_time=END,
    )


def close_all_items(actor, meeting, way_forward="Vi følger opp på neste møte."):
    """Give every open item a summary and way forward (keeping what is written) and close it."""
    for item in meeting.items.exclude(status="closed"):
        item = services.item_minutes_save(
            actor=actor,
            item=item,
            revision=item.revision,
            summary=item.summary or f"Samtale om {item.title}.",
            way_forward=item.way_forward or way_forward,
            decisions=item.decisions,
        )
        services.item_close(actor=actor, item=item)


def record_attendance(actor, meeting, members):
    services.attendance_record(
        actor=actor,
        meeting=meeting,
        statuses={p: (Attendance.Status.PRESENT, "") for p in members},
        guests=[],
    )


def publishable(actor, meeting, members):
    """Write and close every item and record attendance: ready to publish."""
    close_all_items(actor, meeting)
    record_attendance(actor, meeting, members)
    meeting.refresh_from_db()
    return meeting
