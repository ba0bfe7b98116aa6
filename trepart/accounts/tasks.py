"""Background jobs for accounts (django-tasks; run `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from trepart.accounts import services


@task()
def send_invitations(invitation_ids: list[int]) -> int:
    """E-mail each invitation its one-time link, one by one; returns how many were sent.

    The page that started the job follows its progress through the invitations' `sent_at`
    (and `failed_at`), so each is saved as soon as its e-mail has gone.
    """
    return sum(1 for pk in invitation_ids if services.invitation_send(pk))
