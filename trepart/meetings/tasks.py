"""Background jobs for meetings (django-tasks; run `manage.py db_worker`).

Schedule `manage.py daily` once a day (cron or a systemd timer); it enqueues the reminder job
(registered in extensions.py), which the worker runs. See docs/background-jobs.md.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from trepart.meetings.models import ActionItem, MinutesVersion
from trepart.notifications.services import notify, render_for

# Kinds of notification (P8): registered in extensions.py, chosen per person.
AGENDA = "meetings.agenda"
MINUTES_PUBLISHED = "meetings.minutes_published"
ACTION_REMINDER = "meetings.action_reminder"


@task()
def send_action_reminders(today: str | None = None) -> int:
    """E-mail each assignee one message listing their overdue and soon-due actions."""
    from trepart.meetings.reminders import actions_to_remind

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    actions_url = settings.SITE_URL + reverse("meetings:my_actions")
    for person, buckets in actions_to_remind(day).items():
        context = {
            "person": person,
            "overdue": buckets["overdue"],
            "due_soon": buckets["due_soon"],
            "site_url": settings.SITE_URL,
            "actions_url": actions_url,
        }
        subject, body = render_for(person, "meetings/email/reminder", context)
        # Reminded also when the person chose the digest or off: the log holds it.
        # Issue 15: one reminder per person and day, also when the job runs again.
        key = f"{ACTION_REMINDER}:{day.isoformat()}"
        sent += notify(person, ACTION_REMINDER, subject, body, actions_url, key=key).is_sent
        ids = [a.pk for a in buckets["overdue"] + buckets["due_soon"]]
        ActionItem.objects.filter(pk__in=ids).update(last_reminded_on=day)
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
        context = {"person": person, "meeting": meeting, "version": version, "url": url}
        subject, body = render_for(person, "meetings/email/published", context)
        key = f"{MINUTES_PUBLISHED}:{version.pk}"  # issue 15: once per version, also on a rerun
        sent += notify(person, MINUTES_PUBLISHED, subject, body, url, key=key).is_sent
    return sent


@task()
def send_agenda(meeting_id: int) -> int:
    """E-mail the agenda with the ICS invitation attached to every member of the group (a
    member who chose the weekly digest gets the link there, without the invitation)."""
    from trepart.meetings import exports
    from trepart.meetings.models import Meeting
    from trepart.meetings.selectors import group_members

    meeting = Meeting.objects.select_related("unit", "municipality").get(pk=meeting_id)
    items = list(meeting.items.exclude(status="proposed").order_by("order", "id"))
    url = settings.SITE_URL + reverse("meetings:meeting_detail", args=[meeting.pk])
    ics = exports.meeting_ics(meeting, base_url=settings.SITE_URL)
    # Issue 15: once per sending of the agenda ("send again" after changes sets a new time).
    key = (
        f"{AGENDA}:{meeting.pk}:{meeting.agenda_sent_at.isoformat()}"
        if meeting.agenda_sent_at
        else None
    )
    sent = 0
    for member in group_members(meeting.municipality, meeting.unit):
        person = member["person"]
        if not person.is_active:
            continue
        context = {"person": person, "meeting": meeting, "items": items, "url": url}
        subject, body = render_for(person, "meetings/email/agenda", context)
        attachment = (
            exports.ics_filename(meeting),
            ics,
            "text/calendar; method=PUBLISH; charset=utf-8",
        )
        sent += notify(
            person, AGENDA, subject, body, url, attachments=[attachment], key=key
        ).is_sent
    return sent
