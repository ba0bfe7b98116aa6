"""Background jobs for staff input (django-tasks; run `manage.py db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from trepart.inputs.models import Input, InputEvent
from trepart.notifications.services import notify, render_for

# The kind of notification (P8): registered in extensions.py, chosen per person.
INPUT_UPDATE = "inputs.update"


@task()
def notify_input_author(input_id: int, status: str, change_id: int | None = None) -> int:
    """P3: tell a named submitter that their input changed status or got an answer.

    Skips quietly when the input changed again before the job ran (a later job tells them).
    """
    item = (
        Input.objects.select_related("author", "unit", "municipality")
        .filter(pk=input_id, author__isnull=False)
        .first()
    )
    if item is None or item.status != status or not item.author.email:
        return 0
    url = settings.SITE_URL + reverse("inputs:input_detail", args=[item.pk])
    context = {"item": item, "person": item.author, "url": url}
    subject, body = render_for(item.author, "inputs/email/update", context)
    # Issue 15: once per status change (each has its event), also when the job runs again.
    change = (
        change_id
        or (
            item.events.filter(kind=InputEvent.Kind.STATUS)
            .order_by("-pk")
            .values_list("pk", flat=True)
        ).first()
    )  # jobs queued before the change id was passed
    key = f"{INPUT_UPDATE}:{item.pk}:{status}:{change}"
    return int(notify(item.author, INPUT_UPDATE, subject, body, url, key=key).is_sent)
