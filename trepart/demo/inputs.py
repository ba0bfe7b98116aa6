"""Demo staff input for Fjordvik kommune (P3, R20–R23): about five months of inputs from staff
at nursing homes and kindergartens, in every state, with the group's reasoned answers (R21).

Idempotent: an input is found by its unit and text before it is created, so loading twice
creates nothing twice. Inputs are created through the services (permissions, receipts, stems,
events, agenda items) and then moved back in time, so the dates look like a real half year.
Nobody is e-mailed about demo history.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trepart.accounts.models import User
from trepart.demo.organisation import email_for
from trepart.inputs import services
from trepart.inputs.models import CLOSED_STATUSES, Category, Input, InputEvent, ReferredTo, Status
from trepart.inputs.selectors import coming_meetings
from trepart.organisation.models import Unit

FJORDTUN = "Fjordtun sykehjem"
EIKELUND = "Eikelund sykehjem"
STRANDHEIM = "Strandheim bo- og omsorgssenter"
SOLSIDEN = "Solsiden barnehage"
LIA = "Lia barnehage"
FJELLHAUG = "Fjellhaug barnehage"

# The unit whose anonymous link `load_demo` prints.
LINK_UNIT = FJORDTUN


@dataclass(frozen=True)
class DemoInput:
    unit: str
    ago: int  # days since it was sent
    text: str
    category: str = ""
    status: str = Status.NEW
    author: str | None = None  # a demo person who showed their name; None is anonymous
    to_leader: bool = False  # R14: sent privately to the unit leader
    actor: str | None = None  # who in the group handled it
    took: int = 0  # days until answered (closed), considered (open) or hidden
    answer: str = ""
    draft: str = ""
    draft_first: bool = False  # the answer was drafted in the group before it was published
    public: bool = False
    referred_to: str = ""
    referred_to_name: str = ""
    hidden_reason: str = ""
    sent_times: int = 1  # the same text sent again the same day (folded into one, issue 10)


INPUTS = [
    # --- Fjordtun sykehjem ---------------------------------------------------------------------
    DemoInput(
        FJORDTUN,
        ago=133,
        took=3,
        category=Category.WORK_ENVIRONMENT,
        status=Status.ANSWERED,
        actor="Kristin Bakke",
        public=True,
        text="Vi rekker sjelden pausen\n\n"
        "På dagvakt blir pausen ofte borte, eller vi tar den stående på vaktrommet mens vi "
        "svarer på ringeklokka. Kan vi få en fast pauseplan, så vi vet hvem som går når?",
        answer="Godt innspill. Fra neste uke setter ansvarsvakta opp en pauseplan på tavla ved "
        "vaktskiftet, med to puljer på dagvakt. Den som har pause, gir telefonen til en kollega "
        "og går ut av avdelingen. Verneombudet følger med på om det virker, og vi tar det opp "
        "igjen i partsgruppa etter en måned.",
    ),
    DemoInput(
        FJORDTUN,
        ago=128,
        took=12,
        category=Category.ORGANISATION,
        status=Status.ANSWERED,
        author="Fatima Ali",
        actor="Bjørn Tangen",
        public=True,
        text="Langvakter i helgene\n\n"
        "Flere av oss på Langtid 1 vil gjerne prøve langvakter på lørdag og søndag, slik at vi "
        "jobber færre helger i året. Kan partsgruppa se på om vi kan få en prøveordning i "
        "turnusen for dem som ønsker det?",
        answer="Takk for innspillet! Vi har drøftet langvakter i helg i partsgruppa, og "
        "verneombudet har gjort en risikovurdering sammen med oss. Vi starter en prøveordning på "
        "Langtid 1 for dem som melder seg frivillig: langvakt lørdag og søndag, slik at du "
        "jobber hver fjerde helg i stedet for hver tredje. Det legges inn to faste pauser, og "
        "ingen går langvakt mer enn to dager på rad. Ordningen evalueres etter seks måneder med "
        "en kort spørreundersøkelse og samtaler med dem som har vært med. Meld deg til Bjørn "
        "Tangen innen utgangen av måneden hvis du vil være med.",
    ),
    DemoInput(
        FJORDTUN,
        ago=96,
        took=20,
        category=Category.WORK_ENVIRONMENT,
        status=Status.REFERRED,
        actor="Kristin Bakke",
        public=True,
        draft_first=True,
        referred_to=ReferredTo.AMU,
        referred_to_name="AMU for helse og omsorg",
        text="For få takløftere på Langtid 1\n\n"
        "Bare to av rommene på Langtid 1 har takløfter. Flere beboere trenger nå hjelp til alle "
        "forflytninger, og den mobile løfteren står ofte på en annen avdeling når vi trenger "
        "den. Mange av oss har vondt i rygg og skuldre etter vakta.",
        answer="Verneombudet har kartlagt forflytningene på Langtid 1 sammen med avdelingsleder, "
        "og vi er enige i at behovet er reelt. Flere takløftere er likevel en investering som må "
        "prioriteres i budsjettet for hele helse og omsorg, ikke bare her hos oss. Derfor har vi "
        "sendt saken til AMU for helse og omsorg med kartleggingen som vedlegg. Inntil videre "
        "skal den mobile løfteren alltid stå på Langtid 1, og fysioterapeuten går gjennom "
        "forflytningsteknikk på neste personalmøte. Vi sier fra når AMU har behandlet saken.",
    ),
    DemoInput(
        FJORDTUN,
        ago=70,
        took=9,
        category=Category.WORKING_DAY,
        status=Status.NOT_TAKEN_UP,
        actor="Hilde Rønning",
        public=True,
        text="Rapport på papir igjen?\n\n"
        "Kan vi gå tilbake til å skrive rapporten på papir? Det tar lang tid å finne fram i "
        "journalsystemet, og rapporten ved vaktskiftet blir sen.",
        answer="Vi forstår godt at det føles tregt, og takk for at du sier fra. Vi kan likevel "
        "ikke gå tilbake til papirlister. Det som skjer med beboerne, skal dokumenteres i "
        "journalen, og lister med helseopplysninger som ligger framme på vaktrommet er en "
        "personvernrisiko. Det vi gjør i stedet: superbrukerne viser på neste personalmøte "
        "hvordan rapportvisningen kan settes opp slik at den viser det viktigste for hver vakt. "
        "Si gjerne fra igjen om det fortsatt går for sakte etter det.",
    ),
    DemoInput(
        FJORDTUN,
        ago=60,
        took=5,
        category=Category.OTHER,
        status=Status.ANSWERED,
        author="Erik Myhre",
        to_leader=True,
        actor="Anne Kristiansen",
        text="Jeg tok fagbrev som helsefagarbeider i vår, men lønna mi er den samme som før. "
        "Jeg lurer på om lønnsplasseringen min er riktig, og hvem jeg skal snakke med om det.",
        answer="Takk for at du tok kontakt, og gratulerer med fagbrevet! Dette er en sak mellom "
        "deg og meg, så den går ikke til partsgruppa. Jeg har sjekket med lønningskontoret, og "
        "fagbrevet er ikke registrert hos dem ennå. Send meg en kopi av vitnemålet, så ordner "
        "jeg det og ser på plasseringen fra datoen du ble ferdig. Vi tar en kort prat neste "
        "uke; ta gjerne med tillitsvalgt om du vil.",
    ),
    DemoInput(
        FJORDTUN,
        ago=45,
        took=14,
        category=Category.WORKING_DAY,
        status=Status.ANSWERED,
        author="Fatima Ali",
        actor="Bjørn Tangen",
        text="Trege pc-er på vaktrommet\n\n"
        "De to pc-ene på vaktrommet på Langtid 1 bruker flere minutter på å starte og logge "
        "inn. Ved vaktskiftet står vi i kø for å lese rapporten, og vi kommer sent i gang med "
        "morgenstellet.",
        answer="Vi har meldt saken til IT-tjenesten, som har sjekket maskinene. Begge er gamle "
        "og byttes i neste leveranse, sammen med pc-ene på Korttid. Fram til da har IT satt opp "
        "pålogging på nettbrettet på medisinrommet, slik at to kan lese rapporten samtidig. "
        "Takk for at du meldte fra!",
    ),
    DemoInput(
        FJORDTUN,
        ago=41,
        took=4,
        category=Category.COMPETENCE,
        status=Status.CONSIDERING,
        actor="Kristin Bakke",
        text="Kurs i demens for alle på Skjermet enhet\n\n"
        "Mange av oss, særlig vikarer og nyansatte, har aldri hatt opplæring i demens. Vi står i "
        "krevende situasjoner med uro og utagering uten å vite hva som faktisk hjelper. Kan vi "
        "få Demensomsorgens ABC eller et kortere kurs for alle som går vakter hos oss?",
        draft="Vi har bedt kompetansekoordinatoren i helse og omsorg om plasser på neste kull "
        "av Demensomsorgens ABC. Det koster lite, men vi må sette av tid til refleksjonsgrupper "
        "hver tredje uke. Forslag: vi starter med en gruppe på seks fra Skjermet enhet etter "
        "nyttår og lager en kort innføring for vikarer i mellomtiden. Venter på svar om hvem som "
        "kan lede gruppa.",
    ),
    DemoInput(
        FJORDTUN,
        ago=18,
        took=7,
        category=Category.ORGANISATION,
        status=Status.TAKEN_UP,
        actor="Tor Andersen",
        public=True,
        text="Flytting mellom avdelinger ved sykefravær\n\n"
        "Når det er sykefravær på Langtid 1, blir en av oss på Korttid flyttet dit, ofte uten "
        "beskjed før vakta starter. Vi kjenner ikke beboerne og rutinene der, og det blir "
        "utrygt både for oss og for dem. Kan vi få en mer forutsigbar ordning?",
        answer="Dette kan vi ikke løse med et kort svar, så vi tar det opp i neste "
        "partsgruppemøte. Vi vil se på tre ting: en fast liste over hvem som kan flyttes og i "
        "hvilken rekkefølge, en kort skriftlig innføring for hver avdeling som ligger på "
        "vaktrommet, og om det går an å gi beskjed dagen før. Referatet blir publisert etter "
        "møtet.",
    ),
    DemoInput(
        FJORDTUN,
        ago=10,
        took=2,
        category=Category.COMPETENCE,
        status=Status.CONSIDERING,
        author="Fatima Ali",
        actor="Hilde Rønning",
        text="Sjekkliste for vikarer på første vakt\n\n"
        "Vikarene som kommer til Langtid 1, går ofte rett inn i vakt uten at noen har vist dem "
        "rundt. Vi som er faste, bruker mye tid på å forklare underveis. Kan vi lage en enkel "
        "sjekkliste, og la nye vikarer gå en vakt sammen med en fast ansatt først?",
        draft="Takk! Opplæring av nyansatte og vikarer står allerede på sakslista til neste "
        "partsgruppemøte, og vi tar innspillet ditt med dit. Forslag til svar: vi lager en "
        "sjekkliste for første vakt (nøkler, alarmer, rutiner ved fall, hvem man ringer) og "
        "prøver ut en opplæringsvakt for vikarer som skal gå mer enn tre vakter. Venter på "
        "kostnadsoverslag fra leder.",
    ),
    DemoInput(
        FJORDTUN,
        ago=6,
        sent_times=3,
        category=Category.WORK_ENVIRONMENT,
        text="Langvaktene i helgene er for tunge på Skjermet enhet\n\n"
        "Etter at prøveordningen med langvakter i helgene kom inn i turnusen hos oss også, "
        "merker vi at det blir for mye. Det er mye uro på ettermiddagen, og etter ti timer på "
        "jobb lørdag og søndag er vi slitne og har mindre tålmodighet. Kan vi få kortere "
        "langvakter, eller en ekstra person i helgene på Skjermet enhet?",
    ),
    # --- Eikelund sykehjem ---------------------------------------------------------------------
    DemoInput(
        EIKELUND,
        ago=100,
        took=25,
        category=Category.WORKING_DAY,
        status=Status.NOT_TAKEN_UP,
        actor="Stian Holm",
        public=True,
        text="Morgonmøtet tek tid frå stellet\n\n"
        "Morgonmøtet klokka 07.30 varer ofte eit kvarter eller meir, og då ventar mange "
        "bebuarar. Kan vi sløyfe møtet og heller lese rapporten kvar for oss?",
        answer="Takk for at du tek dette opp. Vi har drøfta det, men vi vil ikkje ta bort "
        "morgonmøtet. Det er der vi får med oss endringar frå natta, fordeler bebuarane og fangar "
        "opp kven som treng ekstra tilsyn. Utan møtet er det lettare at noko vert gløymt. Vi er "
        "samde i at møtet har vorte for langt: frå neste veke startar vi presis, held oss til ti "
        "minutt, og ansvarsvakta passar på tida.",
    ),
    DemoInput(
        EIKELUND,
        ago=76,
        took=18,
        category=Category.COMPETENCE,
        status=Status.ANSWERED,
        author="Linn Eriksen",
        actor="Grete Olsen",
        public=True,
        text="Fadder for nyansatte\n\n"
        "Da jeg begynte her, fikk jeg tre opplæringsvakter og hadde deretter ansvaret for fem "
        "beboere alene. Jeg skulle ønske jeg hadde hatt en fast person å spørre de første "
        "månedene. Kan vi innføre en fadderordning?",
        answer="Takk for et godt forslag, som flere på huset har støttet. Fra nå får alle "
        "nyansatte og faste vikarer en fadder på samme avdeling de første tre månedene. Fadderen "
        "og den nye har en samtale etter to uker og etter to måneder, og tida regnes som "
        "arbeidstid. Grete Olsen har laget en kort liste over hva fadderen skal gå gjennom. Vi "
        "evaluerer ordningen etter et halvt år.",
    ),
    DemoInput(
        EIKELUND,
        ago=58,
        took=22,
        category=Category.SERVICES,
        status=Status.REFERRED,
        actor="Mona Jakobsen",
        draft_first=True,
        referred_to=ReferredTo.DECISION_LINE,
        referred_to_name="Kommunalsjef for helse og omsorg",
        text="Sensorer i stedet for tilsyn hver andre time om natta\n\n"
        "På natt går vi inn til beboerne hver andre time for å se at alt er i orden, og mange "
        "våkner av det. Andre sykehjem bruker sensorer som varsler hvis noen står opp eller "
        "faller. Kan vi få prøve det her?",
        answer="Et godt forslag, og vi tror det kan gi beboerne bedre søvn. Valg av "
        "velferdsteknologi gjøres likevel felles for alle sykehjemmene, fordi systemet må "
        "kobles til kommunens alarmmottak og personvernet må vurderes. Vi har derfor sendt "
        "innspillet til kommunalsjef for helse og omsorg og bedt om at Eikelund blir med når en "
        "utprøving planlegges. Vi gir beskjed når vi har fått svar.",
    ),
    DemoInput(
        EIKELUND,
        ago=48,
        category=Category.ORGANISATION,
        text="For få på jobb i helgene på avdeling B\n\n"
        "I helgene er vi ofte bare tre på avdeling B med elleve beboere, og flere av dem trenger "
        "to til stell. Vi rekker ikke mer enn det helt nødvendige, og det blir ingen tid til "
        "aktiviteter eller en prat. Kan bemanningen i helgene vurderes på nytt?",
    ),
    DemoInput(
        EIKELUND,
        ago=20,
        took=5,
        category=Category.WORK_ENVIRONMENT,
        status=Status.CONSIDERING,
        actor="Vidar Sæther",
        text="Utagering i stellsituasjoner\n\n"
        "Vi opplever oftere slag og lugging når vi steller beboere med demens på avdeling A. "
        "Det meldes ikke alltid som avvik, fordi mange tenker at det hører med. Kan vi få "
        "opplæring i å forebygge og håndtere dette, og en gjennomgang av hvordan vi melder?",
    ),
    DemoInput(
        EIKELUND,
        ago=14,
        took=1,
        category=Category.OTHER,
        actor="Vidar Sæther",
        text="Nattevakta på avdeling A gidder ikke å gjøre noe. Hver morgen er halve jobben "
        "ugjort og vi må rydde opp etter dem. Noen burde si til dem at de er late.",
        hidden_reason="Skjult fordi teksten omtaler kolleger på nattevakt som late, og det "
        "hjelper ikke saken. Temaet, hvordan oppgavene fordeles mellom natt og morgen, er "
        "viktig. Vi tar gjerne imot et nytt innspill som beskriver hva som ikke fungerer, uten "
        "karakteristikker av kolleger.",
    ),
    # --- Strandheim bo- og omsorgssenter -------------------------------------------------------
    DemoInput(
        STRANDHEIM,
        ago=55,
        took=16,
        category=Category.ORGANISATION,
        status=Status.ANSWERED,
        author="Helene Foss",
        actor="Camilla Vang",
        public=True,
        text="Åleine på kveldsvakt\n\n"
        "Fleire kveldar er vi berre to på jobb. Når den eine må følgje ein bebuar til "
        "legevakta, står den andre åleine med alle. Det kjennest utrygt. Kan vi få ei ordning "
        "for slike kveldar?",
        answer="Takk for at du seier frå. Vi har laga ei rutine: når ein på kveldsvakt må reise "
        "frå huset, ringjer den som blir att til vakthavande på Eikelund, som sender nokon over "
        "eller hjelper på telefon. Nummeret heng på vaktrommet. Vi har òg bede om ein ekstra "
        "person ein kveld i veka frå neste turnus. Verneombodet følgjer med på om rutina verkar.",
    ),
    DemoInput(
        STRANDHEIM,
        ago=33,
        took=10,
        category=Category.COMPETENCE,
        status=Status.CONSIDERING,
        actor="Rune Bø",
        text="Vikarar utan tilgang til journalsystemet\n\n"
        "Nye vikarar får ofte ikkje brukar i journalsystemet før etter fleire dagar. Då må vi "
        "andre dokumentere for dei, og dei kan ikkje lese kva som har skjedd med bebuarane.",
    ),
    # --- Solsiden barnehage --------------------------------------------------------------------
    DemoInput(
        SOLSIDEN,
        ago=112,
        took=10,
        category=Category.WORK_ENVIRONMENT,
        status=Status.ANSWERED,
        actor="Ida Lie",
        public=True,
        text="Støy i garderoben ved henting\n\n"
        "Mellom klokka 15 og 16 er garderoben full av barn og foreldre på en gang, og lydnivået "
        "er så høyt at flere av oss får hodepine. Det er også vanskelig å gi beskjeder til "
        "foreldrene.",
        answer="Verneombudet målte lydnivået i garderoben en ettermiddag, og det var høyt i "
        "lange perioder. Vi har bestilt lydabsorbenter til taket, som monteres i løpet av "
        "måneden. Vi prøver også å ha storbarna ute ved henting når været tillater det, og "
        "viktige beskjeder til foreldrene gir vi heller ved levering eller i appen. Si fra hvis "
        "det ikke blir bedre.",
    ),
    DemoInput(
        SOLSIDEN,
        ago=82,
        took=15,
        category=Category.WORKING_DAY,
        status=Status.NOT_TAKEN_UP,
        author="Noah Berge",
        actor="Marte Solberg",
        text="Bytte av foreldreapp\n\n"
        "Appen vi bruker til å kommunisere med foreldrene, er tungvint. Det tar lang tid å "
        "sende bilder og beskjeder, og mange foreldre finner ikke fram. Kan vi bytte til en "
        "annen app?",
        answer="Takk for innspillet, det er mange som deler erfaringen din. Vi kan ikke bytte "
        "app for Solsiden alene: kommunen har én felles avtale for alle barnehagene, og den "
        "gjelder ut neste år. En annen app ville også kreve en egen vurdering av personvernet. "
        "Vi har sendt erfaringene våre til dem som skal velge løsning når avtalen går ut. I "
        "mellomtiden lager vi en kort veiledning til foreldrene, og Jonas viser personalet noen "
        "snarveier på neste personalmøte.",
    ),
    DemoInput(
        SOLSIDEN,
        ago=63,
        took=17,
        category=Category.WORK_ENVIRONMENT,
        status=Status.REFERRED,
        actor="Ida Lie",
        public=True,
        draft_first=True,
        referred_to=ReferredTo.AMU,
        referred_to_name="AMU for oppvekst",
        text="Tunge løft på Blåbær\n\n"
        "På småbarnsavdelingen løfter vi barn opp på stellebordet og inn i vogner mange ganger "
        "om dagen. Stellebordet har ingen trapp og kan ikke heves eller senkes. Flere av oss har "
        "fått vondt i ryggen.",
        answer="Verneombudet har sett på stellesituasjonen sammen med styrer, og vi er enige i "
        "at løftene er for mange og for tunge. Et stellebord med trapp som kan heves og senkes, "
        "er bestilt til Blåbær. Fordi dette gjelder alle småbarnsavdelingene i kommunen, har vi "
        "også sendt saken til AMU for oppvekst med forslag om en felles gjennomgang av "
        "ergonomien i barnehagene. Vi orienterer når AMU har behandlet saken.",
    ),
    DemoInput(
        SOLSIDEN,
        ago=50,
        took=8,
        category=Category.ORGANISATION,
        status=Status.ANSWERED,
        actor="Jonas Vik",
        public=True,
        text="Skjev fordeling av rydding\n\n"
        "Det er ofte de samme som rydder, vasker leker og tar oppvasken etter lunsj, mens andre "
        "går til pause. Kan vi lage en fast fordeling av de praktiske oppgavene?",
        answer="Takk for at du sa fra. Vi har laget en ukeplan for praktiske oppgaver på hver "
        "avdeling, der alle står på, også pedagogene. Planen henger på personalrommet og gjelder "
        "fra mandag. Avdelingslederne følger med de første ukene og tar det opp på "
        "avdelingsmøtet hvis noe må justeres.",
    ),
    DemoInput(
        SOLSIDEN,
        ago=22,
        took=6,
        category=Category.ORGANISATION,
        status=Status.TAKEN_UP,
        author="Emma Strand",
        actor="Kari Nordmo",
        public=True,
        text="Planleggingstid som forsvinner\n\n"
        "Pedagogene på Tyttebær får sjelden tatt ut planleggingstida, fordi vi må dekke opp når "
        "noen er syke. Da blir planleggingen gjort hjemme på kvelden. Kan vi finne en ordning "
        "som skjermer tida?",
        answer="Et viktig innspill, og vi kjenner det igjen fra flere avdelinger. Vi tar saken "
        "opp på neste møte i partsgruppa. Der ser vi på å legge planleggingstida til faste dager "
        "når det er flest voksne på huset, og på hvem som dekker opp ved fravær. Si gjerne fra "
        "til Kari før møtet om hvilke dager som passer best for dere på Tyttebær.",
    ),
    DemoInput(
        SOLSIDEN,
        ago=3,
        category=Category.WORKING_DAY,
        text="Våte klær etter utedagen\n\n"
        "På fredager er vi ute hele dagen, og om ettermiddagen er tørkeskapet så fullt at "
        "klærne ikke blir tørre til mandag. Kan vi få et tørkeskap til, eller fordele tørkingen "
        "bedre mellom avdelingene?",
    ),
    # --- Fjellhaug barnehage -------------------------------------------------------------------
    DemoInput(
        FJELLHAUG,
        ago=141,
        took=11,
        category=Category.SERVICES,
        status=Status.ANSWERED,
        author="Maja Lind",
        actor="Per Lunde",
        public=True,
        text="Fast turdag for Storbarn\n\n"
        "Kan vi ha en fast turdag i uka for Storbarn, og fordele hvem som har ansvar for sekk, "
        "førstehjelpsutstyr og telling av barn? Nå blir turene ofte avlyst fordi ingen har "
        "planlagt dem.",
        answer="Ja! Fra neste måned er onsdag fast turdag for Storbarn. Vi har laget en "
        "turrutine med sjekkliste for sekk, førstehjelpsutstyr og telling, og en liste over "
        "hvem som har ansvaret hver uke. Turen avlyses bare ved farevarsel eller for få voksne, "
        "og da bestemmer pedagogisk leder innen klokka ni.",
    ),
    DemoInput(
        FJELLHAUG,
        ago=90,
        took=21,
        category=Category.ORGANISATION,
        status=Status.NOT_TAKEN_UP,
        actor="Elin Aasen",
        public=True,
        text="Stenge tidligere på fredager\n\n"
        "Kan barnehagen stenge klokka 15 på fredager, slik at vi kan ha personalmøte uten å "
        "møtes på kveldstid?",
        answer="Takk for forslaget. Vi forstår ønsket, for kveldsmøter etter en lang dag er "
        "slitsomme. Vi kan likevel ikke stenge tidligere: åpningstida står i vedtektene som "
        "kommunestyret har vedtatt, og mange foreldre er avhengige av den. Det vi kan gjøre, er "
        "å legge mer av personalmøtene til planleggingsdagene og korte kveldsmøtene ned til "
        "halvannen time med mat. Vi prøver dette ut resten av barnehageåret og spør dere "
        "etterpå hvordan det fungerte.",
    ),
    DemoInput(
        FJELLHAUG,
        ago=60,
        took=12,
        category=Category.WORKING_DAY,
        status=Status.REFERRED,
        actor="Elin Aasen",
        referred_to=ReferredTo.OTHER,
        referred_to_name="IT-tjenesten i Fjordvik kommune",
        text="Én pc til hele personalet\n\n"
        "Vi har bare én pc på personalrommet, og det er kø for å skrive observasjoner, lese "
        "e-post og melde fravær. Mye av dokumentasjonen blir derfor liggende.",
        answer="Vi er enige i at én pc er for lite. Utstyr til barnehagene bestilles gjennom "
        "IT-tjenesten, så vi har sendt saken dit og bedt om to bærbare pc-er og et nettbrett "
        "per avdeling. IT har svart at de tar det med i neste utstyrsrunde. Til da kan "
        "kontoret til styrer brukes til dokumentasjon når det står ledig.",
    ),
    DemoInput(
        FJELLHAUG,
        ago=26,
        category=Category.COMPETENCE,
        text="Vikarer vet ikke om allergiene\n\n"
        "Vikarene på Storbarn får ikke alltid beskjed om hvilke barn som har allergier eller "
        "trenger ekstra hjelp. Forrige uke var et barn nær ved å få feil mat. Vi trenger en "
        "vikarperm eller en fast gjennomgang når en vikar kommer.",
    ),
    DemoInput(
        FJELLHAUG,
        ago=8,
        took=1,
        category=Category.WORK_ENVIRONMENT,
        status=Status.CONSIDERING,
        actor="Kjell Nygård",
        text="Støy på Småbarn\n\n"
        "Når alle barna er inne samtidig, er det så mye lyd at vi er helt tomme etter jobb. Kan "
        "vi få målt støyen og se på tiltak?",
        draft="Verneombudet låner måleutstyr fra bedriftshelsetjenesten og måler i to uker. "
        "Forslag til tiltak: dele barnegruppa i to ved frilek inne, filtputer under stolene og "
        "lydabsorbenter på veggen ved lekekroken. Svar sendes når målingene er klare.",
    ),
    # --- Lia barnehage -------------------------------------------------------------------------
    DemoInput(
        LIA,
        ago=65,
        took=9,
        category=Category.WORKING_DAY,
        status=Status.ANSWERED,
        author="Amir Rahimi",
        actor="Nora Haugen",
        text="Meldinger fra foreldre på kveldstid\n\n"
        "Foreldre sender meldinger i appen sent på kvelden og i helgene, og noen venter svar "
        "med en gang. Flere av oss har appen på egen telefon og føler at vi aldri har fri.",
        answer="Takk for at du tok dette opp. Vi er enige om at appen bare skal leses og "
        "besvares i arbeidstida, og at ingen skal ha varsler fra den på egen telefon. "
        "Foreldrene får beskjed i neste månedsbrev om at meldinger besvares innen neste "
        "arbeidsdag, og at de må ringe barnehagen når noe haster. Styrer følger opp at alle har "
        "fått med seg dette.",
    ),
    DemoInput(
        LIA,
        ago=12,
        took=4,
        category=Category.WORK_ENVIRONMENT,
        status=Status.TAKEN_UP,
        actor="Sofie Dahl",
        public=True,
        text="Hvem er verneombud nå?\n\n"
        "Etter at verneombudet vårt sluttet, vet vi ikke hvem vi skal gå til med saker om "
        "arbeidsmiljøet. Når blir det valgt et nytt?",
        answer="Godt spørsmål, og takk for at du minner oss på det. Til det er valgt nytt "
        "verneombud, kan dere gå til hovedverneombudet eller til en av de tillitsvalgte. Vi "
        "setter valg av verneombud på sakslista til neste partsgruppemøte, og målet er at "
        "valget holdes på personalmøtet like etter.",
    ),
    DemoInput(
        LIA,
        ago=2,
        category=Category.WORK_ENVIRONMENT,
        text="Pausen forsvinner i sovetida\n\n"
        "Når de minste sover, sitter én av oss ofte alene på soverommet og får ikke tatt "
        "pausen. Kan vi lage en ordning så alle får pause?",
    ),
]


@contextlib.contextmanager
def _quiet():
    """Demo history is not news: do not enqueue e-mails to the demo submitters."""
    notify = services._notify
    services._notify = lambda item: None
    try:
        yield
    finally:
        services._notify = notify


def _person(name: str | None, cache: dict) -> User | None:
    if name is None:
        return None
    if name not in cache:
        cache[name] = User.objects.get(email=email_for(name))
    return cache[name]


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _create(demo: DemoInput, unit: Unit, today: datetime.date, people: dict) -> Input | None:
    submitted = today - datetime.timedelta(days=demo.ago)
    handled = submitted + datetime.timedelta(days=demo.took)
    assert handled <= today, demo.text[:40]
    meeting = None
    if demo.status == Status.TAKEN_UP:
        meetings = coming_meetings(unit)
        if not meetings:
            return None  # no planned meeting to put it on (the meetings demo did not run)
        meeting = meetings[0]
    actor = _person(demo.actor, people)
    item, _code = services.input_submit(
        unit=unit,
        text=demo.text,
        category=demo.category,
        author=_person(demo.author, people),
        to_leader=demo.to_leader,
    )
    for _ in range(demo.sent_times - 1):
        # Colleagues send the same text after the staff meeting: folded, each with a receipt.
        services.input_submit(unit=unit, text=demo.text, category=demo.category)
    item.refresh_from_db()
    closed = demo.status in CLOSED_STATUSES
    # Closed input was first under consideration for a while.
    considered = submitted + datetime.timedelta(days=max(1, demo.took // 3)) if closed else handled
    event_days = []  # the day of each event, in the order the services record them
    if closed or demo.status == Status.CONSIDERING:
        services.input_consider(actor=actor, item=item)
        event_days.append(considered)
    if demo.draft or demo.draft_first:
        services.input_draft_save(actor=actor, item=item, answer=demo.draft or demo.answer)
        event_days.append(
            min(considered + datetime.timedelta(days=2), handled if closed else today)
        )
    if closed:
        services.input_close(
            actor=actor,
            item=item,
            status=demo.status,
            answer=demo.answer,
            referred_to=demo.referred_to,
            referred_to_name=demo.referred_to_name,
            meeting=meeting,
        )
        event_days.append(handled)
        if demo.public:
            services.input_set_public(actor=actor, item=item, public=True)
            event_days.append(handled)
    if demo.hidden_reason:
        services.input_hide(actor=actor, item=item, reason=demo.hidden_reason)
        event_days.append(handled)

    # Move it all back in time (the services stamp today).
    if closed:
        changed = handled
    elif demo.status == Status.CONSIDERING:
        changed = considered
    else:
        changed = submitted
    Input.objects.filter(pk=item.pk).update(
        submitted_on=submitted,
        status_changed_on=changed,
        answered_on=handled if closed else None,
        hidden_on=handled if demo.hidden_reason else None,
    )
    events = list(InputEvent.objects.filter(input=item).order_by("id"))
    for index, (event, day) in enumerate(zip(events, event_days, strict=True)):
        # Same base hour for all of an input's events, so events of one day keep their order.
        at = _moment(day, 8 + item.pk % 6) + datetime.timedelta(minutes=25 * index)
        InputEvent.objects.filter(pk=event.pk).update(at=at)
    return item


@transaction.atomic
def load_inputs_demo(municipality) -> int:
    """Create the demo inputs that are not there yet; returns how many were created."""
    today = timezone.localdate()
    units = {u.name: u for u in Unit.objects.filter(municipality=municipality)}
    for unit in units.values():
        services.input_link_for(unit)
    existing = set(
        Input.objects.filter(municipality=municipality).values_list("unit__name", "text")
    )
    people: dict = {}
    created = 0
    with _quiet():
        # Oldest first, so the ids follow the dates.
        for demo in sorted(INPUTS, key=lambda d: -d.ago):
            if (demo.unit, demo.text) in existing:
                continue
            if _create(demo, units[demo.unit], today, people) is not None:
                created += 1
    return created


def anonymous_link(municipality) -> tuple[str, str]:
    """(unit name, address) of one demo unit's anonymous input link, for the demo printout."""
    unit = Unit.objects.get(municipality=municipality, name=LINK_UNIT)
    link = services.input_link_for(unit)
    return unit.name, settings.SITE_URL + reverse("inputs:anonymous_form", args=[link.token])
