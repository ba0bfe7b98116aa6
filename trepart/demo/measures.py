"""Demo measures for Fjordvik kommune (P4, R16, R24–R29): the party groups' measures in every
stage, from an idea taken up from staff input to a kept change that was celebrated as a win.

| Unit                            | Measure                                         | Stage         |
|---------------------------------|-------------------------------------------------|---------------|
| Fjordtun sykehjem               | Helsefagarbeidere skifter smerteplaster         | done, win     |
| Fjordtun sykehjem               | Fast pauseplan på dagvakt                       | planned again |
| Fjordtun sykehjem               | Langvakter i helg                               | in trial      |
| Fjordtun sykehjem               | Fleksibel bemanning på tvers av avdelinger      | planned       |
| Fjordtun sykehjem               | Sjekkliste for vikarer på første vakt           | idea          |
| Eikelund sykehjem               | Felles morgenmøte for begge avdelinger          | stopped       |
| Strandheim bo- og omsorgssenter | Rutine når kveldsvakta blir alene               | in trial (1)  |
| Lia barnehage                   | Foreldremeldinger bare i arbeidstida            | in trial (2)  |
| Fjellhaug barnehage             | Fast turdag for Storbarn                        | evaluated     |
| Solsiden barnehage              | Ny oppgavefordeling mellom pedagoger og ...     | decided (3)   |

(1) evaluation overdue; (2) risk assessment by the leader together with the chief safety rep,
since Lia has no safety rep; (3) referred to the decision line, waiting for its outcome. "Fast
pauseplan" was decided "adjust" and went back to planning; the smerteplaster decision was
referred and the outcome recorded before it was completed. The vikar checklist is the staff
input taken up as a measure (its submitter sees it on the input), and several others link the
input they came from.

Idempotent: a measure is found by its unit and title before it is created, so loading twice
creates nothing twice. Everything goes through the services (permissions, the state machine,
events) with the demo people who hold the roles, and is then moved back in time so the timeline
looks like a real year. Nobody is e-mailed about demo history.
"""

from __future__ import annotations

import contextlib
import datetime

from django.db import transaction
from django.utils import timezone

from trepart.inputs import services as input_services
from trepart.inputs.models import OPEN_STATUSES, Input, InputEvent
from trepart.measures import services
from trepart.measures.models import (
    Decision,
    Evidence,
    Level,
    Measure,
    MeasureEvent,
    RiskAssessment,
)
from trepart.meetings.models import AgendaItem
from trepart.organisation.models import PARTY_GROUP_ROLES, Role, RoleAssignment, Unit

FJORDTUN = "Fjordtun sykehjem"
EIKELUND = "Eikelund sykehjem"
STRANDHEIM = "Strandheim bo- og omsorgssenter"
SOLSIDEN = "Solsiden barnehage"
LIA = "Lia barnehage"
FJELLHAUG = "Fjellhaug barnehage"

LOW, MEDIUM, HIGH = Level.LOW, Level.MEDIUM, Level.HIGH


def _risk(description: str, likelihood: int, consequence: int, mitigation: str) -> dict:
    return {
        "description": description,
        "likelihood": int(likelihood),
        "consequence": int(consequence),
        "mitigation": mitigation,
    }


@contextlib.contextmanager
def _quiet():
    """Demo history is not news: no e-mail to the safety reps or to input submitters."""
    request = services._request_risk_assessment
    notify = input_services._notify
    services._request_risk_assessment = lambda measure: None
    input_services._notify = lambda item: None
    try:
        yield
    finally:
        services._request_risk_assessment = request
        input_services._notify = notify


class _Demo:
    def __init__(self, municipality):
        self.municipality = municipality
        self.today = timezone.localdate()
        self.units = {u.name: u for u in Unit.objects.filter(municipality=municipality)}
        self.existing = set(
            Measure.objects.filter(municipality=municipality).values_list("unit__name", "title")
        )
        self.created = 0

    def day(self, ago: int) -> datetime.date:
        """`ago` days before today; negative is in the future."""
        return self.today - datetime.timedelta(days=ago)

    def who(self, unit_name: str, role: str, *, union: str = "", department: str = ""):
        """The current holder of a role at the unit; else another member of its party group."""
        current = RoleAssignment.objects.current().filter(unit=self.units[unit_name])
        qs = current.filter(role=role)
        if union:
            qs = qs.filter(union__short_name=union)
        if department:
            qs = qs.filter(department__name=department)
        found = qs.select_related("person").order_by("starts_on", "id").first()
        if found is None:
            found = (
                current.filter(role__in=PARTY_GROUP_ROLES)
                .select_related("person")
                .order_by("role", "starts_on", "id")
                .first()
            )
        return found.person

    def safety_rep(self, unit_name: str):
        """(who records the risk assessment, the safety rep it was made with) – R26."""
        rep = (
            RoleAssignment.objects.current()
            .filter(unit=self.units[unit_name], role=Role.SAFETY_REP)
            .select_related("person")
            .first()
        )
        if rep is not None:
            return rep.person, ""
        chief = (
            RoleAssignment.objects.current()
            .filter(municipality=self.municipality, role=Role.CHIEF_SAFETY_REP)
            .select_related("person")
            .first()
        )
        name = f"{chief.person.full_name} (hovedverneombud)" if chief else "Hovedverneombudet"
        return self.who(unit_name, Role.UNIT_LEADER), name

    def source_input(self, unit_name: str, first_line: str) -> Input | None:
        return Input.objects.filter(
            unit=self.units[unit_name], text__startswith=first_line + "\n"
        ).first()

    def new(self, unit_name: str, title: str, *, actor, ago: int, problem: str, **links):
        """A story for a new measure, or None when the demo already has it."""
        if (unit_name, title) in self.existing or unit_name not in self.units:
            return None
        measure = services.measure_create(
            actor=actor, unit=self.units[unit_name], title=title, problem=problem, **links
        )
        return self.story(measure, ago)

    def story(self, measure: Measure, ago: int) -> _Story:
        self.existing.add((measure.unit.name, measure.title))
        self.created += 1
        return _Story(self, measure, ago)


class _Story:
    """One measure's history, told through the services step by step (oldest first), each step
    then dated `ago` days back: its events, and the dates the services stamp with today."""

    def __init__(self, demo: _Demo, measure: Measure, ago: int):
        self.demo, self.measure = demo, measure
        self.unit_name = measure.unit.name
        self.ago, self.step, self.last_event_id = ago, 0, 0
        self._set(created_at=self._moment(ago))
        self._stamp(ago)

    # --- dating ---------------------------------------------------------------------------------

    def _moment(self, ago: int, step: int = 0) -> datetime.datetime:
        start = datetime.datetime.combine(
            self.demo.day(ago), datetime.time(9 + self.measure.pk % 5, 0)
        )
        return timezone.make_aware(start) + datetime.timedelta(minutes=20 * step)

    def _set(self, **fields) -> None:
        """Update the row and the instance alike (the services save the instance again)."""
        Measure.objects.filter(pk=self.measure.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.measure, name, value)

    def _stamp(self, ago: int) -> datetime.datetime:
        """Date the events recorded since the last step; returns the last one's moment."""
        assert ago <= self.ago, f"{self.measure.title}: steps must be told oldest first"
        if ago != self.ago:
            self.ago, self.step = ago, 0
        at = self._moment(ago, self.step)
        events = MeasureEvent.objects.filter(measure=self.measure, pk__gt=self.last_event_id)
        for pk in events.order_by("id").values_list("pk", flat=True):
            at = self._moment(ago, self.step)
            MeasureEvent.objects.filter(pk=pk).update(at=at)
            self.step += 1
            self.last_event_id = pk
        return at

    def finish(self) -> None:
        last = self.measure.events.order_by("-at", "-id").values_list("at", flat=True).first()
        self._set(updated_at=last or self._moment(self.ago))

    # --- the steps ------------------------------------------------------------------------------

    def plan(self, actor, ago: int, *, evaluation_ago: int | None = None, **fields) -> None:
        if evaluation_ago is not None:
            fields["evaluation_on"] = self.demo.day(evaluation_ago)
        services.plan_save(actor=actor, measure=self.measure, **fields)
        if not RiskAssessment.objects.filter(measure=self.measure).exists():
            if self.measure.risk_requested_on is None:
                # What services._request_risk_assessment records, without the e-mail.
                self._set(risk_requested_on=self.demo.day(ago))
        self._stamp(ago)

    def risk(self, ago: int, *, summary: str, risks: list[dict]) -> None:
        actor, with_safety_rep = self.demo.safety_rep(self.unit_name)
        services.risk_assessment_save(
            actor=actor,
            measure=self.measure,
            summary=summary,
            risks=risks,
            with_safety_rep=with_safety_rep,
        )
        RiskAssessment.objects.filter(measure=self.measure).update(assessed_on=self.demo.day(ago))
        self._stamp(ago)

    def start(self, actor, ago: int, *, ends_ago: int, participants: str) -> None:
        services.trial_start(
            actor=actor,
            measure=self.measure,
            starts_on=self.demo.day(ago),
            ends_on=self.demo.day(ends_ago),
            participants=participants,
        )
        self._stamp(ago)

    def note(self, actor, ago: int, text: str) -> None:
        services.note_add(actor=actor, measure=self.measure, text=text)
        self._stamp(ago)

    def evidence(self, actor, ago: int, text: str) -> None:
        evidence = services.evidence_add(actor=actor, measure=self.measure, text=text)
        at = self._stamp(ago)
        Evidence.objects.filter(pk=evidence.pk).update(added_at=at)

    def evaluate(self, actor, ago: int, *, findings: str, assessment: str) -> None:
        services.evaluate(
            actor=actor, measure=self.measure, findings=findings, assessment=assessment
        )
        self._set(evaluated_on=self.demo.day(ago))
        self._stamp(ago)

    def decide(self, actor, ago: int, decision: str, note: str, referred_to: str = "") -> None:
        services.decide(
            actor=actor,
            measure=self.measure,
            decision=decision,
            note=note,
            referred_to=referred_to,
        )
        day = self.demo.day(ago)
        self._set(decided_on=day, referred_on=day if referred_to else None)
        self._stamp(ago)

    def outcome(self, actor, ago: int, text: str) -> None:
        services.line_outcome_record(
            actor=actor, measure=self.measure, outcome=text, outcome_on=self.demo.day(ago)
        )
        self._stamp(ago)

    def complete(self, actor, ago: int, comment: str) -> None:
        services.complete(actor=actor, measure=self.measure, comment=comment)
        self._stamp(ago)

    def try_again(self, actor, ago: int, comment: str) -> None:
        services.try_again(actor=actor, measure=self.measure, comment=comment)
        self._stamp(ago)

    def stop(self, actor, ago: int, reason: str) -> None:
        services.stop(actor=actor, measure=self.measure, reason=reason)
        self._stamp(ago)

    def win(self, actor, ago: int, story: str) -> None:
        services.win_mark(actor=actor, measure=self.measure, story=story)
        self._set(win_marked_on=self.demo.day(ago))
        self._stamp(ago)


# --- the measures, oldest first (so the ids follow the dates) -----------------------------------


def _smerteplaster(demo: _Demo):
    """A small, achievable change (R16) tried, evaluated by interviews, kept and celebrated."""
    leader = demo.who(FJORDTUN, Role.UNIT_LEADER)
    fagforbundet = demo.who(FJORDTUN, Role.LOCAL_UNION_REP, union="Fagforbundet")
    nsf = demo.who(FJORDTUN, Role.LOCAL_UNION_REP, union="NSF")
    korttid = demo.who(FJORDTUN, Role.DEPARTMENT_LEADER, department="Korttid og rehabilitering")
    s = demo.new(
        FJORDTUN,
        "Helsefagarbeidere skifter smerteplaster",
        actor=fagforbundet,
        ago=390,
        problem="Sykepleierne blir stadig hentet fra andre oppgaver for å skifte smerteplaster, "
        "ofte midt i stell eller legevisitt. I medarbeiderundersøkelsen sa mange "
        "helsefagarbeidere at de ønsker mer faglig ansvar.",
    )
    if s is None:
        return None
    s.plan(
        leader,
        380,
        need_and_purpose="Sykepleierne trenger å bruke tida på det bare de kan gjøre, og "
        "helsefagarbeiderne vil bruke mer av det de kan. Vi prøver en oppgavedeling som avlaster "
        "den ene gruppa og gir den andre faglig utvikling, uten at beboerne merker noe annet enn "
        "at plasteret skiftes til rett tid.",
        goals="Helsefagarbeidere med godkjent opplæring skifter smerteplaster etter ordinasjonen "
        "i journalen. Sykepleier har fortsatt ansvaret for å vurdere smerten og for ordinasjonen. "
        "Vi forteller om målene på personalmøtet og henger dem opp på medisinrommet.",
        anchoring_administrative="Kommunens prosedyre for legemiddelhåndtering åpner for "
        "delegering etter opplæring. Kommunalsjefen har sagt ja til en utprøving; en varig "
        "endring av prosedyren avgjør kommunalsjefen etter evalueringen. Tilsynslegen er "
        "orientert.",
        anchoring_union="Fagforbundet tok opp saken. NSF var bekymret for at sykepleierne mister "
        "oversikten. Etter to runder i partsgruppa ble de tillitsvalgte enige om å prøve i seks "
        "måneder og evaluere sammen før noe blir fast.",
        anchoring_staff="Lagt fram på personalmøtet. Helsefagarbeiderne melder seg frivillig "
        "til opplæringen; ingen blir pålagt å være med.",
        cooperation="Utprøvingen er fast punkt på partsgruppemøtene. Hver avdeling har en "
        "sykepleier og en helsefagarbeider som kontaktpersoner og sier fra når noe skurrer.",
        resources="To timer opplæring og en praktisk prøve per helsefagarbeider, i arbeidstida. "
        "Fagsykepleier holder opplæringen. Ingen andre kostnader.",
        follow_up="Avvik meldes som vanlig og gås gjennom hver måned. Etter seks måneder "
        "intervjuer vi sykepleiere og helsefagarbeidere, og partsgruppa tar stilling til om det "
        "skal bli fast praksis.",
        facts_needed="Hvor mange plasterskift vi har i uka, hvem som gjør dem i dag, og hvor "
        "ofte de blir forsinket.",
        staff_asked="Gruppearbeid på personalmøtet: hva må være på plass for at begge "
        "yrkesgruppene skal føle seg trygge på den nye fordelingen?",
        responsibilities="Fagsykepleier: opplæring og praktisk prøve. Avdelingslederne: liste "
        "over hvem som er godkjent. Tillitsvalgte i Fagforbundet og NSF: samle erfaringer fra "
        "medlemmene og gjennomføre intervjuene. Verneombudet: følge med på arbeidsbelastningen.",
        success_criteria="Plasteret skiftes til rett tid, ingen alvorlige avvik, sykepleierne "
        "blir sjeldnere avbrutt, og helsefagarbeiderne opplever oppgaven som faglig meningsfull.",
        evaluation_ago=165,
    )
    s.risk(
        372,
        summary="Lav til middels risiko når opplæringen og ansvarsdelingen er på plass. "
        "Utprøvingen kan starte.",
        risks=[
            _risk(
                "Helsefagarbeidere kan føle seg presset til å ta et ansvar de ikke er trygge på.",
                MEDIUM,
                MEDIUM,
                "Frivillig å være med. Praktisk prøve før man starter, og alltid lov å be "
                "sykepleier om hjelp.",
            ),
            _risk(
                "Uklart hvem som har ansvaret hvis et plaster glemmes eller skiftes feil.",
                MEDIUM,
                HIGH,
                "Sykepleier på vakt har ansvaret for ordinasjonen. Skiftet signeres i journalen, "
                "og lista over godkjente henger på medisinrommet.",
            ),
            _risk(
                "Mer å gjøre for helsefagarbeiderne på travle vakter.",
                MEDIUM,
                LOW,
                "Plasterskift legges til rolige tider på vakta. Partsgruppa følger med hver måned.",
            ),
        ],
    )
    s.start(
        leader,
        360,
        ends_ago=178,
        participants="Elleve helsefagarbeidere fra alle tre avdelingene som meldte seg, etter "
        "opplæring og bestått praktisk prøve.",
    )
    s.note(
        nsf,
        330,
        "Alle elleve har bestått prøven. Første måned skiftet helsefagarbeiderne rundt 140 "
        "plaster, uten avvik.",
    )
    s.note(
        korttid,
        270,
        "Halvveis: sykepleierne på Korttid sier de blir avbrutt sjeldnere. En nattevakt har "
        "spurt om opplæring og kommer med i neste runde.",
    )
    s.note(
        fagforbundet,
        215,
        "Ett avvik: et plaster ble skiftet en time for sent fordi lista over godkjente ikke var "
        "oppdatert. Lista ligger nå i journalsystemet, der alle ser den.",
    )
    s.evidence(
        nsf,
        170,
        "Intervjuer med seks sykepleiere og åtte helsefagarbeidere, gjort av de tillitsvalgte i "
        "NSF og Fagforbundet sammen. Sykepleierne: færre avbrytelser, mer tid til "
        "smertevurdering og legevisitt, og de stoler på at skiftene blir gjort. "
        "Helsefagarbeiderne: stolte av oppgaven, lærer mer om smertebehandling, og ingen ønsker å "
        "gå tilbake. Begge grupper vil ha opplæringen inn i introduksjonen for nyansatte.",
    )
    s.evidence(
        leader,
        168,
        "Avvik: ett forsinket plasterskift i prøveperioden, mot tre i samme halvår året før. "
        "Ingen skade på beboere.",
    )
    s.evaluate(
        leader,
        163,
        findings="Rundt ni av ti plasterskift ble gjort av helsefagarbeidere. Ett avvik "
        "(forsinket skift), ingen skade. Sykepleierne blir sjeldnere avbrutt, og "
        "helsefagarbeiderne opplever oppgaven som et faglig løft. Alle suksesskriteriene er nådd.",
        assessment="Utprøvingen har nådd målene. Partsgruppa er enig om å gjøre det til fast "
        "praksis, og opplæringen bør inn i introduksjonen for nyansatte.",
    )
    s.decide(
        leader,
        158,
        Decision.KEEP,
        "Fast praksis på alle avdelinger. Prosedyren for legemiddelhåndtering må oppdateres, og "
        "den eier kommunalsjefen.",
        referred_to="Kommunalsjef for helse og omsorg",
    )
    s.outcome(
        leader,
        140,
        "Kommunalsjefen har godkjent endringen. Prosedyren for legemiddelhåndtering er "
        "oppdatert, og de andre sykehjemmene kan bruke den samme opplæringen.",
    )
    s.complete(
        leader,
        136,
        "Fast praksis fra nå. Opplæringen er tatt inn i introduksjonen for nyansatte.",
    )
    s.win(
        fagforbundet,
        135,
        "Helsefagarbeiderne ba om mer ansvar og fikk det. Nå skifter de nesten alle "
        "smerteplastrene, sykepleierne blir sjeldnere avbrutt, og beboerne får plasteret til rett "
        "tid. Det startet med uenighet mellom to fagforeninger og endte med en løsning begge står "
        "bak. Eikelund har bedt om å få opplæringsopplegget.",
    )
    return s


def _oppgavefordeling_barnehage(demo: _Demo):
    """Kept by the group, but the formal decision lies with the decision line (R29)."""
    leader = demo.who(SOLSIDEN, Role.UNIT_LEADER)
    blabaer = demo.who(SOLSIDEN, Role.DEPARTMENT_LEADER, department="Blåbær")
    udf = demo.who(SOLSIDEN, Role.LOCAL_UNION_REP, union="Utdanningsforbundet")
    fagforbundet = demo.who(SOLSIDEN, Role.LOCAL_UNION_REP, union="Fagforbundet")
    s = demo.new(
        SOLSIDEN,
        "Ny oppgavefordeling mellom pedagoger og assistenter",
        actor=udf,
        ago=280,
        problem="Pedagogene bruker mye tid på praktiske oppgaver og får sjelden tatt ut "
        "planleggingstida. Fagarbeidere og assistenter sier at de gjerne tar mer ansvar i "
        "hverdagen.",
    )
    if s is None:
        return None
    s.plan(
        leader,
        270,
        need_and_purpose="Pedagogene skal få tid til planlegging, veiledning og "
        "foreldresamarbeid, og fagarbeidere og assistenter skal få bruke mer av kompetansen sin. "
        "Barna skal møte voksne som vet hva de har ansvar for.",
        goals="Fagarbeidere og assistenter får fast ansvar for dagsrytmen, garderoben og "
        "beskjeder ved henting, og hver sin smågruppe i frileken. Pedagogene får tre faste timer "
        "i uka til planlegging. Fordelingen står på ett ark som henger på hver avdeling.",
        anchoring_administrative="Styrer har orientert kommunalsjef for oppvekst, fordi "
        "stillingsbeskrivelsene må endres hvis ordningen blir fast.",
        anchoring_union="Utdanningsforbundet og Fagforbundet har drøftet fordelingen og vil "
        "prøve den. Begge passer på at ingen får oppgaver som krever barnehagelærerutdanning.",
        anchoring_staff="Alle ansatte var med i gruppearbeidet om hvilke oppgaver som kan "
        "flyttes. Begge avdelingene var med fra start.",
        cooperation="Fast punkt på partsgruppemøtene. Hver avdeling har en pedagog og en "
        "fagarbeider som samler erfaringer mellom møtene.",
        resources="To ettermiddager kurs for fagarbeidere og assistenter om språkutvikling og "
        "samtaler med foreldre ved henting. Ellers ingen kostnader.",
        follow_up="Vi teller hvor mye planleggingstid som faktisk blir tatt ut, og har "
        "gruppeintervjuer med pedagogene og med fagarbeidere og assistenter etter seks måneder.",
        facts_needed="Hvor mye planleggingstid pedagogene har fått det siste halvåret, og hvilke "
        "oppgaver som tar mest av tida deres.",
        staff_asked="Personalmøte med gruppearbeid: hva gjør du i dag som en annen kunne gjort, "
        "og hva vil du gjerne ha mer ansvar for?",
        responsibilities="Styrer: rammene og kontakten med kommunalsjefen. Avdelingslederne: "
        "fordelingen på hver avdeling. De tillitsvalgte: innspill fra medlemmene og "
        "gruppeintervjuene. Verneombudet: arbeidsbelastningen.",
        success_criteria="Pedagogene får tatt ut minst 80 prosent av planleggingstida, og både "
        "pedagoger og fagarbeidere sier at hverdagen er blitt bedre eller like god.",
        evaluation_ago=40,
    )
    s.risk(
        262,
        summary="Middels risiko, mest fordi rollene kan være uklare i starten. Tiltakene under "
        "er på plass før oppstart.",
        risks=[
            _risk(
                "Fagarbeidere og assistenter får ansvar de ikke har fått opplæring i.",
                MEDIUM,
                MEDIUM,
                "Kurs før oppstart, og en pedagog er alltid tilgjengelig for spørsmål.",
            ),
            _risk(
                "Uklare roller gir gnisninger mellom yrkesgruppene.",
                MEDIUM,
                MEDIUM,
                "Skriftlig fordeling på hver avdeling; tas opp på avdelingsmøtene.",
            ),
            _risk(
                "Ved sykefravær forsvinner planleggingstida igjen.",
                HIGH,
                MEDIUM,
                "Planleggingstida legges til dager med flest voksne, og styrer prioriterer den "
                "når det leies inn vikar.",
            ),
        ],
    )
    s.start(
        leader,
        250,
        ends_ago=68,
        participants="Blåbær og Tyttebær: fire pedagoger og ni fagarbeidere og assistenter.",
    )
    s.note(
        blabaer,
        210,
        "Garderoben fungerer bedre med en fast ansvarlig. Foreldrene har tatt godt imot at "
        "fagarbeiderne gir beskjedene ved henting.",
    )
    s.note(
        fagforbundet,
        150,
        "Assistentene på Tyttebær vil ha mer veiledning om smågruppene. Pedagogene setter av et "
        "kvarter til det på hvert avdelingsmøte.",
    )
    s.note(
        udf,
        95,
        "Planleggingstida forsvant i tre uker under sykdomsperioden. Styrer har lovet å "
        "prioritere den ved innleie.",
    )
    s.evidence(
        udf,
        55,
        "Gruppeintervju med fire pedagoger: mer tid til planlegging og foreldresamtaler, og "
        "roligere overganger. Fortsatt sårbart når noen er syke.",
    )
    s.evidence(
        fagforbundet,
        52,
        "Gruppeintervju med seks fagarbeidere og assistenter: de fleste liker det større "
        "ansvaret og blir mer sett av foreldrene. To ønsker mer opplæring før de tar smågrupper.",
    )
    s.evidence(
        leader,
        50,
        "Planleggingstid: pedagogene fikk tatt ut 84 prosent av timene i prøveperioden, mot "
        "rundt halvparten halvåret før.",
    )
    s.evaluate(
        leader,
        40,
        findings="Pedagogene fikk tatt ut 84 prosent av planleggingstida, mot rundt halvparten "
        "før. Fagarbeidere og assistenter opplever mer ansvar og mening, men noen vil ha mer "
        "opplæring. I sykdomsperioder faller planleggingstida fortsatt bort.",
        assessment="Målene er nådd. Vi vil gjøre fordelingen fast, med mer opplæring og en plan "
        "for fravær. At planleggingstida er sårbar ved sykdom, tar vi opp som en egen sak.",
    )
    s.decide(
        leader,
        21,
        Decision.KEEP,
        "Partsgruppa anbefaler å gjøre fordelingen fast på begge avdelinger. Det betyr nye "
        "stillingsbeskrivelser for fagarbeidere og assistenter, og det bestemmer "
        "kommunalsjefen.",
        referred_to="Kommunalsjef for oppvekst",
    )
    return s


def _morgenmote(demo: _Demo):
    """Stopped before the trial: the risk assessment showed it was not safe (R26)."""
    leader = demo.who(EIKELUND, Role.UNIT_LEADER)
    s = demo.new(
        EIKELUND,
        "Felles morgenmøte for begge avdelinger",
        actor=leader,
        ago=160,
        problem="Avdeling A og B har hvert sitt morgenmøte, og sykepleieren som har ansvaret for "
        "begge, må være med på to. Informasjon om beboere som flytter mellom avdelingene, kommer "
        "ikke alltid fram.",
    )
    if s is None:
        return None
    s.plan(
        leader,
        155,
        need_and_purpose="Ett felles møte skal gi alle den samme informasjonen og spare "
        "sykepleieren for et møte hver morgen.",
        goals="Ett morgenmøte klokka 07.30 for begge avdelinger, på høyst ti minutter.",
        anchoring_union="De tillitsvalgte i NSF og Fagforbundet vil gjerne prøve.",
        anchoring_staff="Lagt fram på personalmøtet. Meningene var delte, men de fleste ville "
        "prøve.",
        cooperation="Partsgruppa planlegger, og to ansatte fra hver avdeling er med og "
        "utformer møtet.",
        resources="Ingen kostnader. Vi bruker møterommet i første etasje.",
        follow_up="Kort evaluering på personalmøtet etter tre måneder.",
        staff_asked="Personalmøtet: hva må vi vite klokka halv åtte, og hva kan vente til "
        "senere på dagen?",
        responsibilities="Virksomhetsleder: møteform og tidspunkt. De tillitsvalgte: innspill "
        "fra medlemmene. Verneombudet: risikovurdering.",
        success_criteria="Møtet varer høyst ti minutter, og ingen viktig informasjon om "
        "beboerne blir borte.",
        evaluation_ago=60,
    )
    s.risk(
        150,
        summary="Høy risiko slik tiltaket er tenkt: begge avdelingene blir for tynt bemannet "
        "mens møtet pågår. Verneombudet anbefaler ikke å starte utprøvingen.",
        risks=[
            _risk(
                "Avdeling B står med én ansatt mens de andre er på møtet i første etasje, i den "
                "tida flere beboere med fallfare står opp.",
                HIGH,
                HIGH,
                "Ingen god løsning uten mer bemanning om morgenen.",
            ),
            _risk(
                "Lang vei til møterommet gjør at møtet tar mer tid enn planlagt.",
                HIGH,
                LOW,
                "Møtet kan holdes på en av avdelingene i stedet.",
            ),
        ],
    )
    s.stop(
        leader,
        146,
        "Risikovurderingen viste at avdelingene blir for tynt bemannet mens møtet pågår, akkurat "
        "når beboerne står opp. Vi stopper før utprøvingen. Hver avdeling beholder sitt eget "
        "morgenmøte, og vi jobber heller med å gjøre det kortere.",
    )
    return s


def _turdag(demo: _Demo):
    """Evaluated last week; the decision is taken at the next meeting."""
    leader = demo.who(FJELLHAUG, Role.UNIT_LEADER)
    udf = demo.who(FJELLHAUG, Role.LOCAL_UNION_REP, union="Utdanningsforbundet")
    fagforbundet = demo.who(FJELLHAUG, Role.LOCAL_UNION_REP, union="Fagforbundet")
    s = demo.new(
        FJELLHAUG,
        "Fast turdag for Storbarn",
        actor=udf,
        ago=138,
        problem="Turene for Storbarn blir ofte avlyst fordi ingen har planlagt dem, og det er "
        "uklart hvem som har ansvaret for sekk, førstehjelpsutstyr og telling av barn.",
        source_input=demo.source_input(FJELLHAUG, "Fast turdag for Storbarn"),
    )
    if s is None:
        return None
    s.plan(
        leader,
        135,
        need_and_purpose="Barna skal få faste turer, og de voksne skal vite hvem som har "
        "ansvaret, så turene blir trygge og ikke avlyses i siste liten.",
        goals="Onsdag er fast turdag for Storbarn, med en turrutine, en sjekkliste og en liste "
        "over hvem som har ansvaret hver uke. Personalet og foreldrene har fått rutinen.",
        anchoring_union="Utdanningsforbundet og Fagforbundet står bak, og ansvaret fordeles på "
        "både pedagoger og fagarbeidere.",
        anchoring_staff="Forslaget kom fra en ansatt på Storbarn, og avdelingen har laget "
        "rutinen sammen.",
        cooperation="Avdelingsmøtet på Storbarn følger opp hver måned, og partsgruppa tar "
        "evalueringen.",
        resources="En ny tursekk og et førstehjelpsskrin, rundt 2 500 kroner. Planleggingen "
        "skjer på avdelingsmøtet.",
        follow_up="Hver onsdag noterer vi om turen ble gjennomført, og hvorfor ikke hvis den ble "
        "avlyst. Evaluering etter fire måneder.",
        staff_asked="Avdelingsmøtet på Storbarn: hvilke turmål, hvor mange voksne og hva som "
        "skal med i sekken.",
        responsibilities="Pedagogisk leder: turplanen, og avgjør innen klokka ni om turen må "
        "avlyses. Den som står på lista: sekk og førstehjelpsutstyr. Den som går sist: teller "
        "barna ved hver overgang.",
        success_criteria="Minst fire av fem onsdager blir gjennomført, og ingen barn kommer bort "
        "fra gruppa.",
        evaluation_ago=5,
    )
    s.risk(
        132,
        summary="Lav til middels risiko med tiltakene under.",
        risks=[
            _risk(
                "Et barn kommer bort fra gruppa.",
                LOW,
                HIGH,
                "Telling ved hver overgang, refleksvest på alle barn og minst én voksen per fem "
                "barn.",
            ),
            _risk(
                "For få voksne igjen i barnehagen mens turgruppa er ute.",
                MEDIUM,
                MEDIUM,
                "Turen kortes ned eller avlyses ved fravær; pedagogisk leder avgjør.",
            ),
            _risk(
                "Kulde og våte klær om vinteren.",
                MEDIUM,
                LOW,
                "Skiftetøy i sekken og kortere tur når det er kaldt.",
            ),
        ],
    )
    s.start(
        leader,
        126,
        ends_ago=10,
        participants="Storbarn: 22 barn og fem voksne.",
    )
    s.note(
        udf,
        90,
        "Sju av de første åtte onsdagene er gjennomført. Én ble avlyst på grunn av farevarsel.",
    )
    s.evidence(
        fagforbundet,
        9,
        "Turloggen: 15 av 17 onsdager gjennomført. To avlyst, én på grunn av farevarsel og én "
        "fordi tre voksne var syke samme dag.",
    )
    s.evidence(
        udf,
        8,
        "Korte samtaler med de fem voksne på Storbarn: alle vil fortsette. To ønsker at ansvaret "
        "for sekken går oftere på rundgang.",
    )
    s.evaluate(
        leader,
        5,
        findings="15 av 17 onsdager ble gjennomført, over målet på fire av fem. Ingen barn kom "
        "bort. Sjekklista blir brukt, men sekken ble glemt igjen én gang.",
        assessment="Tiltaket virker. Vi foreslår å fortsette og å la Småbarn vurdere en egen "
        "turdag. Vi bestemmer oss på neste møte.",
    )
    return s


def _pauseplan(demo: _Demo):
    """Tried, partly worked, decided "adjust": back to planning with a changed plan."""
    leader = demo.who(FJORDTUN, Role.UNIT_LEADER)
    langtid = demo.who(FJORDTUN, Role.DEPARTMENT_LEADER, department="Langtid 1")
    safety_rep = demo.who(FJORDTUN, Role.SAFETY_REP)
    s = demo.new(
        FJORDTUN,
        "Fast pauseplan på dagvakt",
        actor=safety_rep,
        ago=131,
        problem="På dagvakt blir pausen ofte borte, eller den tas stående på vaktrommet med "
        "telefonen i hånda. Både innspill fra ansatte og medarbeiderundersøkelsen peker på det "
        "samme.",
        source_input=demo.source_input(FJORDTUN, "Vi rekker sjelden pausen"),
    )
    if s is None:
        return None
    s.plan(
        safety_rep,
        131,
        need_and_purpose="De ansatte trenger en ordentlig pause for å orke resten av vakta, og "
        "beboerne trenger at noen har ansvaret mens andre har pause.",
        goals="Alle på dagvakt får 30 minutters pause utenfor avdelingen. Ansvarsvakta setter "
        "opp pauseplanen på tavla ved vaktskiftet, i to puljer.",
        anchoring_union="De tillitsvalgte støtter tiltaket. Pausen er allerede en rettighet, så "
        "det trengs ingen ny avtale.",
        anchoring_staff="Ønsket kom fra de ansatte, og planen ble presentert på morgenmøtene.",
        cooperation="Verneombudet følger opp sammen med ansvarsvaktene, og erfaringene tas opp "
        "i partsgruppa.",
        resources="Ingen kostnader. Ansvarsvakta bruker fem minutter ved vaktskiftet.",
        follow_up="Verneombudet spør de ansatte etter en måned og igjen før evalueringen om de "
        "får tatt pausen.",
        staff_asked="Vi spurte på morgenmøtene på alle tre avdelingene hvilke tider som passer "
        "best for pausen.",
        responsibilities="Ansvarsvakta: pauseplanen hver dag. Avdelingslederne: at planen "
        "følges. Verneombudet: oppfølging og evaluering.",
        success_criteria="Minst åtte av ti på dagvakt sier at de får tatt hele pausen de fleste "
        "dager.",
        evaluation_ago=33,
    )
    s.risk(
        130,
        summary="Lav risiko. Det viktigste er at det ikke blir for få igjen på avdelingen i "
        "pausene.",
        risks=[
            _risk(
                "For få igjen på avdelingen når den ene puljen har pause.",
                MEDIUM,
                MEDIUM,
                "Pausene legges utenom stell og måltider, og den som har pause kan hentes ved "
                "alarm.",
            ),
        ],
    )
    s.start(
        langtid,
        126,
        ends_ago=36,
        participants="Alle på dagvakt. Langtid 1 begynner, og de to andre avdelingene følger "
        "etter to uker.",
    )
    s.note(
        safety_rep,
        96,
        "Etter en måned: på Langtid 1 får de fleste tatt pausen. På Skjermet enhet blir pausen "
        "ofte avbrutt fordi telefonen ikke blir gitt videre.",
    )
    s.evidence(
        safety_rep,
        34,
        "Kort spørreundersøkelse til dagvaktene, 31 svar: 22 får tatt hele pausen de fleste "
        "hverdager, men bare 9 i helgene.",
    )
    s.evaluate(
        leader,
        31,
        findings="På hverdager virker planen: sju av ti får tatt hele pausen. I helgene, når det "
        "er færre på jobb, blir pausen fortsatt borte, og på Skjermet enhet blir den ofte "
        "avbrutt.",
        assessment="Tiltaket virker bare delvis. Pauseplanen bør beholdes, men vi må finne en "
        "løsning for helgene og for Skjermet enhet før målet er nådd.",
    )
    s.decide(
        leader,
        28,
        Decision.ADJUST,
        "Vi justerer: i helgene får én person fast rolle som pausevakt og dekker to avdelinger "
        "mens de andre har pause. Skjermet enhet lager sin egen plan. Så prøver vi igjen i tre "
        "måneder.",
    )
    s.try_again(
        leader, 28, "Tilbake til planleggingen med pausevakt i helgene og egen plan for Skjermet."
    )
    s.plan(
        safety_rep,
        21,
        goals="Alle på dagvakt får 30 minutters pause utenfor avdelingen, også i helgene. I "
        "helgene har én person fast rolle som pausevakt og dekker to avdelinger mens de andre "
        "har pause. Skjermet enhet har egen pauseplan med tre puljer.",
        responsibilities="Ansvarsvakta: pauseplanen hver dag. Avdelingslederne: pausevakt i "
        "helgeturnusen og at planen følges. Verneombudet: oppfølging og ny evaluering.",
        success_criteria="Minst åtte av ti på dagvakt får tatt hele pausen de fleste dager, både "
        "på hverdager og i helgene.",
        evaluation_ago=-95,
    )
    s.risk(
        19,
        summary="Fortsatt lav risiko. Pausevakta er et nytt ledd, og trenger en kort overlevering "
        "før hver pause.",
        risks=[
            _risk(
                "For få igjen på avdelingen når den ene puljen har pause.",
                MEDIUM,
                MEDIUM,
                "Pausene legges utenom stell og måltider, og den som har pause kan hentes ved "
                "alarm.",
            ),
            _risk(
                "Pausevakta kjenner ikke beboerne på den andre avdelingen godt nok.",
                MEDIUM,
                MEDIUM,
                "Kort muntlig overlevering før hver pause, og pausevakta er fra en av de to "
                "avdelingene.",
            ),
        ],
    )
    return s


def _langvakter(demo: _Demo):
    """The long-shift rota trial from the staff input: running, evaluated in about two months."""
    langtid = demo.who(FJORDTUN, Role.DEPARTMENT_LEADER, department="Langtid 1")
    fagforbundet = demo.who(FJORDTUN, Role.LOCAL_UNION_REP, union="Fagforbundet")
    safety_rep = demo.who(FJORDTUN, Role.SAFETY_REP)
    s = demo.new(
        FJORDTUN,
        "Langvakter i helg",
        actor=langtid,
        ago=126,
        problem="Mange på Langtid 1 og Skjermet enhet har små helgestillinger og jobber hver "
        "tredje helg. Helgene er vanskelige å bemanne, og flere ansatte har bedt om å få prøve "
        "langvakter for å jobbe færre helger.",
        source_input=demo.source_input(FJORDTUN, "Langvakter i helgene"),
    )
    if s is None:
        return None
    s.plan(
        langtid,
        124,
        need_and_purpose="Færre små helgestillinger, flere større stillinger og færre "
        "arbeidshelger for dem som ønsker det. Beboerne får de samme kjente ansiktene gjennom "
        "hele helgedagen.",
        goals="De som er med, går langvakt lørdag og søndag og jobber hver fjerde helg i stedet "
        "for hver tredje. Små helgestillinger slås sammen til større stillinger. Målene ble lagt "
        "fram på personalmøtet og ligger i turnusmappa.",
        anchoring_administrative="Virksomhetsleder har avklart at prøveordningen holder seg "
        "innenfor budsjettet og dagens turnusrammer.",
        anchoring_union="Arbeidstidsordningen er avtalt skriftlig med de tillitsvalgte i "
        "Fagforbundet, NSF og Delta for prøveperioden, slik loven krever for så lange vakter.",
        anchoring_staff="Ideen kom fra de ansatte. Det er frivillig å være med, og man kan gå "
        "tilbake til vanlig turnus fra neste turnusperiode.",
        cooperation="Avdelingsleder, en tillitsvalgt og verneombudet møter deltakerne en gang i "
        "måneden. Erfaringene er fast punkt i partsgruppa.",
        resources="Turnuskonsulenten bruker rundt to dager på ny turnus. Ingen ekstra kostnader "
        "i prøveperioden.",
        follow_up="Samtaler med deltakerne hver måned, sykefraværet i helgene følges måned for "
        "måned, og verneombudet sjekker hvile og pauser. Evaluering med en kort "
        "spørreundersøkelse og intervjuer før prøveperioden er over.",
        facts_needed="Helgestillinger og stillingsstørrelser på de to avdelingene, sykefraværet "
        "i helgene det siste året, og hvor mange som vil være med.",
        staff_asked="Personalmøte med gruppearbeid: hvordan bør langvaktene legges, og hva skal "
        "til for at det er trygt å gå dem?",
        responsibilities="Avdelingsleder på Langtid 1: turnusen og oppfølging av deltakerne. "
        "Tillitsvalgte: kontakt med medlemmene og avtalen om arbeidstid. Verneombudet: "
        "risikovurdering og oppfølging av hvile. Virksomhetsleder: budsjett og forankring.",
        success_criteria="Alle åtte vil fortsette, sykefraværet i helgene øker ikke, ingen avvik "
        "knyttet til overlevering, og det blir færre små helgestillinger.",
        evaluation_ago=-60,
    )
    s.risk(
        120,
        summary="Langvakter er en belastning, men akseptabel med tiltakene under. Verneombudet "
        "følger med gjennom hele prøveperioden.",
        risks=[
            _risk(
                "Slitenhet mot slutten av langvakta gir mindre tålmodighet og større fare for "
                "feil.",
                HIGH,
                MEDIUM,
                "To faste pauser der man går ut av avdelingen. Aldri mer enn to langvakter på "
                "rad, og de tyngste stellene legges før klokka 15.",
            ),
            _risk(
                "Informasjon faller mellom to stoler ved overleveringen når langvakta overlapper "
                "med kveldsvakta.",
                MEDIUM,
                HIGH,
                "Felles muntlig overlevering klokka 15 og skriftlig rapport i journalen. "
                "Ansvarsvakta sjekker at alle har fått med seg endringene.",
            ),
            _risk(
                "Når små helgestillinger slås sammen, blir det færre å ringe til ved sykdom i "
                "helgene.",
                MEDIUM,
                MEDIUM,
                "Egen liste over faste helgevikarer, og avdelingsleder følger med på innleie.",
            ),
            _risk(
                "For lite hvile mellom langvakthelgen og neste vakt.",
                MEDIUM,
                MEDIUM,
                "Minst elleve timers hvile etter hver langvakt og fri mandag etter en "
                "langvakthelg.",
            ),
        ],
    )
    s.start(
        langtid,
        112,
        ends_ago=-71,
        participants="Åtte ansatte som meldte seg frivillig: fem på Langtid 1 og tre på "
        "Skjermet enhet.",
    )
    s.note(
        langtid,
        85,
        "Første måned: alle åtte har hatt minst to langvakthelger. Overleveringen klokka 15 tar "
        "lengre tid enn planlagt, så vi setter av et kvarter ekstra.",
    )
    s.note(
        safety_rep,
        52,
        "Verneombudet har snakket med alle deltakerne. De fleste liker de lange friperiodene og "
        "sover godt, men to på Skjermet enhet sier at søndag ettermiddag blir tung. Pausene blir "
        "tatt, men ikke alltid til fast tid.",
    )
    s.note(
        fagforbundet,
        18,
        "Tre små helgestillinger er slått sammen til to stillinger på 70 prosent. To ansatte har "
        "spurt om å få være med fra neste turnusperiode.",
    )
    return s


def _foreldremeldinger(demo: _Demo):
    """In trial at a unit without a safety rep: the leader recorded the risk assessment made
    together with the chief safety rep (R26)."""
    leader = demo.who(LIA, Role.UNIT_LEADER)
    fagforbundet = demo.who(LIA, Role.LOCAL_UNION_REP, union="Fagforbundet")
    s = demo.new(
        LIA,
        "Foreldremeldinger bare i arbeidstida",
        actor=fagforbundet,
        ago=60,
        problem="Foreldre sender meldinger i appen om kvelden og i helgene, og flere ansatte har "
        "appen på egen telefon. De opplever at de aldri har fri.",
        source_input=demo.source_input(LIA, "Meldinger fra foreldre på kveldstid"),
    )
    if s is None:
        return None
    s.plan(
        leader,
        58,
        need_and_purpose="De ansatte skal ha ordentlig fri, og foreldrene skal vite når de får "
        "svar og hva de gjør når noe haster.",
        goals="Appen leses og besvares bare i arbeidstida, og ingen har varsler fra den på egen "
        "telefon. Foreldrene får vite i månedsbrevet at meldinger besvares innen neste "
        "arbeidsdag, og at de ringer når noe haster.",
        anchoring_administrative="Styrer har sjekket med oppvekstkontoret at ordningen passer "
        "med kommunens retningslinjer for kontakt med foreldre.",
        anchoring_union="Begge de tillitsvalgte står bak og har informert medlemmene sine.",
        anchoring_staff="Drøftet på personalmøtet. Alle var enige i målet, men noen var "
        "bekymret for hvordan foreldrene reagerer.",
        cooperation="Partsgruppa følger opp, og foreldrerådets arbeidsutvalg ble orientert før "
        "vi startet.",
        resources="Ingen kostnader. På personalmøtet skrur vi av varslene sammen.",
        follow_up="Vi teller meldinger som kommer utenfor arbeidstid, og spør de ansatte og "
        "foreldrerådets arbeidsutvalg etter tre måneder.",
        staff_asked="Personalmøtet: hvordan svarer vi foreldre som venter svar med en gang?",
        responsibilities="Styrer: beskjed til foreldrene og kontakten med arbeidsutvalget. De "
        "tillitsvalgte: følge med på hvordan de ansatte har det. Alle: ikke svare utenfor "
        "arbeidstid.",
        success_criteria="Ingen ansatte svarer på meldinger utenfor arbeidstid, og foreldrene "
        "vet hvordan de når barnehagen når det haster.",
        evaluation_ago=-42,
    )
    s.risk(
        51,
        summary="Lav risiko. Barnehagen står uten verneombud etter at det forrige sluttet, så "
        "styrer gjorde vurderingen sammen med hovedverneombudet.",
        risks=[
            _risk(
                "Foreldre som blir irritert, tar det ut på de ansatte ved henting.",
                MEDIUM,
                LOW,
                "Beskjeden kommer fra styrer i månedsbrevet, og de ansatte kan henvise til styrer.",
            ),
            _risk(
                "En viktig beskjed om et barn blir ikke lest før neste morgen.",
                LOW,
                HIGH,
                "Foreldrene ringer når noe haster, og den som åpner, leser meldingene først.",
            ),
        ],
    )
    s.start(
        leader,
        47,
        ends_ago=-73,
        participants="Alle ansatte på Lia barnehage.",
    )
    s.note(
        fagforbundet,
        20,
        "Etter en måned: det kommer færre meldinger om kvelden, og bare to foreldre har klaget. "
        "Noen ansatte synes det er vanskelig å la være å svare.",
    )
    return s


def _kveldsvakt(demo: _Demo):
    """In trial, and the evaluation date has passed: the board highlights it."""
    leader = demo.who(STRANDHEIM, Role.UNIT_LEADER)
    safety_rep = demo.who(STRANDHEIM, Role.SAFETY_REP)
    s = demo.new(
        STRANDHEIM,
        "Rutine når kveldsvakta blir alene",
        actor=leader,
        ago=50,
        problem="Flere kvelder er bare to på jobb. Når den ene må følge en beboer til "
        "legevakta, står den andre alene med alle beboerne.",
        source_input=demo.source_input(STRANDHEIM, "Åleine på kveldsvakt"),
    )
    if s is None:
        return None
    s.plan(
        leader,
        47,
        need_and_purpose="Den som blir igjen alene, skal vite hva hun gjør og hvem hun ringer, "
        "og beboerne skal få forsvarlig hjelp hele kvelden.",
        goals="En fast rutine: den som blir igjen, ringer vakthavende på Eikelund, som sender "
        "noen eller hjelper på telefon. Rutinen og nummeret henger på vaktrommet og ble gått "
        "gjennom på personalmøtet.",
        anchoring_administrative="Avtalt med virksomhetsleder på Eikelund at vakthavende der er "
        "kontakt på kveldstid.",
        anchoring_union="Strandheim har ingen plasstillitsvalgt. Hovedtillitsvalgt i "
        "Fagforbundet er orientert og støtter at vi prøver rutinen.",
        anchoring_staff="Innspillet kom fra en ansatt, og rutinen ble laget sammen med to som "
        "går kveldsvakter.",
        cooperation="Leder og verneombud er partsgruppa her og følger opp sammen. Kveldsvakta "
        "skriver en kort merknad hver gang rutinen blir brukt.",
        resources="Ingen kostnader i prøveperioden. Eikelund hjelper når de har folk.",
        follow_up="Vi går gjennom alle merknadene etter fire uker og spør kveldsvaktene om de "
        "føler seg tryggere.",
        staff_asked="På personalmøtet gikk vi gjennom utkastet og spurte kveldsvaktene hva som "
        "manglet.",
        responsibilities="Leder: avtalen med Eikelund og selve rutinen. Verneombudet: "
        "oppfølging av kveldsvaktene og risikovurdering.",
        success_criteria="Den som blir alene, får hjelp eller råd innen et kvarter, og "
        "kveldsvaktene sier at de føler seg tryggere.",
        evaluation_ago=10,
    )
    s.risk(
        45,
        summary="Middels risiko. Rutinen gjør det tryggere, men erstatter ikke en tredje person "
        "på de travleste kveldene.",
        risks=[
            _risk(
                "Den som blir igjen, rekker ikke å hjelpe to beboere som trenger hjelp samtidig.",
                MEDIUM,
                HIGH,
                "Ring Eikelund med en gang. Prioriteringsliste på vaktrommet.",
            ),
            _risk(
                "Vakthavende på Eikelund har ingen å sende.",
                MEDIUM,
                MEDIUM,
                "Hjelp på telefon og mulighet til å ringe inn en ekstra. Leder følger med på "
                "hvor ofte det skjer.",
            ),
        ],
    )
    s.start(
        leader,
        38,
        ends_ago=10,
        participants="Alle som går kveldsvakt på Strandheim, faste ansatte og faste vikarer.",
    )
    s.note(
        safety_rep,
        24,
        "Rutinen er brukt to ganger. Den ene gangen kom det hjelp fra Eikelund etter en "
        "halvtime; den andre gangen holdt det med råd på telefon.",
    )
    return s


def _fleksibel_bemanning(demo: _Demo):
    """Planned, but the plan is far from complete and there is no risk assessment yet."""
    leader = demo.who(FJORDTUN, Role.UNIT_LEADER)
    item = (
        AgendaItem.objects.filter(
            meeting__unit=demo.units[FJORDTUN],
            title="Bruk av fleksibel bemanning på tvers av avdelinger",
        )
        .order_by("meeting__starts_at")
        .first()
    )
    s = demo.new(
        FJORDTUN,
        "Fleksibel bemanning på tvers av avdelinger",
        actor=leader,
        ago=9,
        problem="Ved sykefravær blir ansatte flyttet mellom avdelinger på kort varsel, ofte uten "
        "å kjenne beboerne og rutinene. Samtidig leier vi inn vikarer på én avdeling mens en "
        "annen har folk nok.",
        source_agenda_item=item,
    )
    if s is None:
        return None
    s.plan(
        leader,
        7,
        need_and_purpose="Vi vil bruke de faste ansatte bedre på tvers av avdelingene, slik at "
        "vi trenger færre innleide vikarer og det blir mer forutsigbart for dem som flyttes.",
        goals="En fast gruppe ansatte som kjenner to avdelinger godt og kan jobbe der det "
        "trengs. Hvordan vi forteller de ansatte om det, har vi ikke bestemt ennå.",
        facts_needed="Erfaringene fra Eikelund, som har prøvd noe lignende. Innleie og "
        "sykefravær per avdeling det siste året. Hvor ofte ansatte er flyttet de siste tre "
        "månedene, og med hvor lang varsel.",
        anchoring_administrative="Virksomhetsleder tar det opp med kommunalsjefen når vi vet "
        "mer om behovet.",
    )
    return s


def _sjekkliste_fra_innspill(demo: _Demo):
    """A staff input taken up as a measure: the submitter follows it from the input."""
    if FJORDTUN not in demo.units:
        return None
    item = demo.source_input(FJORDTUN, "Sjekkliste for vikarer på første vakt")
    if item is None or item.hidden or item.status not in OPEN_STATUSES:
        return None
    if (FJORDTUN, item.title) in demo.existing or item.measures.exists():
        return None
    nsf = demo.who(FJORDTUN, Role.LOCAL_UNION_REP, union="NSF")
    services.measure_from_input(
        actor=nsf,
        item=item,
        answer="Takk for et konkret forslag! Vi tar det opp som et tiltak i partsgruppa. Først "
        "lager vi sjekklista sammen med noen av dere som er faste på Langtid 1, og finner ut hva "
        "en opplæringsvakt for nye vikarer vil koste. Verneombudet ser på om noe må være på plass "
        "før vi prøver det ut. Du kan følge tiltaket her.",
    )
    # Answered four days ago (it was sent ten days ago and has been considered since).
    answered = demo.day(4)
    Input.objects.filter(pk=item.pk).update(answered_on=answered, status_changed_on=answered)
    last = InputEvent.objects.filter(input=item).order_by("-id").first()
    measure = item.measures.get()
    story = demo.story(measure, 4)
    InputEvent.objects.filter(pk=last.pk).update(at=story._moment(4))
    return story


MEASURES = [
    _smerteplaster,
    _oppgavefordeling_barnehage,
    _morgenmote,
    _turdag,
    _pauseplan,
    _langvakter,
    _foreldremeldinger,
    _kveldsvakt,
    _fleksibel_bemanning,
    _sjekkliste_fra_innspill,
]


@transaction.atomic
def load_measures_demo(municipality) -> int:
    """Create the demo measures that are not there yet; returns how many were created."""
    demo = _Demo(municipality)
    with _quiet():
        for build in MEASURES:
            story = build(demo)
            if story is not None:
                story.finish()
    return demo.created
