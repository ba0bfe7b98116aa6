"""ARCHITECTURE rule 4: the handover pages and panels run the same number of queries for 2 and
for 40 units, each with reps, vacancies, newcomers, meetings, handovers and notes."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.continuity.conftest import days
from tests.factories import MunicipalityFactory, ServiceAreaFactory, person_with_role, union
from tests.query_counts import assert_same_counts, measure
from trepart.accounts.models import User
from trepart.continuity import services
from trepart.continuity.models import FollowUpNote
from trepart.meetings.models import ActionItem, Meeting, MinutesVersion
from trepart.organisation.models import Role, RoleAssignment, UnionPresence, Unit


def _world(n: int):
    m = MunicipalityFactory(name=f"Teller {n} kommune")
    area = ServiceAreaFactory(municipality=m)
    units = Unit.objects.bulk_create(
        Unit(municipality=m, service_area=area, name=f"Enhet {i:03}") for i in range(n)
    )
    ff, nsf = union("Fagforbundet"), union("NSF")
    UnionPresence.objects.bulk_create(
        UnionPresence(unit=u, union=x, member_count=4) for u in units for x in (ff, nsf)
    )
    people = User.objects.bulk_create(
        User(email=f"p{n}-{i}@example.test", full_name=f"Person {i}", municipality=m)
        for i in range(n * 4)
    )
    rows = []
    for i, u in enumerate(units):
        p = people[i * 4 : i * 4 + 4]
        rows += [
            RoleAssignment(
                municipality=m,
                person=p[0],
                role=Role.UNIT_LEADER,
                unit=u,
                starts_on=datetime.date(2020, 1, 1),
            ),
            # an ended rep and a newcomer for Fagforbundet
            RoleAssignment(
                municipality=m,
                person=p[1],
                role=Role.LOCAL_UNION_REP,
                unit=u,
                union=ff,
                starts_on=datetime.date(2020, 1, 1),
                ends_on=days(-60),
            ),
            RoleAssignment(
                municipality=m,
                person=p[2],
                role=Role.LOCAL_UNION_REP,
                unit=u,
                union=ff,
                starts_on=days(-10),
            ),
            RoleAssignment(
                municipality=m,
                person=p[3],
                role=Role.SAFETY_REP,
                unit=u,
                starts_on=datetime.date(2021, 1, 1),
                ends_on=days(-40),
            ),
        ]
    RoleAssignment.objects.bulk_create(rows)
    now = timezone.now()
    for u in units:
        for d in (90, 20):
            meeting = Meeting.objects.create(
                municipality=m,
                unit=u,
                title="Møte",
                kind="party_group",
                starts_at=now - datetime.timedelta(days=d),
                ends_at=now - datetime.timedelta(days=d, hours=-1),
                status=Meeting.Status.HELD,
                minutes_status=Meeting.MinutesStatus.PUBLISHED,
            )
            MinutesVersion.objects.create(meeting=meeting, number=1, content={})
            ActionItem.objects.create(
                meeting=meeting, description="Gjøre noe", assignee=people[0], due_on=days(3)
            )
    chief = person_with_role(Role.CHIEF_UNION_REP, municipality=m, union=ff)
    chief_safety = person_with_role(Role.CHIEF_SAFETY_REP, municipality=m)
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=m)
    politician = person_with_role(Role.POLITICIAN, municipality=m)
    newcomer = people[2]
    services.handovers_sync(m)
    services.notifications_send(m)
    FollowUpNote.objects.bulk_create(
        FollowUpNote(
            municipality=m,
            author=chief,
            person=people[i * 4 + 2],
            unit=u,
            held_on=days(-1),
            text="Samtale",
        )
        for i, u in enumerate(units)
    )
    clients = {
        "chief": client_for(chief),
        "chief_safety": client_for(chief_safety),
        "admin": client_for(admin),
        "politician": client_for(politician),
        "newcomer": client_for(newcomer),
    }
    unit = units[0]
    pages = [
        ("chief", "overview", reverse("continuity:local_reps")),
        ("chief_safety", "overview", reverse("continuity:local_reps")),
        ("admin", "overview", reverse("continuity:local_reps") + f"?scope=union-{ff.pk}"),
        ("admin", "onboarding", reverse("continuity:onboarding", args=[unit.pk])),
        ("newcomer", "onboarding", reverse("continuity:onboarding", args=[unit.pk])),
        ("newcomer", "home", "/"),
        ("newcomer", "unit", reverse("organisation:unit_detail", args=[unit.pk])),
        ("politician", "steering", reverse("reporting:overview")),
    ]
    return clients, pages


def test_query_counts_do_not_grow_with_units(db):
    few = measure(*_world(2))
    many = measure(*_world(40))
    assert_same_counts(few, many)
