"""`manage.py daily` runs every job the apps registered into `hooks.DAILY_JOBS`: the series
roll-forward (R10), the action reminders (P2) and the evaluation reminders (P4). The test settings
run enqueued jobs at once (ImmediateBackend), so the e-mails land in `mail.outbox`."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tests.measures.conftest import measure_at
from tests.meetings.conftest import END, START, make_meeting
from trepart.core import hooks
from trepart.measures.models import Measure, Stage
from trepart.meetings.models import ActionItem, MeetingSeries

D = datetime.date
TWO_YEARS_ON = D(2028, 2, 2)


@pytest.fixture
def two_years_of_work(unit, leader, party_group):
    """A monthly series made two years ago, an overdue action and a trial to evaluate."""
    series = MeetingSeries.objects.create(
        municipality=unit.municipality,
        unit=unit,
        created_by=leader,
        title="Partsgruppemøte",
        kind="development",
        frequency="monthly",
        ordinal=1,
        weekday=1,
        start_time=START,
        end_time=END,
        starts_on=D(2026, 1, 1),
    )
    meeting = make_meeting(leader, unit, day=D(2028, 1, 4))
    ActionItem.objects.create(
        meeting=meeting,
        assignee=party_group["rep_ff"],
        due_on=D(2028, 1, 20),
        description="Lage vikarliste",
        created_by=leader,
    )
    trial = measure_at(party_group, unit, Stage.IN_TRIAL)
    Measure.objects.filter(pk=trial.pk).update(evaluation_on=TWO_YEARS_ON)
    return series


def _jobs() -> int:
    """Registered daily jobs."""
    return len(hooks.get_hooks(hooks.DAILY_JOBS))


def _enqueuing() -> int:
    """All daily jobs but those that run inline (the series roll-forward, the deletion of ended
    sessions) enqueue one background job."""
    from trepart.accounts.sessions import clear_expired
    from trepart.meetings.daily import series_roll_forward

    inline = {series_roll_forward, clear_expired}
    return sum(1 for job in hooks.get_hooks(hooks.DAILY_JOBS) if job not in inline)


def test_daily_runs_every_registered_job(two_years_of_work, party_group):
    mail.outbox.clear()
    out = StringIO()
    call_command("daily", "--today", TWO_YEARS_ON.isoformat(), stdout=out)
    text = out.getvalue()

    # R10: the series has its next twelve meetings again.
    upcoming = two_years_of_work.meetings.filter(series_date__gte=TWO_YEARS_ON)
    # March 2028 … February 2029; 6 February 2029 is past today + 366 days and still there.
    assert upcoming.count() == 12 and upcoming.last().series_date == D(2029, 2, 6)
    assert "Series: 12 meeting(s) created in 1 of 1 active series" in text
    # P2: one e-mail to the assignee; P4: one to each party group member.
    assert "Action reminders: enqueued job" in text
    assert "Action reminders: 1 e-mail(s) sent (the job ran at once)." in text
    assert f"Evaluation reminders: {len(party_group)} e-mail(s) sent" in text
    assert f"Daily jobs: {_jobs()} run, {_enqueuing()} background job(s) enqueued." in text
    # P6: the quarter's cooperation pulse opens for the group: one invitation to each member.
    assert len(mail.outbox) == 1 + 2 * len(party_group)
    assert "Lage vikarliste" in mail.outbox[0].body

    # Run again the same day: nothing new is created or sent.
    mail.outbox.clear()
    out = StringIO()
    call_command("daily", "--today", TWO_YEARS_ON.isoformat(), stdout=out)
    assert "Series: 0 meeting(s) created" in out.getvalue()
    assert "Action reminders: 0 e-mail(s) sent" in out.getvalue()
    assert mail.outbox == []
    assert two_years_of_work.meetings.filter(series_date__gte=TWO_YEARS_ON).count() == 12


def test_daily_now_runs_the_jobs_in_this_process(two_years_of_work, party_group):
    mail.outbox.clear()
    out = StringIO()
    call_command("daily", "--today", TWO_YEARS_ON.isoformat(), "--now", stdout=out)
    text = out.getvalue()
    assert "enqueued job" not in text
    assert "Action reminders: 1 e-mail(s) sent (ran in this process)." in text
    assert f"Daily jobs: {_jobs()} run, 0 background job(s) enqueued." in text
    # P6: the quarter's cooperation pulse opens for the group: one invitation to each member.
    assert len(mail.outbox) == 1 + 2 * len(party_group)


def test_daily_with_the_database_backend_only_enqueues(two_years_of_work, settings):
    """In production the worker sends the e-mails; the series are rolled forward at once."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mail.outbox.clear()
    out = StringIO()
    call_command("daily", stdout=out)
    assert f"{_enqueuing()} background job(s) enqueued" in out.getvalue()
    assert "db_worker" in out.getvalue()
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == _enqueuing()
    # Without --today the jobs decide "today" when they run.
    assert {tuple(job.args_kwargs["kwargs"].items()) for job in DBTaskResult.objects.all()} == {
        (("today", None),)
    }
    assert two_years_of_work.meetings.exists()


def test_send_reminders_is_the_old_name_of_daily(two_years_of_work, party_group):
    mail.outbox.clear()
    out = StringIO()
    call_command("send_reminders", "--today", TWO_YEARS_ON.isoformat(), stdout=out)
    assert f"Daily jobs: {_jobs()} run, {_enqueuing()} background job(s) enqueued." in (
        out.getvalue()
    )
    # P6: the quarter's cooperation pulse opens for the group: one invitation to each member.
    assert len(mail.outbox) == 1 + 2 * len(party_group)


@pytest.mark.parametrize("bad", ["10.03.2026", "2026-02-30", "i morgen"])
def test_daily_refuses_a_bad_date(bad):
    with pytest.raises(CommandError, match="--today must be a date as YYYY-MM-DD"):
        call_command("daily", "--today", bad, stdout=StringIO())


def test_a_failing_job_does_not_stop_the_others(db, monkeypatch):
    ran = []

    def broken(today, stdout, now=False):
        raise RuntimeError("disk full")

    def counting(today, stdout, now=False):
        ran.append(today)
        return 1

    monkeypatch.setattr(hooks, "get_hooks", lambda name: [broken, counting])
    out = StringIO()
    with pytest.raises(CommandError, match="disk full"):
        call_command("daily", "--today", "2026-03-10", stdout=out)
    assert ran == [D(2026, 3, 10)]
    assert "Daily jobs: 2 run, 1 background job(s) enqueued, 1 failed." in out.getvalue()


def test_the_apps_register_their_daily_jobs():
    names = {f"{job.__module__}.{job.__name__}" for job in hooks.get_hooks(hooks.DAILY_JOBS)}
    assert names >= {
        "trepart.meetings.daily.series_roll_forward",
        "trepart.meetings.daily.action_reminders",
        "trepart.measures.daily.evaluation_reminders",
    }
