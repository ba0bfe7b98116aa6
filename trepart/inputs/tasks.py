"""Background jobs for staff input (django-tasks; run `manage.py db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from trepart.inputs.models import Input


@task()
def notify_input_author(input_id: int, status: str) -> int:
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
    with translation.override(item.municipality.default_language or "nb"):
        context = {
            "item": item,
            "person": item.author,
            "url": settings.SITE_URL + reverse("inputs:input_detail", args=[item.pk]),
        }
        subject = render_to_string("inputs/email/update_subject.txt", context).strip()
        body = render_to_string("inputs/email/update.txt", context)
    send_mail(subject, body, None, [item.author.email])
    return 1
