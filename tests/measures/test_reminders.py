"""P4: the party group is reminded by e-mail when a trial's evaluation date is within two weeks
or has passed, at most once a week. `manage.py daily` (or its old name send_reminders)
enqueues the job."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UnitFactory, complete_party_group, person_with_role
from tests.measures.conftest import days, measure_at, set_stage, today
from trepart.measures import tasks
from trepart.measures.models import Measure, Stage
from trepart.organisation.models import Role

DAY = datetime.date(2026, 3, 3)


def _trial(group, unit, evaluation_on, last_reminded_on=None, stage=Stage.IN_TRIAL, title=None):
    measure = measure_at(group, unit, Stage.IN_TRIAL, title=title)
    Measure.objects.filter(pk=measure.pk).update(
        evaluation_on=evaluation_on, last_reminded_on=last_reminded_on
    )
    return set_stage(measure, stage)


@pytest.mark.parametrize(
    "evaluate_in,reminded_ago,stage,picked",
    [
        (14, None, Stage.IN_TRIAL, True),  # two weeks ahead
        (15, None, Stage.IN_TRIAL, False),  # not yet
        (0, None, Stage.IN_TRIAL, True),  # today
        (-3, None, Stage.IN_TRIAL, True),  # overdue
        (-60, None, Stage.IN_TRIAL, True),  # long overdue
        (5, 0, Stage.IN_TRIAL, False),  # reminded today
        (5, 3, Stage.IN_TRIAL, False),  # reminded three days ago
        (5, 6, Stage.IN_TRIAL, False),
        (5, 7, Stage.IN_TRIAL, True),  # a week since the last reminder
        (-5, 8, Stage.IN_TRIAL, True),
        (5, None, Stage.PLANNED, False),
        (5, None, Stage.EVALUATED, False),
        (-5, None, Stage.DECIDED, False),
        (-5, None, Stage.STOPPED, False),
    ],
)
def test_p4_measures_to_remind(unit, party_group, evaluate_in, reminded_ago, stage, picked):
    reminded = DAY - datetime.timedelta(days=reminded_ago) if reminded_ago is not None else None
    measure = _trial(
        party_group, unit, DAY + datetime.timedelta(days=evaluate_in), reminded, stage=stage
    )
    assert (measure in tasks.measures_to_remind(DAY)) is picked


def test_p4_trial_without_evaluation_date_is_not_reminded(unit, party_group):
    measure = _trial(party_group, unit, None)
    assert measure not in tasks.measures_to_remind(DAY)


def test_p4_evaluation_reminder_emails_the_party_group_once_a_week(
    unit, municipality, party_group, employee
):
    municipality.default_language = "en"
    municipality.save()
    soon = _trial(party_group, unit, DAY + datetime.timedelta(days=10), title="Langvakter")
    late = _trial(party_group, unit, DAY - datetime.timedelta(days=2), title="Ny vaktplan")
    far = _trial(party_group, unit, DAY + datetime.timedelta(days=40), title="Senere")
    # Another unit's group hears only about its own trials.
    other_unit = UnitFactory(municipality=municipality)
    complete_party_group(other_unit)
    members = sorted(p.email for p in party_group.values())

    sent = tasks.send_evaluation_reminders.call(today=DAY.isoformat())

    assert sent == 2 * len(members)
    assert employee.email not in {m.to[0] for m in mail.outbox}
    assert all(len(m.to) == 1 for m in mail.outbox)
    by_title = {}
    for message in mail.outbox:
        by_title.setdefault(message.subject, []).append(message.to[0])
    assert sorted(by_title) == [
        "Evaluation coming up: Langvakter",
        "Evaluation overdue: Ny vaktplan",
    ]
    assert all(sorted(to) == members for to in by_title.values())
    message = next(m for m in mail.outbox if "Langvakter" in m.subject)
    assert reverse("measures:measure_detail", args=[soon.pk]) in message.body
    assert "13. March 2026" in message.body
    for measure, reminded in ((soon, DAY), (late, DAY), (far, None)):
        assert Measure.objects.get(pk=measure.pk).last_reminded_on == reminded

    # Not twice in a week …
    mail.outbox.clear()
    for n in range(7):
        day = DAY + datetime.timedelta(days=n)
        assert tasks.send_evaluation_reminders.call(today=day.isoformat()) == 0
    assert mail.outbox == []
    # … but again a week later.
    again = DAY + datetime.timedelta(days=7)
    assert tasks.send_evaluation_reminders.call(today=again.isoformat()) == 2 * len(members)
    assert Measure.objects.get(pk=soon.pk).last_reminded_on == again


def test_p4_former_members_are_not_reminded(unit, party_group):
    leaver = person_with_role(
        Role.UNIT_LEADER,
        unit,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=DAY - datetime.timedelta(days=1),
    )
    _trial(party_group, unit, DAY)
    tasks.send_evaluation_reminders.call(today=DAY.isoformat())
    recipients = {m.to[0] for m in mail.outbox}
    assert leaver.email not in recipients
    assert recipients == {p.email for p in party_group.values()}


def test_p4_send_reminders_command_enqueues_the_evaluation_reminders(
    unit, party_group, reminder_jobs_only
):
    """The daily command runs the job (ImmediateBackend in tests runs it at once)."""
    measure = _trial(party_group, unit, days(3))
    call_command("send_reminders")
    assert Measure.objects.get(pk=measure.pk).last_reminded_on == today()
    assert len(mail.outbox) == len(party_group)
    mail.outbox.clear()
    call_command("send_reminders")
    assert mail.outbox == []


def test_p4_send_reminders_now_with_a_date(unit, party_group, capsys):
    measure = _trial(party_group, unit, DAY + datetime.timedelta(days=1))
    call_command("send_reminders", "--now", f"--today={DAY.isoformat()}")
    out = capsys.readouterr().out
    assert f"Evaluation reminders: {len(party_group)} e-mail(s) sent (ran in this process)." in out
    assert Measure.objects.get(pk=measure.pk).last_reminded_on == DAY
