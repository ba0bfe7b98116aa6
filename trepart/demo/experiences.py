"""Demo experiences (P5, R28, R31): Fjordvik's library, and Bergli kommune, which shares.

Fjordvik kommune publishes what its party groups learned: the win at Fjordtun (health workers
changing pain patches, from the measure; the safety rep agreed to be named inside Fjordvik), the
new division of tasks at Solsiden barnehage (a decided measure), the weekly outdoor day at
Fjellhaug and, as a draft, what Eikelund learned from a morning meeting that was stopped.
Eikelund sykehjem wants to try the pain-patch change ("we want to try this": an idea-stage
measure linked to the experience).

Bergli kommune is a second, small municipality (nynorsk) with one unit and its leader. It opted
in to share experiences and shares two, so Fjordvik's library shows "from other
municipalities". Fjordvik has not opted in: its administrator can turn sharing on at
/manage/reporting/.

Idempotent: an experience is found by its unit and title before it is created; Bergli, its unit
and its leader are got or created. Everything is written through the services.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone, translation

from trepart.accounts.models import User
from trepart.measures.models import Measure, MeasureEvent
from trepart.organisation import services as organisation_services
from trepart.organisation.models import (
    PARTY_GROUP_ROLES,
    Municipality,
    Role,
    RoleAssignment,
    ServiceArea,
    Unit,
)
from trepart.reporting import experiences as exp
from trepart.reporting.models import Experience, ExperienceAdoption, ReportingSettings, Theme

DEMO_PASSWORD = "trepart-demo"
BERGLI = "Bergli kommune"
BERGLI_UNIT = "Bergli sjukeheim"
BERGLI_LEADER = ("Ingrid Haugland", "ingrid.haugland@bergli.test")


def _holder(unit, role=None):
    """The current holder of a role at the unit (else any member of its party group)."""
    current = RoleAssignment.objects.current().filter(unit=unit).select_related("person")
    found = current.filter(role=role).order_by("starts_on", "id").first() if role else None
    if found is None:
        found = current.filter(role__in=PARTY_GROUP_ROLES).order_by("role", "id").first()
    return found.person if found else None


def _backdate(experience: Experience, days_ago: int) -> None:
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Experience.objects.filter(pk=experience.pk).update(published_at=moment, created_at=moment)


class _Library:
    def __init__(self, municipality):
        self.municipality = municipality
        self.units = {u.name: u for u in Unit.objects.filter(municipality=municipality)}
        self.existing = {
            (e.unit_id, e.title): e
            for e in Experience.objects.filter(municipality=municipality).select_related("unit")
        }
        self.created = 0

    def add(
        self,
        unit_name: str,
        title: str,
        *,
        role=None,
        days_ago: int = 30,
        publish=True,
        measure_title: str = "",
        **fields,
    ) -> Experience | None:
        unit = self.units.get(unit_name)
        if unit is None:
            return None
        found = self.existing.get((unit.pk, title))
        if found is not None:
            return found
        actor = _holder(unit, role)
        if actor is None:
            return None
        source = None
        if measure_title:
            source = Measure.objects.filter(unit=unit, title=measure_title).first()
            if source is not None and not exp.measure_can_become_experience(source):
                source = None
        experience = exp.experience_create(
            actor=actor, unit=unit, title=title, source_measure=source, **fields
        )
        if publish:
            experience = exp.experience_publish(actor=actor, experience=experience)
            _backdate(experience, days_ago)
        self.existing[(unit.pk, title)] = experience
        self.created += 1
        return experience


def _fjordvik(municipality) -> int:
    library = _Library(municipality)
    smerteplaster = library.add(
        "Fjordtun sykehjem",
        "Helsefagarbeidere skifter smerteplaster",
        role=Role.SAFETY_REP,
        days_ago=40,
        measure_title="Helsefagarbeidere skifter smerteplaster",
        theme=Theme.TASKS,
        tried=(
            "Sykepleierne brukte mye tid på å skifte smerteplaster på faste dager. Vi lot "
            "helsefagarbeiderne med opplæring ta over oppgaven på langtidsavdelingen, i et "
            "prøveprosjekt på seks måneder."
        ),
        happened=(
            "Sykepleierne fikk om lag to timer mer i uka til vurderinger og pårørende. Ingen "
            "avvik i perioden. Helsefagarbeiderne sa i intervjuene at de opplevde mer ansvar og "
            "tillit."
        ),
        learned=(
            "Opplæring og en skriftlig prosedyre før start er avgjørende. Ta med verneombudet i "
            "risikovurderingen tidlig, og evaluer med intervjuer, ikke bare tall. Kommunalsjefen "
            "måtte vedta endringen formelt, så sett av tid til det."
        ),
        contact_role="Verneombudet ved Fjordtun sykehjem",
        contact_me=True,
    )
    library.add(
        "Solsiden barnehage",
        "Ny oppgavefordeling mellom pedagoger og assistenter",
        role=Role.UNIT_LEADER,
        days_ago=20,
        measure_title="Ny oppgavefordeling mellom pedagoger og assistenter",
        theme=Theme.TASKS,
        tried=(
            "Assistentene tok over garderoben og påkledning om morgenen, så pedagogene fikk "
            "sammenhengende tid til planlegging med barna."
        ),
        happened=(
            "Pedagogene fikk en halvtime mer planleggingstid hver dag. Assistentene trengte en "
            "tydeligere oversikt over hvem som gjør hva."
        ),
        learned=(
            "Lag oppgavelisten sammen med assistentene, ikke for dem. En felles tavle på "
            "personalrommet gjorde mer enn e-post."
        ),
        contact_role="Styreren ved Solsiden barnehage",
    )
    library.add(
        "Fjellhaug barnehage",
        "Fast turdag for de eldste barna",
        days_ago=10,
        theme=Theme.SERVICES,
        tried="Storbarn fikk en fast turdag hver onsdag, med to voksne og én vikar.",
        happened="Foreldrene var fornøyde, og barna gledet seg. Det krevde vikar hver uke.",
        learned=(
            "Planlegg vikaren for hele halvåret på en gang, ellers blir turen avlyst når noen "
            "er syke."
        ),
        contact_role="HMS-gruppa ved Fjellhaug barnehage",
    )
    library.add(
        "Eikelund sykehjem",
        "Det vi lærte av et felles morgenmøte som ble stoppet",
        publish=False,
        theme=Theme.COOPERATION,
        tried="Et felles morgenmøte for begge avdelinger, for å dele informasjon én gang.",
        happened="Møtet tok for lang tid, og avdelingene trengte ulike ting. Vi stoppet det.",
        learned="Spør de ansatte hva de trenger å vite om morgenen før dere lager et nytt møte.",
        contact_role="Partsgruppa ved Eikelund sykehjem",
    )
    created = library.created
    # "We want to try this": Eikelund takes up the pain-patch change from Fjordtun.
    eikelund = library.units.get("Eikelund sykehjem")
    if smerteplaster is not None and smerteplaster.status == Experience.Status.PUBLISHED:
        if (
            eikelund is not None
            and not ExperienceAdoption.objects.filter(
                experience=smerteplaster, unit=eikelund
            ).exists()
        ):
            actor = _holder(eikelund, Role.UNIT_LEADER)
            if actor is not None:
                measure = exp.experience_try(actor=actor, experience=smerteplaster, unit=eikelund)
                # A week ago, like the rest of the demo's story: the measure and its timeline.
                when = timezone.now() - datetime.timedelta(days=7)
                Measure.objects.filter(pk=measure.pk).update(created_at=when)
                MeasureEvent.objects.filter(measure=measure).update(at=when)
                created += 1
    return created


def _bergli() -> int:
    """The second demo municipality: one unit, its leader; opted in, two shared experiences."""
    municipality, _ = Municipality.objects.get_or_create(
        name=BERGLI, defaults={"number": "9998", "default_language": "nn"}
    )
    area, _ = ServiceArea.objects.get_or_create(municipality=municipality, name="Helse og omsorg")
    unit, created = Unit.objects.get_or_create(
        municipality=municipality, name=BERGLI_UNIT, defaults={"service_area": area}
    )
    if created:  # its input link and standing items, as for every new unit
        organisation_services.unit_created(unit)
    name, email = BERGLI_LEADER
    leader = User.objects.filter(email=email).first()
    if leader is None:
        leader = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, municipality=municipality
        )
    RoleAssignment.objects.get_or_create(
        municipality=municipality,
        person=leader,
        role=Role.UNIT_LEADER,
        unit=unit,
        defaults={"starts_on": datetime.date(2023, 8, 1)},
    )
    ReportingSettings.objects.update_or_create(
        municipality=municipality, defaults={"share_experiences": True}
    )
    library = _Library(municipality)
    library.add(
        BERGLI_UNIT,
        "Heiltidskultur: lengre vakter i helgane",
        days_ago=60,
        theme=Theme.ROTA,
        tried=(
            "Vi laga ein turnus med lengre vakter kvar tredje helg, slik at fleire fekk større "
            "stillingar og færre små helgestillingar."
        ),
        happened=(
            "Seks tilsette gjekk opp i stilling. Sjukefråveret gjekk litt ned, og bebuarane "
            "møtte færre ulike folk i helgane."
        ),
        learned=(
            "Start med dei som ønskjer det, og evaluer saman med verneombodet etter tre "
            "månader. Tillitsvalde må vere med frå første utkast."
        ),
        contact_role="Einingsleiaren ved Bergli sjukeheim",
        shared=True,
    )
    library.add(
        BERGLI_UNIT,
        "Fast kompetansetime kvar veke",
        days_ago=25,
        theme=Theme.COMPETENCE,
        tried="Ein fast time kvar tysdag der ein tilsett lærer bort noko til dei andre.",
        happened="Alle har halde minst éin time. Vikarane set særleg pris på det.",
        learned="Hald det kort og praktisk, og skriv opp temaa på ei liste alle kan sjå.",
        contact_role="Partsgruppa ved Bergli sjukeheim",
        shared=True,
    )
    return library.created


@transaction.atomic
def load_experiences_demo(municipality) -> int:
    """Create what is missing of the demo library; returns how many rows were created."""
    # The measure that "we want to try this" makes carries a sentence in the writer's language.
    with translation.override(municipality.default_language or "nb"):
        return _fjordvik(municipality) + _bergli()
