"""Background jobs for telling the members (django-tasks; run `manage.py db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from trepart.notifications.services import notify, render_for
from trepart.reflection.models import MemberBrief

# The kind of notification (P8): registered in extensions.py, chosen per person.
MEMBER_BRIEF = "reflection.member_brief"


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
    url = settings.SITE_URL + reverse("reflection:brief_detail", args=[brief.pk])
    context = {"person": brief.person, "brief": brief, "meeting": brief.meeting, "url": url}
    subject, body = render_for(brief.person, "reflection/members/email/brief", context)
    key = f"{MEMBER_BRIEF}:{brief.pk}"  # issue 15: once per summary, also on a rerun
    return int(notify(brief.person, MEMBER_BRIEF, subject, body, url, key=key).is_sent)
