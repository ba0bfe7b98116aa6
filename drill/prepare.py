"""Add the drill's own data to the demo municipality and print the drill's manifest as JSON.

Run by drill/run.py after `load_demo`, with the drill's DATABASE_URL:

    python -m drill.prepare

- four meetings of Fjordtun's party group, today, whose standing items the simulated group
  members write minutes for (several members on the same items, so that saves collide);
- REMINDER_PEOPLE colleagues without a login, each with one action overdue since two days, so
  that the daily reminder job has that many e-mails to send (one each: the drill checks it);
- the logins the simulated users take: the group's members, the unit's employees, the
  politicians (the demo's password).
"""

from __future__ import annotations

import datetime
import json
import os
import sys

REMINDER_PEOPLE = int(os.environ.get("DRILL_REMINDER_PEOPLE", "150"))
MEETINGS = 4


def main() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drill.settings")
    django.setup()

    from django.db import transaction
    from django.utils import timezone

    from trepart.accounts.models import User
    from trepart.demo.organisation import DEMO_PASSWORD
    from trepart.meetings import services
    from trepart.meetings.models import ActionItem, MeetingKind
    from trepart.meetings.selectors import group_members
    from trepart.organisation.models import Municipality, Role, RoleAssignment, Unit

    municipality = Municipality.objects.get(name="Fjordvik kommune")
    unit = Unit.objects.get(municipality=municipality, name="Fjordtun sykehjem")
    members = [m["person"] for m in group_members(municipality, unit)]
    leader = next(
        a.person for a in RoleAssignment.objects.current().filter(unit=unit, role=Role.UNIT_LEADER)
    )
    today = timezone.localdate()
    with transaction.atomic():
        meetings = [
            services.meeting_create(
                actor=leader,
                municipality=municipality,
                unit=unit,
                title=f"Drillmøte {n + 1}",
                kind=MeetingKind.DEVELOPMENT,
                day=today,
                start_time=datetime.time(8 + n, 0),
                end_time=datetime.time(8 + n, 45),
            )
            for n in range(MEETINGS)
        ]
        people = [
            User(
                email=f"drill-{n:04d}@fjordvik.test",
                full_name=f"Drillkollega {n + 1}",
                municipality=municipality,
            )
            for n in range(REMINDER_PEOPLE)
        ]
        for person in people:
            person.set_unusable_password()
        User.objects.bulk_create(people)
        people = list(User.objects.filter(email__startswith="drill-").order_by("email"))
        ActionItem.objects.bulk_create(
            ActionItem(
                meeting=meetings[0],
                description=f"Drilloppgave {n + 1}",
                assignee=person,
                due_on=today - datetime.timedelta(days=2),
                created_by=leader,
            )
            for n, person in enumerate(people)
        )

    def with_password(users):
        return sorted({u.email for u in users if u.is_active and u.check_password(DEMO_PASSWORD)})

    employees = [
        a.person
        for a in RoleAssignment.objects.current()
        .filter(unit=unit, role=Role.EMPLOYEE)
        .select_related("person")[:12]
    ]
    politicians = [
        a.person
        for a in RoleAssignment.objects.current()
        .filter(municipality=municipality, role=Role.POLITICIAN)
        .select_related("person")
    ]
    return {
        "password": DEMO_PASSWORD,
        "unit_id": unit.pk,
        "today": today.isoformat(),
        "writers": with_password(members),
        "staff": with_password(employees),
        "politicians": with_password(politicians),
        "meetings": [m.pk for m in meetings],
        "items": [
            {"id": pk, "meeting": m.pk}
            for m in meetings
            for pk in m.items.order_by("order").values_list("pk", flat=True)
        ],
        "reminder_people": [p.email for p in people],
    }


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
