"""Demo notifications for Fjordvik kommune (P8): settings and a log to look at.

- Anne Kristiansen (unit leader) gets minutes in the weekly digest and has turned the cooperation
  pulse off; her log holds a sent action reminder, minutes waiting for Monday's digest, last
  week's digest and a pulse notice that was not sent.
- Hilde Rønning (local union rep) takes reminders about unit reports in the digest; her log holds
  a sent agenda and a waiting report reminder.

Nobody is e-mailed: the rows are written as they would have been logged. Idempotent.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trepart.accounts.models import User
from trepart.demo.organisation import email_for
from trepart.notifications.models import Mode, Notification, NotificationSetting

SENT, WAITING, OFF = Notification.State.SENT, Notification.State.WAITING, Notification.State.OFF

SETTINGS = {
    "Anne Kristiansen": {
        "meetings.minutes_published": Mode.WEEKLY,
        "surveys.pulse_opened": Mode.OFF,
    },
    "Hilde Rønning": {"reporting.report_reminder": Mode.WEEKLY},
}

# (person, kind, mode, state, days ago, subject, text, url name, in last week's digest)
LOG = [
    (
        "Anne Kristiansen",
        "meetings.minutes_published",
        Mode.WEEKLY,
        SENT,
        9,
        "Trepart: referatet fra partsgruppemøtet er publisert",
        "Referatet fra partsgruppemøtet i Solsiden er publisert. Les det i Trepart.",
        "home:home",
        True,
    ),
    (
        "Anne Kristiansen",
        "meetings.action_reminder",
        Mode.IMMEDIATELY,
        SENT,
        3,
        "Trepart: 1 oppgave har passert fristen",
        "Hei Anne,\n\nPassert fristen:\n- Lage ny vaktliste for sommeren\n\n"
        "Merk oppgaven som utført når den er gjort.",
        "meetings:my_actions",
        False,
    ),
    (
        "Anne Kristiansen",
        "surveys.pulse_opened",
        Mode.OFF,
        OFF,
        2,
        "Trepart: samarbeidspulsen for kvartalet er åpen",
        "Samarbeidspulsen for dette kvartalet er åpen. Svar innen fristen.",
        "home:home",
        False,
    ),
    (
        "Anne Kristiansen",
        "meetings.minutes_published",
        Mode.WEEKLY,
        WAITING,
        1,
        "Trepart: rettet referat er publisert",
        "En rettet versjon av referatet er publisert, med en merknad om hva som er endret.",
        "home:home",
        False,
    ),
    (
        "Hilde Rønning",
        "meetings.agenda",
        Mode.IMMEDIATELY,
        SENT,
        4,
        "Trepart: innkalling til partsgruppemøte",
        "Du er innkalt til partsgruppemøte. Sakslisten og en kalenderinvitasjon ligger ved.",
        "home:home",
        False,
    ),
    (
        "Hilde Rønning",
        "reporting.report_reminder",
        Mode.WEEKLY,
        WAITING,
        1,
        "Trepart: enhetsrapporten skal leveres om en uke",
        "Enhetsrapporten for forrige periode skal leveres om en uke. Utkastet er klart.",
        "home:home",
        False,
    ),
]


@transaction.atomic
def load_notifications_demo(municipality) -> int:
    """Give a few demo people notification settings and log entries; returns rows created."""
    people = {
        p.full_name: p
        for p in User.objects.filter(
            municipality=municipality,
            email__in=[email_for(name) for name in SETTINGS],
        )
    }
    created = 0
    for name, modes in SETTINGS.items():
        person = people.get(name)
        if person is None:
            continue
        for kind, mode in modes.items():
            _, made = NotificationSetting.objects.get_or_create(
                person=person, kind=kind, defaults={"mode": mode}
            )
            created += made
    now = timezone.now()
    last_monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    digest = uuid.uuid4()
    digest_at = min(
        now, timezone.make_aware(datetime.datetime.combine(last_monday, datetime.time(7, 0)))
    )
    for name, kind, mode, state, days, subject, text, url_name, in_digest in LOG:
        person = people.get(name)
        if person is None:
            continue
        at = now - datetime.timedelta(days=days)
        _, made = Notification.objects.get_or_create(
            recipient=person,
            kind=kind,
            subject=subject,
            defaults={
                "mode": mode,
                "state": state,
                "text": text,
                "url": settings.SITE_URL + reverse(url_name),
                "created_at": at,
                "sent_at": (digest_at if in_digest else at) if state == SENT else None,
                "digest": digest if in_digest else None,
                "digest_on": last_monday if in_digest else None,
            },
        )
        created += made
    return created
