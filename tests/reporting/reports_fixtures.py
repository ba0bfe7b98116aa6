"""Helpers for the report tests (P5, R30–R32): records with known dates in the period that
ended last, so every figure of the report can be computed by hand."""

from __future__ import annotations

import datetime
import html

from django.conf import settings
from django.utils import timezone

from tests.conftest import client_for
from trepart.inputs.models import Input, Status
from trepart.measures.models import Decision, Measure, Stage
from trepart.meetings.models import ActionItem, Meeting
from trepart.reporting import selectors_reports as sel
from trepart.reporting import services_reports as services


def logged_in(user, language="en"):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def last_period(today=None):
    return sel.last_ended_period(today or timezone.localdate(), 3)


def at(day: datetime.date, hour=14) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def meeting(unit, day, status=Meeting.Status.HELD, title="Partsgruppemøte"):
    return Meeting.objects.create(
        municipality=unit.municipality,
        unit=unit,
        title=title,
        kind="development",
        starts_at=at(day),
        ends_at=at(day, 15),
        status=status,
    )


def an_input(unit, submitted, answered=None, hidden=False):
    return Input.objects.create(
        municipality=unit.municipality,
        unit=unit,
        text="Innspill",
        submitted_on=submitted,
        status_changed_on=answered or submitted,
        status=Status.ANSWERED if answered else Status.NEW,
        answer="Svar." if answered else "",
        answered_on=answered,
        hidden=hidden,
    )


def measure(unit, stage, title="Tiltak", decided_on=None, decision="", win_on=None):
    return Measure.objects.create(
        municipality=unit.municipality,
        unit=unit,
        title=title,
        stage=stage,
        decided_on=decided_on,
        decision=decision,
        is_win=win_on is not None,
        win_marked_on=win_on,
    )


def action(meeting_, due_on, assignee, done=False):
    return ActionItem.objects.create(
        meeting=meeting_,
        description="Følg opp",
        assignee=assignee,
        due_on=due_on,
        done_at=timezone.now() if done else None,
    )


def records(unit, assignee):
    """The records of one period, with the figures they give (computed by hand below)."""
    start, end = last_period()
    d = lambda n: start + datetime.timedelta(days=n)  # noqa: E731
    # Meetings: 2 held and 1 cancelled in the period; one held the day before (not counted).
    m1 = meeting(unit, d(5))
    meeting(unit, d(40))
    meeting(unit, d(60), status=Meeting.Status.CANCELLED)
    meeting(unit, start - datetime.timedelta(days=1))
    # Inputs received in the period: 4 (a hidden one and one from before are not counted).
    an_input(unit, d(1), answered=d(3))  # answered in 2 days
    an_input(unit, d(10), answered=d(50))  # 40 days: over the 30-day answer time
    an_input(unit, d(20), answered=d(30))  # 10 days
    an_input(unit, d(70))  # open at the end of the period
    an_input(unit, d(2), hidden=True)
    an_input(unit, start - datetime.timedelta(days=10), answered=d(4))  # 14 days, answered in it
    # Answered in the period: 4 (2, 40, 10, 14 days) → median 12, 3 within 30 days (75 %).
    # Not answered at the end: 1.
    # Measures: one idea, one in trial, one decided in the period (keep), a win in the period,
    # one decided before the period.
    measure(unit, Stage.IDEA, title="Idé")
    measure(unit, Stage.IN_TRIAL, title="Prøves")
    measure(unit, Stage.DECIDED, title="Langvakter", decided_on=d(45), decision=Decision.KEEP)
    measure(unit, Stage.DONE, title="Nytt pauserom", win_on=d(50))
    measure(unit, Stage.DONE, title="Gammelt", decided_on=start - datetime.timedelta(days=3))
    # Actions: 2 open (one overdue), 1 done.
    today = timezone.localdate()
    action(m1, today - datetime.timedelta(days=1), assignee)
    action(m1, today + datetime.timedelta(days=10), assignee)
    action(m1, today - datetime.timedelta(days=5), assignee, done=True)
    return start, end


EXPECTED = {
    "meetings_held": 2,
    "meetings_cancelled": 1,
    "inputs_received": 4,
    "inputs_answered": 4,
    "answer_days_median": 12,
    "answered_within": 3,
    "answered_within_share": 75,
    "answer_days_limit": 30,
    "inputs_unanswered": 1,
    "measures_by_stage": {
        "idea": 1,
        "planned": 0,
        "in_trial": 1,
        "evaluated": 0,
        "decided": 1,
        "done": 2,
        "stopped": 0,
    },
    "decisions": [{"title": "Langvakter", "decision": "keep"}],
    "wins": ["Nytt pauserom"],
    "actions_open": 2,
    "actions_overdue": 1,
}


def draft(unit):
    start, end = last_period()
    return services.report_draft_create(unit, start, end)


def sent_report(unit, leader, went_well="Turnusen fungerer bedre."):
    report = draft(unit)
    services.report_save(actor=leader, report=report, went_well=went_well, hard="Vikarer.", need="")
    services.report_send(actor=leader, report=report)
    report.refresh_from_db()
    return report
