"""Background jobs for telling the members (django-tasks; run `manage.py db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from trepart.reflection.models import MemberBrief


@task()
def notify_member_brief(brief_id: int) -> int:
    """R19: tell the rep that a summary for their members is ready, with the link."""
    brief = (
        MemberBrief.objects.select_related("person", "meeting", "meeting__unit", "municipality")
        .filter(pk=brief_id)
        .first()
    )
    if brief is None or not brief.person.is_active or not brief.person.email:
        return 0
    with translation.override(brief.municipality.default_language or "nb"):
        context = {
            "person": brief.person,
            "brief": brief,
            "meeting": brief.meeting,
            "url": settings.SITE_URL + reverse("reflection:brief_detail", args=[brief.pk]),
        }
        subject = render_to_string("reflection/members/email/brief_subject.txt", context).strip()
        body = render_to_string("reflection/members/email/brief.txt", context)
    send_mail(subject, body, None, [brief.person.email])
    return 1
