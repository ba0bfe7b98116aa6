"""Issue 15: a job run again after its worker was killed sends no reminder twice and loses none.

`notify(..., key=...)` sends each person at most one notification per key; the row and the
e-mail are one transaction, so a crash in the middle of sending leaves nothing behind and the
rerun sends it. Each reminder job is run twice, and once killed at the third e-mail and run
again: every recipient gets exactly one e-mail and has one logged row with the key.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter

import pytest
from django.core import mail
from django.db import IntegrityError

from tests.factories import UserFactory
from trepart.notifications import services
from trepart.notifications.models import Mode, Notification, NotificationSetting

D = datetime.date
KIND = "meetings.minutes_published"


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing on the way catches it."""


@contextlib.contextmanager
def killed_at_send(n: int):
    """The worker dies while handing the n-th e-mail to the mail server."""
    real = services._send
    calls = [0]

    def send(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n:
            raise Killed
        return real(*args, **kwargs)

    services._send = send
    try:
        yield
    finally:
        services._send = real


def assert_once_each(people, kind):
    """Every person got exactly one e-mail, and has one logged row of `kind` with a key."""
    to = Counter(m.to[0] for m in mail.outbox)
    assert to == Counter({p.email: 1 for p in people}), to
    rows = Notification.objects.filter(kind=kind)
    assert Counter(rows.values_list("recipient_id", flat=True)) == Counter(
        {p.pk: 1 for p in people}
    )
    assert all(rows.values_list("idempotency_key", flat=True))


@pytest.fixture
def person(municipality):
    return UserFactory(municipality=municipality, full_name="Kari Nordmann")


# --- notify(key=...) -------------------------------------------------------------------------------


def test_the_same_key_sends_once(person):
    mail.outbox.clear()
    first = services.notify(person, KIND, "Referat", "Tekst", key="minutes:1")
    again = services.notify(person, KIND, "Referat", "Tekst", key="minutes:1")
    assert first.is_sent and not again.is_sent
    assert again.pk == first.pk
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=person).count() == 1


def test_another_key_or_no_key_sends_again(person):
    mail.outbox.clear()
    services.notify(person, KIND, "Referat", "Tekst", key="minutes:1")
    services.notify(person, KIND, "Referat", "Tekst", key="minutes:2")
    services.notify(person, KIND, "Referat", "Tekst")
    services.notify(person, KIND, "Referat", "Tekst")
    assert len(mail.outbox) == 4


def test_the_same_key_for_another_person_is_sent(person, municipality):
    other = UserFactory(municipality=municipality)
    mail.outbox.clear()
    services.notify(person, KIND, "Referat", "Tekst", key="minutes:1")
    services.notify(other, KIND, "Referat", "Tekst", key="minutes:1")
    assert len(mail.outbox) == 2


def test_a_crash_while_sending_leaves_no_row(person):
    mail.outbox.clear()
    with killed_at_send(1), pytest.raises(Killed):
        services.notify(person, KIND, "Referat", "Tekst", key="minutes:1")
    assert not Notification.objects.filter(recipient=person).exists()
    assert services.notify(person, KIND, "Referat", "Tekst", key="minutes:1").is_sent
    assert len(mail.outbox) == 1


def test_a_weekly_or_off_notification_is_logged_once(person):
    NotificationSetting.objects.create(person=person, kind=KIND, mode=Mode.WEEKLY)
    for _ in range(2):
        services.notify(person, KIND, "Referat", "Tekst", key="minutes:1")
    assert list(Notification.objects.values_list("state", flat=True)) == ["waiting"]


def test_two_runs_at_once_the_second_finds_the_first(person, monkeypatch):
    """The race: both looked before either wrote. The unique constraint stops the second
    before it sends; it returns the first's row."""
    first = services.notify(person, KIND, "Referat", "Tekst", key="minutes:1")
    looked = []

    def not_yet(p, key):
        looked.append(key)
        if len(looked) == 1:
            return None  # the other run had not committed yet when this one looked
        return Notification.objects.filter(recipient=p, idempotency_key=key).first()

    monkeypatch.setattr(services, "_earlier", not_yet)
    mail.outbox.clear()
    again = services.notify(person, KIND, "Referat", "Tekst", key="minutes:1")
    assert again.pk == first.pk and not mail.outbox
    assert Notification.objects.filter(recipient=person).count() == 1


def test_the_database_refuses_a_second_row_with_the_key(person):
    services.notify(person, KIND, "Referat", "Tekst", key="minutes:1")
    with pytest.raises(IntegrityError):
        Notification.objects.create(
            recipient=person,
            kind=KIND,
            mode=Mode.IMMEDIATELY,
            subject="x",
            text="x",
            state=Notification.State.SENT,
            idempotency_key="minutes:1",
        )


def test_rows_without_a_key_are_not_unique(person):
    for _ in range(2):
        Notification.objects.create(
            recipient=person, kind=KIND, mode="immediately", subject="x", text="x", state="sent"
        )
    assert Notification.objects.filter(idempotency_key__isnull=True).count() == 2


# --- the weekly digest -----------------------------------------------------------------------------


def test_a_digest_killed_while_sending_is_sent_on_the_rerun(person):
    NotificationSetting.objects.create(person=person, kind=KIND, mode=Mode.WEEKLY)
    services.notify(person, KIND, "Referat", "Tekst")
    monday = D(2026, 3, 9)
    mail.outbox.clear()
    with killed_at_send(1), pytest.raises(Killed):
        services.digest_send(monday)
    assert list(Notification.objects.values_list("state", "digest_on")) == [("waiting", None)]
    assert services.digest_send(monday) == 1
    assert services.digest_send(monday) == 0
    assert len(mail.outbox) == 1


# --- the reminder jobs ---------------------------------------------------------------------------


@pytest.fixture
def everyone(party_group):
    return [party_group[k] for k in ("leader", "rep_ff", "rep_nsf", "safety")]


def test_action_reminders_run_twice_and_after_a_kill(everyone, party_group, unit):
    leader = party_group["leader"]
    from tests.meetings.conftest import make_meeting
    from trepart.meetings import tasks
    from trepart.meetings.models import ActionItem

    day = D(2026, 3, 10)
    meeting = make_meeting(leader, unit, day=D(2026, 2, 24), title="Partsgruppemøte")
    for person in everyone:
        ActionItem.objects.create(
            meeting=meeting, assignee=person, due_on=D(2026, 3, 5), description="Forfalt"
        )
    mail.outbox.clear()
    with killed_at_send(3), pytest.raises(Killed):
        tasks.send_action_reminders.call(today=day.isoformat())
    assert len(mail.outbox) == 2
    tasks.send_action_reminders.call(today=day.isoformat())
    # A crash after the e-mail but before "reminded today" was recorded: rerun sends nothing.
    ActionItem.objects.update(last_reminded_on=None)
    assert tasks.send_action_reminders.call(today=day.isoformat()) == 0
    assert_once_each(everyone, tasks.ACTION_REMINDER)
    # The next day is another reminder.
    mail.outbox.clear()
    assert tasks.send_action_reminders.call(today="2026-03-11") == 4


def test_evaluation_reminders_run_twice_and_after_a_kill(everyone, party_group, unit):
    from tests.measures.conftest import measure_at
    from trepart.measures import tasks
    from trepart.measures.models import Measure, Stage

    day = D(2026, 3, 3)
    measure = measure_at(party_group, unit, Stage.IN_TRIAL)
    Measure.objects.filter(pk=measure.pk).update(evaluation_on=day + datetime.timedelta(days=5))
    mail.outbox.clear()
    with killed_at_send(3), pytest.raises(Killed):
        tasks.send_evaluation_reminders.call(today=day.isoformat())
    tasks.send_evaluation_reminders.call(today=day.isoformat())
    Measure.objects.update(last_reminded_on=None)  # killed before it was recorded
    assert tasks.send_evaluation_reminders.call(today=day.isoformat()) == 0
    assert_once_each(everyone, tasks.EVALUATION_REMINDER)


def test_report_reminders_run_twice_and_after_a_kill(everyone, unit):
    from tests.reporting.reports_fixtures import last_period
    from trepart.reporting import tasks_reports as tasks
    from trepart.reporting.models import UnitReport

    _start, end = last_period()
    day = end + datetime.timedelta(days=1)
    tasks.report_drafts_and_reminders.call(today=day.isoformat())  # the draft
    report = UnitReport.objects.get(unit=unit)
    remind_on = report.due_on - datetime.timedelta(days=7)
    mail.outbox.clear()
    with killed_at_send(3), pytest.raises(Killed):
        tasks.report_drafts_and_reminders.call(today=remind_on.isoformat())
    report.refresh_from_db()
    assert report.reminded_before_on is None  # not recorded: the rerun reminds the rest
    assert tasks.report_drafts_and_reminders.call(today=remind_on.isoformat()) == 2
    assert tasks.report_drafts_and_reminders.call(today=remind_on.isoformat()) == 0
    assert_once_each(everyone, tasks.REPORT_REMINDER)
    report.refresh_from_db()
    assert report.reminded_before_on == remind_on


def test_pulse_opening_runs_twice_and_after_a_kill(unit):
    from tests.factories import person_with_role
    from trepart.organisation.models import Role
    from trepart.surveys import tasks_pulse

    people = [person_with_role(Role.UNIT_LEADER, unit)]
    people += [person_with_role(Role.DEPARTMENT_LEADER, unit) for _ in range(3)]
    day = D(2026, 11, 10)
    mail.outbox.clear()
    with killed_at_send(3), pytest.raises(Killed):
        tasks_pulse.open_pulses.call(today=day.isoformat())
    # The pulse was opened before the kill: the rerun tells the two not yet told.
    assert tasks_pulse.open_pulses.call(today=day.isoformat()) == 2
    assert tasks_pulse.open_pulses.call(today=day.isoformat()) == 0
    assert_once_each(people, tasks_pulse.PULSE_OPENED)


# --- jobs started by an event: once per event, again for the next event ----------------------


def test_the_agenda_job_run_twice_sends_once_and_sending_again_sends_again(
    everyone, party_group, unit, django_capture_on_commit_callbacks
):
    leader = party_group["leader"]
    from trepart.meetings import services as meeting_services
    from trepart.meetings import tasks

    meeting = meeting_services.meeting_create(
        actor=leader,
        municipality=unit.municipality,
        unit=unit,
        title="Partsgruppemøte",
        kind="development",
        day=D(2030, 3, 5),
        start_time=datetime.time(14),
        end_time=datetime.time(15),
        location="Møterommet",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.agenda_send(actor=leader, meeting=meeting)
    assert tasks.send_agenda.call(meeting_id=meeting.pk) == 0  # the job again: nothing
    assert_once_each(everyone, tasks.AGENDA)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.agenda_send(actor=leader, meeting=meeting)  # "send again"
    assert len(mail.outbox) == 2 * len(everyone)


def test_the_input_job_run_twice_tells_once_per_status_change(
    unit, employee, party_group, django_capture_on_commit_callbacks
):
    leader = party_group["leader"]
    from tests.inputs.conftest import submit
    from trepart.inputs import services as input_services
    from trepart.inputs import tasks

    item, _ = submit(unit, author=employee)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        input_services.input_consider(actor=leader, item=item)
    assert tasks.notify_input_author.call(item.pk, item.status) == 0
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        input_services.input_close(actor=leader, item=item, status="answered", answer="Svar.")
    with django_capture_on_commit_callbacks(execute=True):
        input_services.input_reopen(actor=leader, item=item)  # considering again: told again
    assert len(mail.outbox) == 3
    assert tasks.notify_input_author.call(item.pk, item.status) == 0
