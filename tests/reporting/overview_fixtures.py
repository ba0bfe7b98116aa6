"""A small municipality whose steering-overview figures are computed by hand (issue 11 point 2).

TODAY is 15 May 2026 (Q2 2026). The trend covers Q1 2025 … Q2 2026. The answer time is 10
days. Units: Ulvik omsorg (U1) and Vik omsorg (U2) in "Helse", Ås skole (U3) in "Oppvekst".
The expected numbers are written next to each record in the comments and collected in
EXPECTED; the tests compare the overview (and the Excel file) with them.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    MunicipalityFactory,
    ServiceAreaFactory,
    UnitFactory,
    complete_party_group,
    person_with_role,
)
from trepart.inputs.models import Audience, Input, Status
from trepart.measures.models import Measure, Stage
from trepart.meetings.models import Meeting
from trepart.organisation.models import Role
from trepart.reporting.models import ReportVersion, SteeringQuestion, UnitReport

TODAY = datetime.date(2026, 5, 15)
D = datetime.date


def at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def meeting(unit, day, status=Meeting.Status.HELD, municipality=None, **kw):
    return Meeting.objects.create(
        municipality=municipality or unit.municipality,
        unit=unit,
        title="Partsgruppemøte",
        kind="development",
        starts_at=at(day),
        ends_at=at(day, 15),
        status=status,
        **kw,
    )


def an_input(unit, submitted, answered=None, status=None, **kw):
    status = status or (Status.ANSWERED if answered else Status.NEW)
    return Input.objects.create(
        municipality=unit.municipality,
        unit=unit,
        text="Et innspill",
        submitted_on=submitted,
        status=status,
        status_changed_on=answered or submitted,
        answer="Svar" if answered else "",
        answered_on=answered,
        **kw,
    )


def a_measure(unit, stage, **kw):
    return Measure.objects.create(
        municipality=unit.municipality, unit=unit, title=f"Tiltak {stage}", stage=stage, **kw
    )


def a_report(unit, start, end, due, status, sent_at=None, versions=0):
    report = UnitReport.objects.create(
        municipality=unit.municipality,
        unit=unit,
        period_start=start,
        period_end=end,
        due_on=due,
        status=status,
        first_sent_at=sent_at,
    )
    for n in range(1, versions + 1):
        ReportVersion.objects.create(report=report, number=n, content={})
    return report


def a_question(unit, asker, asked_on, answered_on=None):
    q = SteeringQuestion.objects.create(
        municipality=unit.municipality,
        unit=unit,
        asked_by=asker,
        text="Hvordan går turnusforsøket?",
        answer="Bra" if answered_on else "",
        answered_at=at(answered_on) if answered_on else None,
    )
    SteeringQuestion.objects.filter(pk=q.pk).update(asked_at=at(asked_on, 10))
    return q


# What the overview must show on TODAY (all service areas).
EXPECTED = {
    "U1": {
        "last_meeting": D(2026, 5, 5),
        "meetings_6m": 3,
        "regular": True,
        "findings": 0,
        "received": 4,
        "answered": 2,
        "in_time": 1,
        "share": 50,
        "median": 12,
        "waiting": 2,
        "overdue": 1,
        "stages": {Stage.IDEA: 1, Stage.IN_TRIAL: 1, Stage.DONE: 1},
        "wins": 1,
        "report": "Q1 2026",
        "report_late": True,
        "report_corrected": True,
        "open_questions": 2,
        "oldest_days": 30,
    },
    "U2": {
        "last_meeting": D(2026, 2, 1),
        "meetings_6m": 2,
        "regular": False,
        "findings": 2,
        "received": 3,
        "answered": 3,
        "in_time": 2,
        "share": 67,
        "median": 7,
        "waiting": 0,
        "overdue": 0,
        "stages": {Stage.DECIDED: 1, Stage.STOPPED: 1, Stage.DONE: 1},
        "wins": 0,
        "report": "Q1 2026",
        "report_late": False,
        "report_corrected": False,
        "open_questions": 0,
        "oldest_days": None,
    },
    "U3": {
        "last_meeting": None,
        "meetings_6m": 0,
        "regular": False,
        "findings": 2,
        "received": 0,
        "answered": 0,
        "in_time": 0,
        "share": None,
        "median": None,
        "waiting": 0,
        "overdue": 0,
        "stages": {},
        "wins": 0,
        "report": None,
        "report_late": False,
        "report_corrected": False,
        "open_questions": 1,
        "oldest_days": 1,
    },
}
EXPECTED_SUMMARY = {
    "units": 3,
    "meeting_regularly": 1,
    "with_findings": 2,
    "inputs_answered": 5,
    "inputs_in_time": 3,
    "share_in_time": 60,
    "median_days": 7,
    "inputs_overdue": 1,
    "open_questions": 3,
    "oldest_question_days": 30,
    "wins": 1,
}
QUARTER_LABELS = ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026 (so far)"]
EXPECTED_TRENDS = {
    "meetings": {"Meetings held": [0, 0, 0, 2, 3, 1]},
    "inputs": {
        "Received": [1, 0, 0, 2, 1, 4],
        "Answered": [1, 0, 0, 1, 2, 2],
        "Answered within 10 days": [1, 0, 0, 1, 1, 1],
    },
    "measures": {
        "Trials started": [0, 0, 2, 0, 0, 1],
        "Measures decided": [1, 0, 0, 0, 1, 1],
        "Wins": [0, 1, 0, 0, 1, 0],
    },
    "reports": {"Reports sent": [0, 0, 0, 0, 1, 2]},
}
# Only the service area "Oppvekst" (U3): nothing happened there but one open question.
EXPECTED_TRENDS_OPPVEKST = {
    "meetings": {"Meetings held": [0] * 6},
    "reports": {"Reports sent": [0] * 6},
}


@pytest.fixture
def overview_world(db):
    return build_overview_world()


def build_overview_world() -> dict:
    municipality = MunicipalityFactory(name="Håndvik kommune", input_answer_days=10)
    helse = ServiceAreaFactory(municipality=municipality, name="Helse")
    oppvekst = ServiceAreaFactory(municipality=municipality, name="Oppvekst")
    u1 = UnitFactory(municipality=municipality, service_area=helse, name="Ulvik omsorg")
    u2 = UnitFactory(municipality=municipality, service_area=helse, name="Vik omsorg")
    u3 = UnitFactory(municipality=municipality, service_area=oppvekst, name="Ås skole")

    # Composition: U1 complete (0 findings); U2 and U3 only a leader (no safety rep, too few
    # roles: 2 findings each).
    complete_party_group(u1)
    person_with_role(Role.UNIT_LEADER, u2)
    people = {
        "politician": person_with_role(Role.POLITICIAN, municipality=municipality),
        "director": person_with_role(Role.ADMINISTRATION, municipality=municipality),
        "chief_rep": person_with_role(Role.CHIEF_UNION_REP, municipality=municipality),
        "chief_safety": person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality),
        "admin": person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality),
        "employee": person_with_role(Role.EMPLOYEE, u1),
        "leader": person_with_role(Role.UNIT_LEADER, u3),  # a party group member, not steering
    }

    # Meetings. Six months before TODAY is 15 Nov 2025.
    meeting(u1, D(2026, 5, 5))  # Q2-26, in 6 months, U1's last
    meeting(u1, D(2026, 3, 10))  # Q1-26, in 6 months
    meeting(u1, D(2026, 1, 20), minutes_status=Meeting.MinutesStatus.PUBLISHED)  # Q1-26
    meeting(u1, D(2025, 10, 1))  # Q4-25, older than 6 months
    meeting(u1, D(2026, 4, 1), status=Meeting.Status.CANCELLED)  # never counted
    meeting(u1, D(2026, 6, 1), status=Meeting.Status.PLANNED)  # not held
    meeting(u2, D(2026, 2, 1))  # Q1-26, U2's last
    meeting(u2, D(2025, 11, 20))  # Q4-25, in 6 months
    meeting(None, D(2026, 4, 10), municipality=municipality)  # the steering group's: not counted

    # Inputs; the answer time is 10 days; twelve months before TODAY is 15 May 2025.
    an_input(u1, D(2026, 5, 1), D(2026, 5, 5))  # 4 days: in time; Q2-26
    an_input(u1, D(2026, 4, 1), D(2026, 4, 21), status=Status.TAKEN_UP)  # 20 days: late
    an_input(u1, D(2026, 5, 10))  # waiting, not too long yet
    an_input(u1, D(2026, 4, 20), status=Status.CONSIDERING)  # waiting too long
    an_input(u1, D(2026, 4, 2), D(2026, 4, 3), hidden=True)  # hidden: never counted
    an_input(u1, D(2026, 4, 2), D(2026, 4, 4), audience=Audience.LEADER)  # private: never
    an_input(u1, D(2025, 3, 1), D(2025, 3, 5))  # Q1-25 only (older than twelve months)
    an_input(u2, D(2025, 12, 1), D(2025, 12, 8))  # 7 days, Q4-25
    an_input(u2, D(2025, 12, 20), D(2026, 1, 5))  # 16 days, received Q4-25, answered Q1-26
    an_input(u2, D(2026, 1, 10), D(2026, 1, 12))  # 2 days, Q1-26

    # Measures.
    a_measure(u1, Stage.IDEA)
    a_measure(u1, Stage.IN_TRIAL, trial_started_on=D(2026, 4, 10))  # started Q2-26
    a_measure(
        u1,
        Stage.DONE,
        trial_started_on=D(2025, 8, 1),  # Q3-25
        decided_on=D(2026, 2, 1),  # Q1-26
        is_win=True,
        win_marked_on=D(2026, 2, 15),  # Q1-26, in twelve months
    )
    a_measure(u2, Stage.DECIDED, trial_started_on=D(2025, 9, 1), decided_on=D(2026, 5, 2))
    a_measure(u2, Stage.STOPPED)
    a_measure(
        u2,
        Stage.DONE,
        decided_on=D(2025, 3, 15),  # Q1-25
        is_win=True,
        win_marked_on=D(2025, 4, 1),  # Q2-25: older than twelve months
    )

    # Reports.
    a_report(
        u1, D(2025, 10, 1), D(2025, 12, 31), D(2026, 1, 21), "sent", at(D(2026, 1, 15)), 1
    )  # sent Q1-26
    a_report(
        u1, D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 21), "correcting", at(D(2026, 4, 25)), 2
    )  # late and corrected, sent Q2-26: U1's last
    a_report(u1, D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 21), "draft")  # not sent
    a_report(
        u2, D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 21), "sent", at(D(2026, 4, 10)), 1
    )  # on time, Q2-26

    # Questions from the steering group.
    asker = people["politician"]
    a_question(u1, asker, D(2026, 5, 1))  # open
    a_question(u1, asker, D(2026, 4, 15))  # open, 30 days old
    a_question(u1, asker, D(2026, 3, 1), answered_on=D(2026, 3, 5))  # answered
    a_question(u3, asker, D(2026, 5, 14))  # open, 1 day old

    return {
        "municipality": municipality,
        "helse": helse,
        "oppvekst": oppvekst,
        "units": {"U1": u1, "U2": u2, "U3": u3},
        **people,
    }
