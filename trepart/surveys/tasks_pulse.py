"""Background jobs of the cooperation pulse (django-tasks; run `manage.py db_worker`).

`manage.py daily` enqueues `open_pulses` (registered in contrib_pulse.py): it closes the pulses
whose period has ended, opens the current period's pulse for every unit with a party group
(idempotent) and e-mails each new pulse's group members a link.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django_tasks import task

from trepart.core.daily import run_task
from trepart.notifications.services import notify, render_for
from trepart.organisation.models import PARTY_GROUP_ROLES, RoleAssignment
from trepart.surveys import pulse, services_pulse
from trepart.surveys.models import Survey

# The kind of notification (P8): registered in extensions.py, chosen per person.
PULSE_OPENED = "surveys.pulse_opened"


def group_members(unit, day: datetime.date) -> list:
    """R4: the party group's members on `day`, each once."""
    people = {}
    for a in (
        RoleAssignment.objects.current(day)
        .filter(unit=unit, role__in=PARTY_GROUP_ROLES)
        .select_related("person")
    ):
        if a.person.is_active:
            people[a.person_id] = a.person
    return list(people.values())


def _notify(survey: Survey, day: datetime.date) -> int:
    unit = survey.unit
    url = settings.SITE_URL + reverse("surveys:pulse_answer", args=[unit.pk])
    sent = 0
    context = {
        "unit": unit,
        "url": url,
        # Named when each e-mail is rendered, in its recipient's language.
        "period": lazy(pulse.survey_period_label, str)(survey),
        "closes_on": survey.closes_on,
    }
    for person in group_members(unit, day):
        if not person.email:
            continue
        ctx = {**context, "person": person}
        subject, body = render_for(person, "surveys/pulse/email/opened", ctx)
        key = f"{PULSE_OPENED}:{survey.pk}"  # issue 15: once per pulse, also on a rerun
        sent += notify(person, PULSE_OPENED, subject, body, url, key=key).is_sent
    return sent


@task()
def open_pulses(today: str | None = None) -> int:
    """Close ended pulses, open the period's pulse for every group, tell their members.
    Returns the number of e-mails sent. Safe to run again: nothing is opened or sent twice."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    services_pulse.pulses_close_ended(day)
    opened = services_pulse.pulses_open_due(day)
    # Issue 15: also the pulses opened today by an earlier run that was killed before it told
    # everyone; the key in _notify skips the members already told.
    earlier = (
        Survey.objects.filter(kind=pulse.KIND, status=Survey.Status.OPEN, opens_on=day)
        .exclude(pk__in=[s.pk for s in opened])
        .select_related("unit", "unit__municipality")
        .order_by("pk")
    )
    sent = 0
    for survey in [*opened, *earlier]:
        sent += _notify(survey, day)
    return sent


@task()
def notify_pulse_opened(survey_id: int) -> int:
    """Tell the group that a member started the period's pulse by hand."""
    survey = Survey.objects.select_related("unit", "unit__municipality").get(pk=survey_id)
    return _notify(survey, timezone.localdate())


def pulse_daily(today: datetime.date | None, stdout, now: bool = False) -> int:
    """hooks.DAILY_JOBS (contract: trepart.core.daily)."""
    return run_task(open_pulses, label="Cooperation pulse", today=today, now=now, stdout=stdout)
