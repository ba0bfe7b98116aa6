"""Background jobs for measures (django-tasks; run `manage.py db_worker`).

`manage.py daily` enqueues `send_evaluation_reminders` (registered in extensions.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from trepart.measures.models import Measure, Stage
from trepart.notifications.services import notify, render_for
from trepart.organisation.models import PARTY_GROUP_ROLES, Role, RoleAssignment

# Kinds of notification (P8): registered in extensions.py, chosen per person.
RISK_NEEDED = "measures.risk_needed"
EVALUATION_REMINDER = "measures.evaluation_reminder"

REMIND_DAYS_BEFORE = 14
REMIND_EVERY_DAYS = 7


def _send(measure, people, template, kind, extra=None, key=None) -> int:
    """Notify each person in their own language; returns the number of e-mails sent now.
    `key`: each person is told once per key, also when the job runs again (issue 15)."""
    url = settings.SITE_URL + reverse("measures:measure_detail", args=[measure.pk])
    sent = 0
    for person in people:
        if not person.email:
            continue
        context = {"measure": measure, "person": person, "url": url, **(extra or {})}
        subject, body = render_for(person, f"measures/email/{template}", context)
        sent += notify(person, kind, subject, body, url, key=key).is_sent
    return sent


@task()
def notify_safety_rep(measure_id: int) -> int:
    """R26: the unit's safety rep hears that a risk assessment is needed before the trial."""
    measure = Measure.objects.select_related("unit", "municipality").get(pk=measure_id)
    reps = [
        a.person
        for a in RoleAssignment.objects.current()
        .filter(unit=measure.unit, role=Role.SAFETY_REP)
        .select_related("person")
    ]
    # Once per planning round: "try again" re-plans and asks for a fresh assessment (R26).
    round_ = measure.replanned_at.isoformat() if measure.replanned_at else "first"
    return _send(
        measure, reps, "risk_needed", RISK_NEEDED, key=f"{RISK_NEEDED}:{measure.pk}:{round_}"
    )


def measures_to_remind(today: datetime.date):
    """Trials whose evaluation date is near or passed, not reminded in the last week."""
    return (
        Measure.objects.filter(
            stage=Stage.IN_TRIAL,
            evaluation_on__isnull=False,
            evaluation_on__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
        )
        .exclude(last_reminded_on__gt=today - datetime.timedelta(days=REMIND_EVERY_DAYS))
        .select_related("unit", "municipality")
    )


@task()
def send_evaluation_reminders(today: str | None = None) -> int:
    """Remind the party group before (and after) a trial's evaluation date (P4)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    for measure in measures_to_remind(day):
        members = {
            a.person.pk: a.person
            for a in RoleAssignment.objects.current(day)
            .filter(unit=measure.unit, role__in=PARTY_GROUP_ROLES)
            .select_related("person")
        }
        sent += _send(
            measure,
            members.values(),
            "evaluation_reminder",
            EVALUATION_REMINDER,
            {"days": (measure.evaluation_on - day).days},
            key=f"{EVALUATION_REMINDER}:{measure.pk}:{day.isoformat()}",
        )
        Measure.objects.filter(pk=measure.pk).update(last_reminded_on=day)
    return sent
