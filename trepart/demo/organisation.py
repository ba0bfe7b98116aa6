"""The demo municipality: Fjordvik kommune, three kindergartens and three nursing homes.

Idempotent: every object is found by its natural key before it is created, so loading twice
creates nothing twice. The other capabilities' demo data is in the sibling modules of
`trepart.demo`, loaded in order by `manage.py load_demo`.
"""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from trepart.accounts.models import Invitation, User
from trepart.accounts.services import token_hash
from trepart.organisation import services
from trepart.organisation.catalogue import ensure_catalogue
from trepart.organisation.models import (
    AdoptionDecision,
    Department,
    Municipality,
    Role,
    RoleAssignment,
    ServiceArea,
    Union,
    UnionPresence,
    Unit,
)

DEMO_PASSWORD = "trepart-demo"
DOMAIN = "fjordvik.test"
D = datetime.date

UNITS = {
    "Oppvekst": {
        "Solsiden barnehage": ["Blåbær", "Tyttebær"],
        "Lia barnehage": [],
        "Fjellhaug barnehage": ["Småbarn", "Storbarn"],
    },
    "Helse og omsorg": {
        "Fjordtun sykehjem": ["Langtid 1", "Korttid og rehabilitering", "Skjermet enhet"],
        "Eikelund sykehjem": ["Avdeling A", "Avdeling B"],
        "Strandheim bo- og omsorgssenter": [],
    },
}

# Unions with members at each unit (for the composition check).
PRESENCE = {
    "Solsiden barnehage": [("Utdanningsforbundet", 9), ("Fagforbundet", 11)],
    "Lia barnehage": [("Utdanningsforbundet", 6), ("Fagforbundet", 7)],
    "Fjellhaug barnehage": [("Utdanningsforbundet", 8), ("Fagforbundet", 10)],
    "Fjordtun sykehjem": [("NSF", 18), ("Fagforbundet", 34), ("Delta", 6)],
    "Eikelund sykehjem": [("NSF", 12), ("Fagforbundet", 25), ("Delta", 4)],
    "Strandheim bo- og omsorgssenter": [("Fagforbundet", 15)],
}

# (name, role, unit, department, union, side, from, to)
PEOPLE = [
    ("Hanne Berg", Role.MUNICIPAL_ADMIN, None, None, None, "", D(2023, 1, 1), None),
    # Solsiden barnehage: complete group.
    ("Marte Solberg", Role.UNIT_LEADER, "Solsiden barnehage", None, None, "", D(2021, 8, 1), None),
    (
        "Jonas Vik",
        Role.DEPARTMENT_LEADER,
        "Solsiden barnehage",
        "Blåbær",
        None,
        "",
        D(2022, 8, 1),
        None,
    ),
    (
        "Kari Nordmo",
        Role.LOCAL_UNION_REP,
        "Solsiden barnehage",
        None,
        "Utdanningsforbundet",
        "",
        D(2024, 1, 1),
        None,
    ),
    (
        "Ole Hansen",
        Role.LOCAL_UNION_REP,
        "Solsiden barnehage",
        None,
        "Fagforbundet",
        "",
        D(2023, 1, 1),
        None,
    ),
    ("Ida Lie", Role.SAFETY_REP, "Solsiden barnehage", None, None, "", D(2025, 1, 1), None),
    (
        "Emma Strand",
        Role.EMPLOYEE,
        "Solsiden barnehage",
        "Tyttebær",
        None,
        "",
        D(2020, 8, 15),
        None,
    ),
    ("Noah Berge", Role.EMPLOYEE, "Solsiden barnehage", "Blåbær", None, "", D(2024, 3, 1), None),
    # Lia barnehage: the safety rep left; nobody elected yet.
    ("Sofie Dahl", Role.UNIT_LEADER, "Lia barnehage", None, None, "", D(2019, 8, 1), None),
    (
        "Lars Eide",
        Role.LOCAL_UNION_REP,
        "Lia barnehage",
        None,
        "Utdanningsforbundet",
        "",
        D(2023, 1, 1),
        None,
    ),
    (
        "Nora Haugen",
        Role.LOCAL_UNION_REP,
        "Lia barnehage",
        None,
        "Fagforbundet",
        "",
        D(2024, 1, 1),
        None,
    ),
    (
        "Tone Brekke",
        Role.SAFETY_REP,
        "Lia barnehage",
        None,
        None,
        "",
        D(2023, 1, 1),
        D(2026, 9, 30),
    ),
    ("Amir Rahimi", Role.EMPLOYEE, "Lia barnehage", None, None, "", D(2022, 1, 10), None),
    # Fjellhaug barnehage: complete group.
    ("Elin Aasen", Role.UNIT_LEADER, "Fjellhaug barnehage", None, None, "", D(2020, 1, 1), None),
    (
        "Per Lunde",
        Role.LOCAL_UNION_REP,
        "Fjellhaug barnehage",
        None,
        "Utdanningsforbundet",
        "",
        D(2022, 1, 1),
        None,
    ),
    (
        "Randi Moe",
        Role.LOCAL_UNION_REP,
        "Fjellhaug barnehage",
        None,
        "Fagforbundet",
        "",
        D(2022, 1, 1),
        None,
    ),
    ("Kjell Nygård", Role.SAFETY_REP, "Fjellhaug barnehage", None, None, "", D(2024, 1, 1), None),
    ("Maja Lind", Role.EMPLOYEE, "Fjellhaug barnehage", "Storbarn", None, "", D(2021, 8, 1), None),
    # Fjordtun sykehjem: complete group; the leader changed in 2024 (R5: the structure survived).
    (
        "Gunnar Fossum",
        Role.UNIT_LEADER,
        "Fjordtun sykehjem",
        None,
        None,
        "",
        D(2015, 3, 1),
        D(2024, 5, 31),
    ),
    (
        "Anne Kristiansen",
        Role.UNIT_LEADER,
        "Fjordtun sykehjem",
        None,
        None,
        "",
        D(2024, 6, 1),
        None,
    ),
    (
        "Bjørn Tangen",
        Role.DEPARTMENT_LEADER,
        "Fjordtun sykehjem",
        "Langtid 1",
        None,
        "",
        D(2021, 1, 1),
        None,
    ),
    (
        "Silje Hovland",
        Role.DEPARTMENT_LEADER,
        "Fjordtun sykehjem",
        "Korttid og rehabilitering",
        None,
        "",
        D(2023, 9, 1),
        None,
    ),
    (
        "Hilde Rønning",
        Role.LOCAL_UNION_REP,
        "Fjordtun sykehjem",
        None,
        "NSF",
        "",
        D(2022, 1, 1),
        None,
    ),
    (
        "Tor Andersen",
        Role.LOCAL_UNION_REP,
        "Fjordtun sykehjem",
        None,
        "Fagforbundet",
        "",
        D(2021, 1, 1),
        None,
    ),
    (
        "Liv Sandvik",
        Role.LOCAL_UNION_REP,
        "Fjordtun sykehjem",
        None,
        "Delta",
        "",
        D(2024, 1, 1),
        None,
    ),
    ("Kristin Bakke", Role.SAFETY_REP, "Fjordtun sykehjem", None, None, "", D(2023, 1, 1), None),
    ("Fatima Ali", Role.EMPLOYEE, "Fjordtun sykehjem", "Langtid 1", None, "", D(2019, 5, 1), None),
    (
        "Erik Myhre",
        Role.EMPLOYEE,
        "Fjordtun sykehjem",
        "Skjermet enhet",
        None,
        "",
        D(2022, 2, 1),
        None,
    ),
    # Eikelund sykehjem: Delta has members but no local rep.
    ("Mona Jakobsen", Role.UNIT_LEADER, "Eikelund sykehjem", None, None, "", D(2018, 1, 1), None),
    ("Stian Holm", Role.LOCAL_UNION_REP, "Eikelund sykehjem", None, "NSF", "", D(2023, 1, 1), None),
    (
        "Grete Olsen",
        Role.LOCAL_UNION_REP,
        "Eikelund sykehjem",
        None,
        "Fagforbundet",
        "",
        D(2020, 1, 1),
        None,
    ),
    ("Vidar Sæther", Role.SAFETY_REP, "Eikelund sykehjem", None, None, "", D(2024, 1, 1), None),
    (
        "Linn Eriksen",
        Role.EMPLOYEE,
        "Eikelund sykehjem",
        "Avdeling A",
        None,
        "",
        D(2023, 6, 1),
        None,
    ),
    # Strandheim: leader and safety rep only; the group rests on two people.
    (
        "Camilla Vang",
        Role.UNIT_LEADER,
        "Strandheim bo- og omsorgssenter",
        None,
        None,
        "",
        D(2022, 1, 1),
        None,
    ),
    (
        "Rune Bø",
        Role.SAFETY_REP,
        "Strandheim bo- og omsorgssenter",
        None,
        None,
        "",
        D(2023, 1, 1),
        None,
    ),
    (
        "Helene Foss",
        Role.EMPLOYEE,
        "Strandheim bo- og omsorgssenter",
        None,
        None,
        "",
        D(2021, 1, 1),
        None,
    ),
    # Steering group "TriPart".
    ("Arne Skjeldal", Role.POLITICIAN, None, None, None, "position", D(2023, 11, 1), None),
    ("Marit Hegge", Role.POLITICIAN, None, None, None, "position", D(2023, 11, 1), None),
    ("Tore Fjeld", Role.POLITICIAN, None, None, None, "opposition", D(2023, 11, 1), None),
    ("Eva Lien", Role.ADMINISTRATION, None, None, None, "", D(2020, 1, 1), None),
    ("Jan Bakken", Role.ADMINISTRATION, None, None, None, "", D(2021, 1, 1), None),
    ("Hanne Berg", Role.ADMINISTRATION, None, None, None, "", D(2023, 1, 1), None),
    ("Siri Lund", Role.CHIEF_UNION_REP, None, None, "Fagforbundet", "", D(2022, 1, 1), None),
    ("Knut Dale", Role.CHIEF_UNION_REP, None, None, "Utdanningsforbundet", "", D(2023, 1, 1), None),
    ("Wenche Ruud", Role.CHIEF_SAFETY_REP, None, None, None, "", D(2022, 1, 1), None),
]

# One login per role, printed by `make run`.
DEMO_LOGINS = [
    (Role.MUNICIPAL_ADMIN, "Hanne Berg"),
    (Role.UNIT_LEADER, "Anne Kristiansen"),
    (Role.DEPARTMENT_LEADER, "Bjørn Tangen"),
    (Role.LOCAL_UNION_REP, "Hilde Rønning"),
    (Role.SAFETY_REP, "Kristin Bakke"),
    (Role.EMPLOYEE, "Fatima Ali"),
    (Role.POLITICIAN, "Tore Fjeld"),
    (Role.ADMINISTRATION, "Eva Lien"),
    (Role.CHIEF_UNION_REP, "Siri Lund"),
    (Role.CHIEF_SAFETY_REP, "Wenche Ruud"),
]


# New employees who have not all logged in yet: one invitation of each state on the person page
# (name, unit, state, days ago the invitation was sent). Their links are not known to anybody.
NEWCOMERS = [
    ("Jenny Lunde", "Lia barnehage", "sent", 3),
    ("Ahmed Noor", "Fjordtun sykehjem", "expired", 20),
    ("Synne Vold", "Eikelund sykehjem", "accepted", 6),
    ("Petter Ås", "Strandheim bo- og omsorgssenter", "not_sent", None),
]


def load_newcomers(municipality, units) -> None:
    """Imported employees without a password, with invitations sent, expired and accepted."""
    admin = User.objects.get(email=email_for("Hanne Berg"))
    now = timezone.now()
    for name, unit_name, state, days_ago in NEWCOMERS:
        if User.objects.filter(email=email_for(name)).exists():
            continue
        person = User.objects.create_user(
            email=email_for(name),
            password=DEMO_PASSWORD if state == "accepted" else None,
            full_name=name,
            municipality=municipality,
        )
        RoleAssignment.objects.create(
            municipality=municipality,
            person=person,
            role=Role.EMPLOYEE,
            unit=units[unit_name],
            starts_on=(now - datetime.timedelta(days=30)).date(),
            created_by=admin,
        )
        if days_ago is None:
            continue
        sent = now - datetime.timedelta(days=days_ago)
        Invitation.objects.create(
            person=person,
            invited_by=admin,
            token_hash=token_hash(secrets.token_urlsafe(32)),
            created_at=sent,
            sent_at=sent,
            expires_at=sent + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
            accepted_at=sent + datetime.timedelta(days=1) if state == "accepted" else None,
        )


def email_for(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "."})
    return f"{name.lower().translate(table)}@{DOMAIN}"


@transaction.atomic
def load_demo() -> Municipality:
    municipality, _ = Municipality.objects.get_or_create(
        name="Fjordvik kommune",
        defaults={
            "number": "9999",
            "steering_group_name": "TriPart",
            "party_group_name": "Partsgruppa",
            "accessibility_statement_url": "https://uustatus.no/",
        },
    )
    units = {}
    for area_name, unit_map in UNITS.items():
        area, _ = ServiceArea.objects.get_or_create(municipality=municipality, name=area_name)
        for unit_name, departments in unit_map.items():
            unit, created = Unit.objects.get_or_create(
                municipality=municipality, name=unit_name, defaults={"service_area": area}
            )
            if created:  # its input link and standing items, as for every new unit
                services.unit_created(unit)
            units[unit_name] = unit
            for dep in departments:
                Department.objects.get_or_create(unit=unit, name=dep)
    Unit.objects.filter(pk=units["Fjellhaug barnehage"].pk).update(party_group_name="HMS-gruppa")
    ensure_catalogue()
    unions = {u.short_name: u for u in Union.objects.filter(municipality=None)}
    for unit_name, presences in PRESENCE.items():
        for short_name, count in presences:
            UnionPresence.objects.get_or_create(
                unit=units[unit_name], union=unions[short_name], defaults={"member_count": count}
            )
    for name, role, unit_name, dep_name, union_name, side, start, end in PEOPLE:
        person = User.objects.filter(email=email_for(name)).first()
        if person is None:
            person = User.objects.create_user(
                email=email_for(name),
                password=DEMO_PASSWORD,
                full_name=name,
                municipality=municipality,
            )
        unit = units.get(unit_name) if unit_name else None
        department = Department.objects.get(unit=unit, name=dep_name) if dep_name else None
        RoleAssignment.objects.get_or_create(
            municipality=municipality,
            person=person,
            role=role,
            unit=unit,
            department=department,
            union=unions.get(union_name) if union_name else None,
            starts_on=start,
            defaults={"side": side, "ends_on": end},
        )
    AdoptionDecision.objects.get_or_create(
        municipality=municipality,
        body=AdoptionDecision.Body.COUNCIL,
        decided_on=D(2024, 6, 13),
        defaults={
            "reference": "PS 24/45",
            "summary": "Kommunestyret vedtar trepartssamarbeid som fast arbeidsform i alle "
            "enheter, forankret i arbeidsgiverpolitikken, med TriPart som styringsgruppe.",
        },
    )
    load_newcomers(municipality, units)
    return municipality


def demo_logins() -> list[tuple[str, str]]:
    return [(Role(role).label, email_for(name)) for role, name in DEMO_LOGINS]
