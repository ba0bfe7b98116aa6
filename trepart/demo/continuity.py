"""Demo handover for Fjordvik kommune (R5, R6): a handover in progress.

- Fjellhaug barnehage: Randi Moe, Fagforbundet's local rep, left five weeks ago; nobody has
  taken over yet. The vacancy is flagged (more than 30 days) and Siri Lund, Fagforbundet's chief
  union rep, was told when it opened.
- Lia barnehage: Lars Eide left Utdanningsforbundet's local rep role in the autumn; Ingrid
  Solheim took over three weeks ago (login ingrid.solheim@fjordvik.test). She is a newcomer
  (first 90 days): her home page points to the group's onboarding page, which shows Lia's
  meetings, open action, running trial and the steering group's open question; Knut Dale,
  Utdanningsforbundet's chief union rep, was told who she is.
- Every unit's party group has written down its way of working.
- Siri Lund and Knut Dale have noted follow-up conversations (private to each of them).

The other vacancies in the demo data (Lia's safety rep, Delta at Eikelund, Fagforbundet at
Strandheim) are recorded too, as if the chief reps had been told. Nobody is e-mailed about demo
history. Idempotent: nothing is created twice.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from trepart.accounts.models import User
from trepart.continuity import services
from trepart.continuity.models import FollowUpNote, GroupPractice, Handover, Welcome
from trepart.demo.organisation import DEMO_PASSWORD, email_for
from trepart.organisation.models import Role, RoleAssignment, Union, Unit

NEWCOMER = "Ingrid Solheim"

PRACTICE_KINDERGARTEN = """Slik jobber vi i partsgruppa

Møter: vi møtes første tirsdag i måneden kl. 14.00–15.00 på personalrommet. Referatet legges ut samme uke.

Møteleder: vi bytter på å lede møtene, etter medlemslista. Den som leder, sender ut sakslista.

Saker: alle i gruppa og alle ansatte kan melde inn saker. Sakslista sendes ut en uke før møtet. Drøftingssaker tar vi i et eget møte.

Hvert møte starter med: hvordan har vi det, og gir vi barna et godt tilbud?

I møtet: alle får si sin mening i en runde. Vi avslutter hver sak med hvem som gjør hva, og til når.

Når vi er uenige: vi stemmer ikke. Saken går til neste møte, og vi snakker sammen i mellomtiden. Vi prøver heller ut en løsning i noen måneder og evaluerer før vi bestemmer oss.

Innspill fra ansatte: alle innspill får svar innen en måned, også når svaret er nei, og da sier vi hvorfor.

Ikke for denne gruppa: personalsaker og lønnsforhandlinger."""

PRACTICE_NURSING_HOME = """Slik jobber vi i partsgruppa

Møter: vi bruker den faste ledermøtetiden annenhver torsdag kl. 13.30–14.30, og tar partsgruppesakene først. Referatet publiseres innen tre dager.

Møteleder: enhetsleder og tillitsvalgte leder annethvert møte.

Saker: sakslista sendes ut fem dager før. Saker fra ansatte kan meldes via lenken på vaktrommet eller til en av oss.

Hvert møte starter med: hvordan er arbeidsdagen, og gir vi beboerne gode tjenester?

I møtet: alle sier sin mening før vi konkluderer. Vernombudet vurderer arbeidsmiljøet i alle endringer.

Når vi er uenige: vi tar saken opp igjen neste gang. Endringer prøver vi ut i en avgrenset periode og evaluerer sammen med de ansatte.

Innspill fra ansatte: alle får svar, med begrunnelse.

Ikke for denne gruppa: personalsaker og lønnsforhandlinger."""

# (author, person, unit, days ago, text)
NOTES = [
    (
        "Knut Dale",
        NEWCOMER,
        "Lia barnehage",
        17,
        "Første samtale med Ingrid. Gikk gjennom rollen som plasstillitsvalgt og partsgruppas "
        "arbeidsmåte. Hun ønsker kurs i drøftingssaker – melder henne på til våren.",
    ),
    (
        "Siri Lund",
        "Grete Olsen",
        "Eikelund sykehjem",
        30,
        "Grete merker at det er tungt å få tid til partsgruppa i turnus. Snakket om å be "
        "enhetsleder om fast frikjøp til møtene. Avtalt ny prat etter jul.",
    ),
    (
        "Siri Lund",
        "Nora Haugen",
        "Lia barnehage",
        12,
        "Nora tar mer av arbeidet i partsgruppa nå som Utdanningsforbundet har en ny "
        "tillitsvalgt. Hun spør om vi kan finne en ny plasstillitsvalgt på Fjellhaug snart.",
    ),
]


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@transaction.atomic
def load(municipality) -> int:
    """Load the demo handover; returns the number of rows created."""
    units = {u.name: u for u in Unit.objects.filter(municipality=municipality)}
    udf = Union.objects.get(municipality=None, short_name="Utdanningsforbundet")
    admin = User.objects.get(email=email_for("Hanne Berg"))
    created = 0

    # Fjellhaug: Fagforbundet's local rep left five weeks ago (an open, long vacancy).
    RoleAssignment.objects.filter(
        municipality=municipality,
        person__email=email_for("Randi Moe"),
        role=Role.LOCAL_UNION_REP,
        ends_on__isnull=True,
    ).update(ends_on=_days(-35), ended_by=admin, ended_at=timezone.now())

    # Lia: Lars Eide left in the autumn; Ingrid Solheim took over three weeks ago.
    RoleAssignment.objects.filter(
        municipality=municipality,
        person__email=email_for("Lars Eide"),
        role=Role.LOCAL_UNION_REP,
        ends_on__isnull=True,
    ).update(ends_on=_days(-80), ended_by=admin, ended_at=timezone.now())
    newcomer = User.objects.filter(email=email_for(NEWCOMER)).first()
    if newcomer is None:
        newcomer = User.objects.create_user(
            email=email_for(NEWCOMER),
            password=DEMO_PASSWORD,
            full_name=NEWCOMER,
            municipality=municipality,
        )
        created += 1
    lia = units["Lia barnehage"]
    for role, union in ((Role.EMPLOYEE, None), (Role.LOCAL_UNION_REP, udf)):
        _, made = RoleAssignment.objects.get_or_create(
            municipality=municipality,
            person=newcomer,
            role=role,
            unit=lia,
            union=union,
            defaults={
                "starts_on": _days(-400 if role == Role.EMPLOYEE else -20),
                "created_by": admin,
            },
        )
        created += made

    # Record the vacancies and the newcomer as if the product had followed them all along:
    # the chief reps were told, the newcomer welcomed (no e-mail is sent for demo history).
    today = timezone.localdate()
    services.handovers_sync(municipality, today)
    newcomer_rep = RoleAssignment.objects.get(person=newcomer, role=Role.LOCAL_UNION_REP, unit=lia)
    if not Handover.objects.filter(newcomer=newcomer_rep).exists():
        Handover.objects.create(
            municipality=municipality,
            unit=lia,
            role=Role.LOCAL_UNION_REP,
            union=udf,
            vacant_since=_days(-79),
            noticed_on=_days(-79),
            filled_on=newcomer_rep.starts_on,
            newcomer=newcomer_rep,
        )
    for h in Handover.objects.filter(municipality=municipality, open_notified_at__isnull=True):
        if h.vacant_since and h.vacant_since < h.noticed_on:
            h.noticed_on = h.vacant_since
        if h.filled_on is None or h.newcomer_id is None or h.noticed_on < h.filled_on:
            h.open_notified_at = timezone.make_aware(
                datetime.datetime.combine(h.noticed_on, datetime.time(6))
            )
        h.save()
    for h in Handover.objects.filter(
        municipality=municipality, filled_on__isnull=False, filled_notified_at__isnull=True
    ):
        h.filled_notified_at = timezone.make_aware(
            datetime.datetime.combine(h.filled_on, datetime.time(6))
        )
        h.save(update_fields=["filled_notified_at"])
    Welcome.objects.filter(assignment__municipality=municipality, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    Welcome.objects.get_or_create(assignment=newcomer_rep, defaults={"sent_at": timezone.now()})

    # Every party group has written down its way of working (R13).
    leaders = {
        a.unit_id: a.person
        for a in RoleAssignment.objects.current().filter(
            municipality=municipality, role=Role.UNIT_LEADER
        )
    }
    for unit in units.values():
        text = PRACTICE_KINDERGARTEN if "barnehage" in unit.name else PRACTICE_NURSING_HOME
        _, made = GroupPractice.objects.get_or_create(
            unit=unit, defaults={"text": text, "updated_by": leaders.get(unit.pk)}
        )
        created += made

    # The chief union rep's private notes on follow-up conversations (R6).
    for author, name, unit_name, days_ago, text in NOTES:
        person = User.objects.get(email=email_for(name))
        _, made = FollowUpNote.objects.get_or_create(
            municipality=municipality,
            author=User.objects.get(email=email_for(author)),
            person=person,
            text=text,
            defaults={"unit": units[unit_name], "held_on": _days(-days_ago)},
        )
        created += made
    return created
