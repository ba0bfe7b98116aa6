"""Background jobs for reports (django-tasks; run `manage.py db_worker`).

`manage.py daily` enqueues `report_drafts_and_reminders` (registered in contrib_reports.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django_tasks import task

from trepart.notifications.services import notify, render_for
from trepart.organisation.models import PARTY_GROUP_ROLES, Municipality, RoleAssignment, Unit
from trepart.reporting import selectors_reports as sel
from trepart.reporting.models import SteeringQuestion, UnitReport

# A reminder is sent twice at most: a week before the report is due, and the day after.
REMIND_DAYS_BEFORE = 7
REMIND_DAYS_AFTER = 1
REMIND_OVERDUE_WITHIN_DAYS = 7

# Kinds of notification (P8): registered in extensions.py, chosen per person.
REPORT_REMINDER = "reporting.report_reminder"
QUESTION_ANSWERED = "reporting.question_answered"


def _send(people, template, kind, context, key=None) -> int:
    """Notify each person in their own language; returns the number of e-mails sent now.
    `key`: each person is told once per key, also when the job runs again (issue 15)."""
    sent = 0
    for person in people:
        if not person.email:
            continue
        ctx = {**context, "person": person}
        subject, body = render_for(person, f"reporting/email/{template}", ctx)
        sent += notify(person, kind, subject, body, context.get("url"), key=key).is_sent
    return sent


def drafts_create(day: datetime.date) -> int:
    """R30: every unit gets a draft for the period that just ended (idempotent)."""
    from trepart.reporting.services_reports import report_draft_create

    created = 0
    for municipality in Municipality.objects.all():
        start, end = sel.last_ended_period(day, sel.period_months_for(municipality))
        have = set(
            UnitReport.objects.filter(municipality=municipality, period_start=start).values_list(
                "unit_id", flat=True
            )
        )
        for unit in Unit.objects.filter(municipality=municipality).select_related("municipality"):
            if unit.pk not in have:
                report_draft_create(unit, start, end)
                created += 1
    return created


def reports_to_remind(day: datetime.date):
    """Drafts due within a week, and drafts that passed their due date in the last week: each
    reminder once, on the first run on or after its day (a day the job did not run is caught
    up; nobody is spammed)."""
    drafts = UnitReport.objects.filter(status=UnitReport.Status.DRAFT)
    week = drafts.filter(
        due_on__lte=day + datetime.timedelta(days=REMIND_DAYS_BEFORE),
        due_on__gte=day,
        reminded_before_on__isnull=True,
    )
    # Overdue: on the first run in the week after the due date (a report found long overdue,
    # e.g. the first run of a new installation, is not reminded about).
    overdue = drafts.filter(
        due_on__lte=day - datetime.timedelta(days=REMIND_DAYS_AFTER),
        due_on__gte=day - datetime.timedelta(days=REMIND_OVERDUE_WITHIN_DAYS),
        reminded_overdue_on__isnull=True,
    )
    return (week | overdue).select_related("unit", "municipality").order_by("pk")


@task()
def report_drafts_and_reminders(today: str | None = None) -> int:
    """Create the drafts for the period just ended and remind party groups of reports due."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    drafts_create(day)
    sent = 0
    for report in reports_to_remind(day):
        overdue = report.due_on < day
        field = "reminded_overdue_on" if overdue else "reminded_before_on"
        members = {
            a.person.pk: a.person
            for a in RoleAssignment.objects.current(day)
            .filter(unit=report.unit, role__in=PARTY_GROUP_ROLES)
            .select_related("person")
        }
        url = settings.SITE_URL + reverse("reporting:report_detail", args=[report.pk])
        # Named when each e-mail is rendered, in its recipient's language.
        period = lazy(sel.period_label, str)(report.period_start, report.period_end)
        sent += _send(
            members.values(),
            "reports_reminder",
            REPORT_REMINDER,
            {
                "report": report,
                "url": url,
                "period": period,
                "overdue": report.due_on < day,
            },
            # Issue 15: send first, then record the reminder. A run killed in between sends
            # again, and the key lets nobody get it twice (also two runs at once).
            key=f"{REPORT_REMINDER}:{report.pk}:{field}",
        )
        UnitReport.objects.filter(pk=report.pk, **{f"{field}__isnull": True}).update(**{field: day})
    return sent


@task()
def notify_question_answered(question_id: int) -> int:
    """The steering-group member who asked hears that the unit has answered."""
    question = SteeringQuestion.objects.select_related(
        "unit", "asked_by", "municipality", "answered_by"
    ).get(pk=question_id)
    url = settings.SITE_URL + reverse("reporting:question_detail", args=[question.pk])
    answered = question.answered_at.isoformat() if question.answered_at else ""
    return _send(
        [question.asked_by],
        "reports_answered",
        QUESTION_ANSWERED,
        {"question": question, "url": url},
        key=f"{QUESTION_ANSWERED}:{question.pk}:{answered}",  # issue 15: once per answer
    )
