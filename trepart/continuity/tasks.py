"""Background jobs of the handover part (django-tasks; run `manage.py db_worker`).

`handovers_sync` is enqueued after every role change (hooks.ROLES_CHANGED) and once a day by
`manage.py daily` (registered in contrib_handover.py).
"""

from __future__ import annotations

import datetime

from django_tasks import task

from trepart.organisation.models import Municipality


@task()
def handovers_sync(today: str | None = None, municipality_id: int | None = None) -> int:
    """Record vacancies and newcomers, then tell the chief reps and welcome the newcomers
    (R5, R6). Returns the number of e-mails sent."""
    from trepart.continuity import services

    day = datetime.date.fromisoformat(today) if today else None
    municipalities = Municipality.objects.all()
    if municipality_id is not None:
        municipalities = municipalities.filter(pk=municipality_id)
    sent = 0
    for municipality in municipalities.order_by("pk"):
        services.handovers_sync(municipality, day)
        sent += services.notifications_send(municipality, day)
    return sent
