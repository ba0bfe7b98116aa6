"""Norwegian text pieces for the bench seeder (issue 14, part 1).

Small word lists, combined into a few thousand distinct texts, so the pages show real-looking
content and search has something to rank. Nothing here touches the database.
"""

from __future__ import annotations

import random

PLACES = """Solsiden Fjellheim Bakkeli Strand Lia Nordbyen Sentrum Eikeli Furulund Haugen Bjørkely
Elvebakken Skogly Havblikk Moen Tunet Knausen Myra Åsen Vika Brekka Bergstua Sjøgata Kirkebakken
Lundheim Granly Rosendal Solbakken Fagerli Bekkestua Heia Stranda Holmen Nesset Dalen Toppen
Østsida Vestre Nygård Kvernhaugen""".split()

UNIT_KINDS = """sykehjem barnehage skole hjemmetjeneste bofellesskap helsestasjon legevakt
bibliotek kulturskole renhold driftsavdeling NAV-kontor barnevern rehabilitering
omsorgssenter ungdomsskole barneskole kjøkken brannstasjon servicetorg""".split()

AREAS = """Helse og omsorg|Oppvekst og utdanning|Teknisk drift|Kultur|Administrasjon|
Velferd|Samfunnsutvikling|Barn og familie""".replace("\n", "").split("|")

MUNI_ROOTS = """Fjord Berg Sol Nord Sør Elve Skog Havn Dal Lia Vik Strand Holm Ås Eik Bjørk Fur
Gran Lund Mo Nes Rud Stein Stor Vest Øst Kvit Rød Grøn Blå""".split()
MUNI_TAILS = """vik dal berg sund fjord nes høy land stad våg bø haug heim eid øy""".split()

FIRST = """Kari Ola Ingrid Per Anne Lars Marit Jon Silje Erik Hanne Knut Tone Arne Nina Terje
Randi Geir Liv Trond Camilla Morten Heidi Odd Siri Bjørn Ida Tor Sigrid Håkon Mona Svein Astrid
Even Elin Nils Guro Rune Kristin Øyvind""".split()
LAST = """Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen
Berg Haugen Hagen Bakken Lie Dahl Moen Strand Lund Solberg Eide Aas Ruud Holm Vik Brekke Myhre
Nygård Halvorsen Fjeld""".split()

TOPICS = """turnus nattevakt helgevakt heltidskultur sykefravær opplæring rekruttering
arbeidsmiljø medvirkning pasientsikkerhet dokumentasjon velferdsteknologi introduksjon
oppgavedeling vikarbruk kompetanseheving samarbeid brukermedvirkning hverdagsrehabilitering
matservering uteområde garderobe møtestruktur informasjonsflyt språkopplæring avvikssystem
ressursbruk lærlinger kvalitetsarbeid""".split()

VERBS = [
    "prøve ut",
    "vurdere",
    "kartlegge",
    "forbedre",
    "endre",
    "styrke",
    "avklare",
    "evaluere",
    "innføre",
    "følge opp",
    "planlegge",
    "drøfte",
]

SENTENCES = [
    "Gruppa drøftet {t} og ble enige om å {v} ordningen før sommeren.",
    "Tillitsvalgte tok opp at {t} har blitt en belastning for de ansatte på kveldstid.",
    "Leder orienterte om status for {t}, og gruppa ønsker å {v} dette videre.",
    "Verneombudet pekte på risiko knyttet til {t} og ba om en ny vurdering.",
    "Det er kommet flere innspill om {t} fra ansatte i avdelingen.",
    "Erfaringene fra forsøket med {t} er stort sett gode, men noen er bekymret.",
    "Vi må {v} hvordan {t} henger sammen med bemanningen i helgene.",
    "Partene er enige om at {t} skal tas opp i neste personalmøte.",
    "Sykefraværet har gått ned siden vi begynte å {v} {t}.",
    "Det er behov for mer kunnskap om {t} før vi går videre.",
    "Gruppa ber styringsgruppa om støtte til å {v} {t} i hele tjenesten.",
    "Flere ansatte ønsker større stillinger, og {t} kan være en del av løsningen.",
    "Brukerne har gitt gode tilbakemeldinger på endringene i {t}.",
    "Det ble reist spørsmål om hvordan {t} påvirker arbeidsbelastningen.",
    "Arbeidsgruppa legger fram et forslag om {t} på neste møte.",
    "Tillitsvalgte og leder skal sammen {v} rutinene for {t}.",
]

WAYS = [
    "Leder og tillitsvalgte lager et forslag til neste møte.",
    "Verneombudet gjør en risikovurdering før oppstart.",
    "Saken tas opp igjen om tre måneder.",
    "Vi prøver ordningen i seks måneder og evaluerer etterpå.",
    "Gruppa informerer alle ansatte på personalmøtet.",
    "Saken sendes til AMU for behandling.",
]

DECISIONS = [
    "Forsøket videreføres.",
    "Ordningen evalueres i juni.",
    "Ingen endring nå.",
    "Leder følger opp med tjenesteområdet.",
    "",
    "",
]

STANDING = [
    ("wellbeing", "Trivsel og arbeidsmiljø"),
    ("new_input", "Nye innspill fra ansatte"),
    ("running_trials", "Status for pågående forsøk"),
    ("cooperation", "Hvordan samarbeider vi i partsgruppa?"),
]

ITEM_TITLES = [
    "Ny turnusordning på {t}",
    "Erfaringer med {t}",
    "Forslag om {t}",
    "Oppfølging av {t}",
    "Plan for {t} neste år",
    "Drøfting: {t}",
    "Kartlegging av {t}",
    "Innspill om {t}",
]

INPUT_OPENERS = [
    "Kan vi se på {t}?",
    "Jeg opplever at {t} ikke fungerer godt nok.",
    "Forslag: la oss {v} {t}.",
    "Hvorfor er det ikke gjort noe med {t}?",
    "Takk for at dere tok tak i {t}!",
    "Bekymring for {t} på avdelingen.",
]
INPUT_DETAILS = [
    "Det går ut over pasientene på kveldstid.",
    "Vi er for få på jobb i helgene.",
    "Mange av oss har snakket om dette i pausene.",
    "Det ville gjort hverdagen mye enklere for nyansatte.",
    "Kanskje andre enheter har gode erfaringer vi kan lære av?",
    "Det tar for mye tid fra det vi egentlig skal gjøre.",
    "",
]
ANSWERS = [
    "Takk for innspillet. Partsgruppa har drøftet saken og tar den med i arbeidet med {t}.",
    "Vi har sett på dette. Leder følger opp, og vi gir beskjed på personalmøtet.",
    "Saken er sendt videre til AMU, som behandler den i neste møte.",
    "Vi går ikke videre med dette nå, fordi {t} allerede er under endring.",
    "Innspillet er tatt opp som et forsøk. Følg med på tavla over tiltak.",
]

MEASURE_TITLES = [
    "Prøve ut {t}",
    "Ny ordning for {t}",
    "Bedre rutiner for {t}",
    "Felles plan for {t}",
    "Pilot: {t}",
]

REPORT_WELL = [
    "Vi har fått godt i gang arbeidet med {t}, og flere ansatte er med.",
    "Samarbeidet i partsgruppa er godt, og møtene holdes jevnlig.",
    "Forsøket med {t} har gitt lavere sykefravær.",
]
REPORT_HARD = [
    "Det er krevende å finne tid til {t} i en travel hverdag.",
    "Vikarbruken gjør det vanskelig å følge opp {t}.",
    "Vi mangler data for å vurdere effekten av {t}.",
]
REPORT_NEED = [
    "Vi trenger støtte til opplæring i {t}.",
    "Vi ønsker at styringsgruppa tar opp {t} med de andre enhetene.",
    "Ingen særskilte behov denne perioden.",
]

QUESTIONS = [
    "Hvordan går forsøket med {t}?",
    "Hva trenger dere fra oss for å lykkes med {t}?",
    "Kan dere dele erfaringene med {t} med de andre enhetene?",
]

MONTHS = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]


def fill(template: str, rng: random.Random) -> str:
    return template.format(t=rng.choice(TOPICS), v=rng.choice(VERBS))


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(fill(rng.choice(SENTENCES), rng) for _ in range(sentences))


def municipality_names(count: int, rng: random.Random) -> list[str]:
    combos = [r + t for r in MUNI_ROOTS for t in MUNI_TAILS]
    rng.shuffle(combos)
    names = combos[:count]
    while len(names) < count:  # never at these scales, but keep names unique
        names.append(f"{combos[len(names) % len(combos)]} {len(names)}")
    return [n.capitalize() + " kommune" for n in names]


def unit_name(index: int) -> str:
    place = PLACES[index % len(PLACES)]
    kind = UNIT_KINDS[(index // len(PLACES)) % len(UNIT_KINDS)]
    round_ = index // (len(PLACES) * len(UNIT_KINDS))
    return f"{place} {kind}" + (f" {round_ + 1}" if round_ else "")
