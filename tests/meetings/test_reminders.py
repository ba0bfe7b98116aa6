"""P2 / R30 ("who does what by when"): reminders for due and overdue action items.

Selection: open actions due within three days or overdue, not reminded today, not from cancelled
meetings, not for people who are no longer active. One e-mail per person. The e-mail templates
use gettext and new strings may not be translated yet, so the assertions are about data
(descriptions, dates, counts), not wording.
"""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import formats, timezone, translation

from tests.factories import person_with_role
from tests.meetings.conftest import make_meeting
from trepart.meetings import services, tasks
from trepart.meetings.models import ActionItem
from trepart.meetings.reminders import DUE_SOON_DAYS, actions_to_remind
from trepart.organisation.models import Role

D = datetime.date
TODAY = D(2026, 3, 10)


def short(day):
    with translation.override("nb"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture(autouse=True)
def _reminder_jobs(reminder_jobs_only):
    """Only the reminder jobs run here (see tests/conftest.py)."""


@pytest.fixture
def meeting(leader, unit):
    return make_meeting(leader, unit, day=D(2026, 2, 24), title="Partsgruppemøte februar")


@pytest.fixture
def add(meeting, leader):
    def add(assignee, due_on, description, **fields):
        return ActionItem.objects.create(
            meeting=meeting,
            assignee=assignee,
            due_on=due_on,
            description=description,
            created_by=leader,
            **fields,
        )

    return add


@pytest.fixture
def scenario(add, party_group, leader, unit):
    frida, nils = party_group["rep_ff"], party_group["rep_nsf"]
    actions = {
        "overdue": add(frida, D(2026, 3, 5), "Lage vikarliste"),
        "yesterday": add(frida, D(2026, 3, 9), "Bestille kurs i forflytning"),
        "today": add(frida, TODAY, "Sende ut sakslisten"),
        "in_3_days": add(
            nils, TODAY + datetime.timedelta(days=DUE_SOON_DAYS), "Kalle inn til personalmøte"
        ),
        "in_4_days": add(nils, TODAY + datetime.timedelta(days=4), "Skrive evaluering"),
        "done": add(frida, D(2026, 3, 6), "Ferdig oppgave", done_at=timezone.now()),
        "reminded_today": add(nils, D(2026, 3, 11), "Allerede påminnet", last_reminded_on=TODAY),
        "reminded_yesterday": add(
            nils, D(2026, 3, 11), "Påminnet i går", last_reminded_on=D(2026, 3, 9)
        ),
    }
    cancelled = make_meeting(leader, unit, day=D(2026, 3, 3), title="Avlyst møte")
    actions["cancelled"] = ActionItem.objects.create(
        meeting=cancelled, assignee=frida, due_on=D(2026, 3, 8), description="Fra avlyst møte"
    )
    services.meeting_cancel(actor=leader, meeting=cancelled, reason="Sykdom")
    gone = person_with_role(Role.EMPLOYEE, unit, full_name="Gunnar Gått")
    actions["inactive"] = add(gone, D(2026, 3, 8), "Til en som har sluttet")
    gone.is_active = False
    gone.save()
    return actions


def test_selection_overdue_and_due_within_three_days(scenario, party_group):
    selected = actions_to_remind(TODAY)
    frida, nils = party_group["rep_ff"], party_group["rep_nsf"]
    assert set(selected) == {frida, nils}
    assert [a.description for a in selected[frida]["overdue"]] == [
        "Lage vikarliste",
        "Bestille kurs i forflytning",
    ]
    assert [a.description for a in selected[frida]["due_soon"]] == ["Sende ut sakslisten"]
    assert selected[nils]["overdue"] == []
    assert [a.description for a in selected[nils]["due_soon"]] == [
        "Påminnet i går",
        "Kalle inn til personalmøte",
    ]
    chosen = {a.pk for b in selected.values() for a in b["overdue"] + b["due_soon"]}
    for key in ("in_4_days", "done", "reminded_today", "cancelled", "inactive"):
        assert scenario[key].pk not in chosen, key


def test_one_email_per_assignee_listing_overdue_and_due_soon(scenario, party_group):
    mail.outbox.clear()
    sent = tasks.send_action_reminders.call(today=TODAY.isoformat())
    assert sent == 2
    assert len(mail.outbox) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    frida, nils = party_group["rep_ff"], party_group["rep_nsf"]
    assert set(by_to) == {frida.email, nils.email}

    to_frida = by_to[frida.email]
    assert "2" in to_frida.subject  # two overdue
    for description, due in [
        ("Lage vikarliste", D(2026, 3, 5)),
        ("Bestille kurs i forflytning", D(2026, 3, 9)),
        ("Sende ut sakslisten", TODAY),
    ]:
        line = next(line for line in to_frida.body.splitlines() if description in line)
        assert short(due) in line
        assert "Partsgruppemøte februar" in line
    # Overdue actions are listed before those due soon.
    assert to_frida.body.index("Lage vikarliste") < to_frida.body.index("Sende ut sakslisten")
    for other in ("Ferdig oppgave", "Fra avlyst møte", "Kalle inn", "Skrive evaluering"):
        assert other not in to_frida.body
    assert "/meetings/actions/" in to_frida.body
    assert "Frida" in to_frida.body  # greeting by first name

    to_nils = by_to[nils.email]
    assert "2" in to_nils.subject  # two due soon
    assert "Kalle inn til personalmøte" in to_nils.body
    assert short(D(2026, 3, 13)) in to_nils.body
    assert "Påminnet i går" in to_nils.body
    for other in ("Allerede påminnet", "Skrive evaluering", "Lage vikarliste"):
        assert other not in to_nils.body


def test_last_reminded_on_is_set_and_a_second_run_the_same_day_sends_nothing(scenario):
    tasks.send_action_reminders.call(today=TODAY.isoformat())
    for key in ("overdue", "yesterday", "today", "in_3_days", "reminded_yesterday"):
        scenario[key].refresh_from_db()
        assert scenario[key].last_reminded_on == TODAY, key
    for key in ("in_4_days", "done", "cancelled", "inactive"):
        scenario[key].refresh_from_db()
        assert scenario[key].last_reminded_on is None, key

    mail.outbox.clear()
    assert tasks.send_action_reminders.call(today=TODAY.isoformat()) == 0
    assert mail.outbox == []
    # The next day the still-open actions are reminded again (and one more is now due soon).
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert tasks.send_action_reminders.call(today=tomorrow.isoformat()) == 2
    assert "Skrive evaluering" in " ".join(m.body for m in mail.outbox)


def test_a_done_action_stops_the_reminders(add, party_group):
    action = add(party_group["rep_ff"], D(2026, 3, 1), "Lage vikarliste")
    services.action_set_done(actor=party_group["rep_ff"], action=action, done=True)
    assert actions_to_remind(TODAY) == {}


# --- the management command ---------------------------------------------------------------------


def _enqueuing_jobs() -> int:
    """Every registered daily job but those that run inline (the series roll-forward, the
    deletion of ended sessions) enqueues one background job."""
    from trepart.accounts.sessions import clear_expired
    from trepart.core import hooks
    from trepart.meetings.daily import series_roll_forward

    inline = {series_roll_forward, clear_expired}
    return sum(1 for job in hooks.get_hooks(hooks.DAILY_JOBS) if job not in inline)


def test_command_enqueues_the_job_and_reports(scenario):
    """Test settings run tasks with the ImmediateBackend: the job has run when enqueue returns."""
    mail.outbox.clear()
    out = StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=out)
    # send_reminders is the old name of `manage.py daily`: it enqueues both reminder jobs.
    assert "Action reminders: enqueued job" in out.getvalue()
    assert "Action reminders: 2 e-mail(s) sent (the job ran at once)." in out.getvalue()
    assert f"{_enqueuing_jobs()} background job(s) enqueued" in out.getvalue()
    assert len(mail.outbox) == 2

    out = StringIO()
    call_command("send_reminders", today=TODAY.isoformat(), stdout=out)
    assert "Action reminders: 0 e-mail(s) sent" in out.getvalue()
    assert len(mail.outbox) == 2


def test_command_now_runs_in_this_process(scenario):
    mail.outbox.clear()
    out = StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), "--now", stdout=out)
    assert "Action reminders: 2 e-mail(s) sent (ran in this process)." in out.getvalue()
    assert "enqueued job" not in out.getvalue()
    assert "0 background job(s) enqueued" in out.getvalue()
    assert len(mail.outbox) == 2


def test_command_without_today_uses_the_local_date(add, party_group):
    add(party_group["rep_ff"], timezone.localdate(), "Frist i dag")
    mail.outbox.clear()
    call_command("send_reminders", "--now", stdout=StringIO())
    assert len(mail.outbox) == 1 and "Frist i dag" in mail.outbox[0].body


def test_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "10.03.2026", stdout=StringIO())


def test_command_with_the_database_backend_only_enqueues(scenario, settings):
    """In production the worker sends; the command only stores the job."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mail.outbox.clear()
    out = StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=out)
    assert f"{_enqueuing_jobs()} background job(s) enqueued" in out.getvalue()
    assert "db_worker" in out.getvalue()
    assert mail.outbox == []
    # The action reminders, and (P4) the trials' evaluation reminders as their own job.
    jobs = {job.task_path: job for job in DBTaskResult.objects.all()}
    # (P5) the reports' drafts and reminders too.
    assert set(jobs) == {
        "trepart.meetings.tasks.send_action_reminders",
        "trepart.measures.tasks.send_evaluation_reminders",
        "trepart.reporting.tasks_reports.report_drafts_and_reminders",
    }
    for job in jobs.values():
        assert job.status == "READY"
        assert job.args_kwargs == {"args": [], "kwargs": {"today": TODAY.isoformat()}}


def test_command_reports_a_failed_job(monkeypatch):
    """The ImmediateBackend records a failure instead of raising: the command must not say
    "sent" then, but fail so cron/systemd notice."""
    from trepart.meetings import reminders

    def broken(today):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(reminders, "actions_to_remind", broken)
    with pytest.raises(CommandError, match="mail server down"):
        call_command("send_reminders", "--today", TODAY.isoformat(), stdout=StringIO())
