"""Background jobs for meetings (django-tasks; run `manage.py db_worker`).

Schedule `manage.py daily` once a day (cron or a systemd timer); it enqueues the reminder job
(registered in extensions.py), which the worker runs. See docs/background-jobs.md.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from trepart.meetings.models import ActionItem, MinutesVersion


def _language(person) -> str:
    return (person.municipality.default_language if person.municipality_id else None) or "nb"


@task()
def send_action_reminders(today: str | None = None) -> int:
    """E-mail each assignee one message listing their overdue and soon-due actions."""
    from trepart.meetings.reminders import actions_to_remind

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    for person, buckets in actions_to_remind(day).items():
        with translation.override(_language(person)):
            context = {
                "person": person,
                "overdue": buckets["overdue"],
                "due_soon": buckets["due_soon"],
                "site_url": settings.SITE_URL,
                "actions_url": settings.SITE_URL + reverse("meetings:my_actions"),
            }
            subject = render_to_string("meetings/email/reminder_subject.txt", context).strip()
            body = render_to_string("meetings/email/reminder.txt", context)
        send_mail(subject, body, None, [person.email])
        ids = [a.pk for a in buckets["overdue"] + buckets["due_soon"]]
        ActionItem.objects.filter(pk__in=ids).update(last_reminded_on=day)
        sent += 1
    return sent


@task()
def notify_minutes_published(version_id: int) -> int:
    """Tell everyone who may read the minutes that a version is published (R20)."""
    from trepart.meetings.selectors import minutes_readers

    version = MinutesVersion.objects.select_related(
        "meeting", "meeting__unit", "meeting__municipality"
    ).get(pk=version_id)
    meeting = version.meeting
    url = settings.SITE_URL + reverse("meetings:meeting_detail", args=[meeting.pk])
    sent = 0
    for person in minutes_readers(meeting):
        with translation.override(_language(person)):
            context = {"person": person, "meeting": meeting, "version": version, "url": url}
            subject = render_to_string("meetings/email/published_subject.txt", context).strip()
            body = render_to_string("meetings/email/published.txt", context)
        send_mail(subject, body, None, [person.email])
        sent += 1
    return sent


@task()
def send_agenda(meeting_id: int) -> int:
    """E-mail the agenda with the ICS invitation attached to every member of the group."""
    from django.core.mail import EmailMessage

    from trepart.meetings import exports
    from trepart.meetings.models import Meeting
    from trepart.meetings.selectors import group_members

    meeting = Meeting.objects.select_related("unit", "municipality").get(pk=meeting_id)
    items = list(meeting.items.exclude(status="proposed").order_by("order", "id"))
    url = settings.SITE_URL + reverse("meetings:meeting_detail", args=[meeting.pk])
    ics = exports.meeting_ics(meeting, base_url=settings.SITE_URL)
    sent = 0
    for member in group_members(meeting.municipality, meeting.unit):
        person = member["person"]
        if not person.is_active:
            continue
        with translation.override(_language(person)):
            context = {"person": person, "meeting": meeting, "items": items, "url": url}
            subject = render_to_string("meetings/email/agenda_subject.txt", context).strip()
            body = render_to_string("meetings/email/agenda.txt", context)
        message = EmailMessage(subject, body, to=[person.email])
        message.attach(
            exports.ics_filename(meeting), ics, "text/calendar; method=PUBLISH; charset=utf-8"
        )
        message.send()
        sent += 1
    return sent
