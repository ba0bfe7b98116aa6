"""Demo reflection exercises for Fjordvik kommune (P6; R17, R18).

| Unit                 | Exercise                          | State                                  |
|----------------------|-----------------------------------|----------------------------------------|
| Fjordtun sykehjem    | Role swap (R18)                   | everyone answered: shown side by side, |
|                      |                                   | one insight put on the next agenda     |
| Solsiden barnehage   | Start-up reflection per role (R17)| waiting for the safety rep (Ida Lie)   |

Idempotent: a run is found by its unit and exercise before it is created. Everything goes
through the services (permissions, the automatic release) with the demo people who hold the
roles; the runs are then moved back in time a little.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from trepart.organisation.models import PARTY_GROUP_ROLES, RoleAssignment, Unit
from trepart.reflection import catalogue_exercises as catalogue
from trepart.reflection import services_exercises as services
from trepart.reflection.models import ExerciseRun

FJORDTUN = "Fjordtun sykehjem"
SOLSIDEN = "Solsiden barnehage"
WAITING_FOR = "Ida Lie"  # the safety rep at Solsiden has not answered yet

# Role swap at Fjordtun: leaders answer as union reps (about the leader), union reps as the
# leader (about the union reps), the safety rep about both. One entry per member, in order.
ROLE_SWAP = {
    catalogue.LEADER: [
        {
            "contribution": "Lederen gir oss tall og bakgrunn tidlig, så vi kan mene noe før "
            "ting er bestemt.",
            "more_less": "Mer: si fra med en gang når budsjettet strammes inn. Mindre: ferdige "
            "løsninger som bare skal godkjennes i møtet.",
            "challenge": "Å få turnusen til å gå opp med færre sykepleiere og flere beboere "
            "med store behov.",
        },
        {
            "contribution": "Avdelingslederne kjenner hverdagen på gulvet og vet hva som "
            "faktisk lar seg gjøre.",
            "more_less": "Mer: være til stede ved vaktskiftet. Mindre: beskjeder på e-post sent "
            "på kvelden.",
            "challenge": "Å beholde helsefagarbeiderne når nabokommunen tilbyr hele stillinger.",
        },
        {
            "contribution": "At lederen tar ansvar for at det vi blir enige om, faktisk blir "
            "gjort.",
            "more_less": "Mer: fortelle hvorfor, ikke bare hva. Mindre: å vente på svar fra "
            "kommunen før vi får vite noe.",
            "challenge": "Nye krav til dokumentasjon som tar tid fra beboerne.",
        },
    ],
    catalogue.UNION_REP: [
        {
            "contribution": "Tillitsvalgte vet hva de ansatte snakker om på pauserommet før det "
            "blir en sak.",
            "more_less": "Mer: komme med forslag, ikke bare innvendinger. Mindre: enkeltsaker "
            "som hører hjemme et annet sted.",
            "challenge": "Å nå dem som jobber deltid og kveld, som sjelden kommer på medlemsmøter.",
        },
        {
            "contribution": "De tillitsvalgte gjør at de ansatte stoler på forsøkene vi setter i "
            "gang.",
            "more_less": "Mer: være med og forklare forsøk på personalmøtene. Mindre: å vente "
            "til drøftingsmøtet med å si at noe er vanskelig.",
            "challenge": "Å få nok tid til vervet når bemanningen er knapp.",
        },
        {
            "contribution": "Kunnskap om avtaleverket, så vi unngår feil når turnusen legges om.",
            "more_less": "Mer: dele det medlemmene er fornøyd med. Mindre: lange tilbakeblikk "
            "på gamle saker.",
            "challenge": "Å finne nye tillitsvalgte når de erfarne går av.",
        },
    ],
    catalogue.SAFETY_REP: [
        {
            "contribution": "Lederne setter av tid og penger; de tillitsvalgte sørger for at de "
            "ansatte blir hørt.",
            "more_less": "Mer: ta meg med tidlig når noe skal endres, ikke etter at det er "
            "bestemt. Mindre: at arbeidsmiljø blir punktet vi hopper over når møtet blir "
            "langt.",
            "challenge": "For lederne: langtidsfraværet. For de tillitsvalgte: å holde på "
            "engasjementet når et forsøk tar tid.",
        },
    ],
}

# Start-up reflection at Solsiden: by name, everyone but the safety rep.
START_UP = {
    "Marte Solberg": {
        "own_role": "At vi sammen ser på hvordan planleggingstida brukes, og hvordan vi tar "
        "imot nye assistenter.",
        "expect": "At dere sier fra tidlig når noe skurrer. Dere kan regne med at jeg deler "
        "det jeg vet om økonomien.",
        "first": "En fast rutine for vikarer på Blåbær. Det kan vi få til før jul.",
    },
    "Jonas Vik": {
        "own_role": "Hvordan oppgavene mellom pedagoger og assistenter faktisk fordeles på "
        "avdelingene.",
        "expect": "Ærlige tilbakemeldinger, også når noe ikke fungerer på min avdeling.",
        "first": "Bedre overlapp ved vaktbyttet på ettermiddagen.",
    },
    "Kari Nordmo": {
        "own_role": "Hvordan budsjettet for neste år ser ut, og hva verneombudet ser etter på "
        "vernerundene.",
        "expect": "At sakslista kommer en uke før møtet, så jeg rekker å snakke med medlemmene.",
        "first": "Planleggingstid for pedagogene som faktisk blir tatt ut.",
    },
    "Ole Hansen": {
        "own_role": "Hvem som bestemmer innkjøp til avdelingene, og hvordan verneombudet "
        "jobber med støy.",
        "expect": "At vi snakker sammen før noe sendes videre til kommunen.",
        "first": "Støyen i garderoben når barna hentes.",
    },
}

INSIGHT = "Ta med verneombudet før endringer blir bestemt"
INSIGHT_NOTE = "Kom fram i rollebyttet: verneombudet vil inn tidligere i prosessen."


def _group(unit) -> list:
    assignments = (
        RoleAssignment.objects.current()
        .filter(unit=unit, role__in=PARTY_GROUP_ROLES)
        .select_related("person")
        .order_by("person__full_name")
    )
    seen = {}
    for a in assignments:
        seen.setdefault(a.person_id, a.person)
    return list(seen.values())


def _backdate(run, days: int) -> None:
    started = timezone.now() - datetime.timedelta(days=days)
    ExerciseRun.objects.filter(pk=run.pk).update(started_at=started)
    if run.released_at:
        ExerciseRun.objects.filter(pk=run.pk).update(
            released_at=started + datetime.timedelta(days=min(days - 1, 5))
        )


def _role_swap(unit) -> int:
    if ExerciseRun.objects.filter(unit=unit, exercise="role_swap").exists():
        return 0
    members = _group(unit)
    if not members:
        return 0
    run = services.run_start(
        actor=members[0],
        unit=unit,
        exercise="role_swap",
        note="Vi tar samtalen på møtet etter at alle har svart.",
    )
    used = {kind: 0 for kind in catalogue.ROLE_KINDS}
    for person in members:
        kind = catalogue.KIND_OF_ROLE[services.member_role(person, unit)]
        texts = ROLE_SWAP[kind][used[kind] % len(ROLE_SWAP[kind])]
        used[kind] += 1
        services.answer_save(actor=person, run=run, answers=texts, submit=True)
    run.refresh_from_db()
    try:  # the insight goes on the group's next planned meeting, when there is one
        services.insight_turn(
            actor=members[0], run=run, target="agenda", title=INSIGHT, note=INSIGHT_NOTE
        )
    except ValidationError:
        pass
    _backdate(run, 12)
    return 1


def _start_up(unit) -> int:
    if ExerciseRun.objects.filter(unit=unit, exercise="start_up").exists():
        return 0
    members = _group(unit)
    starter = next((p for p in members if p.full_name == "Marte Solberg"), None)
    if starter is None:
        return 0
    run = services.run_start(
        actor=starter,
        unit=unit,
        exercise="start_up",
        note="Tre nye i gruppa i år: la oss starte med å høre hva hver av oss tenker.",
    )
    for person in members:
        texts = START_UP.get(person.full_name)
        if texts and person.full_name != WAITING_FOR:
            services.answer_save(actor=person, run=run, answers=texts, submit=True)
    _backdate(run, 4)
    return 1


def load(municipality) -> int:
    """Create the demo exercises that are missing; returns how many runs were created."""
    units = {u.name: u for u in Unit.objects.filter(municipality=municipality)}
    created = 0
    with translation.override(municipality.default_language or "nb"), transaction.atomic():
        if FJORDTUN in units:
            created += _role_swap(units[FJORDTUN])
        if SOLSIDEN in units:
            created += _start_up(units[SOLSIDEN])
    return created
