"""The words behind "similar inputs" (P3, issue 10): plain data, read by `similarity.py`.

Everything here is meant to be read and corrected by people who know nursing homes, home care
and kindergartens; nothing is learned. Bokmål and nynorsk side by side.

- `STOPWORDS`: filler that never counts ("vi ønsker at det blir …").
- `CONCEPTS`: near-synonyms grouped under the word the group sees ("for få folk ≈ bemanning").
  Each member is a base form; the usual bokmål and nynorsk endings are added automatically.
  Irregular forms are written with slashes: `nøkkel/nøkler/nøklene`. Compounds that are
  simply their parts (kveldsvakt, matpause, tjenestebil) are *not* listed: they are split, so
  that "kveldsvakt" meets both "kveld" and "vakt".
- `WEIGHTS`: words that are true but say little, because they are in almost every input of a
  workplace (beboer, barn, vakt, tid). They count a little, never enough on their own.
- `PHRASES`: a few fixed expressions that mean a concept ("vi er for få", "rekker ikke").
- `PREFIXES`: beginnings that are not the first part of a compound ("for|slag" is "forslag").
"""

# Includes all of PostgreSQL's own Norwegian stop words (the last lines), so that every stored
# term is also a term for PostgreSQL's full-text search (selectors.similar_inputs).
STOPWORDS = frozenset(
    """
    og i jeg eg det at en ein et eit den til er var vart blir blei bli ble vere være som på de
    med han ho hun av ikkje ikke der så seg kan kunne vil ville skal skulle må måtte har
    hadde ha for fra frå men om også ogso eller når no nå hva kva hvem kven hvor kvar hvorfor
    kvifor vi me oss dere dykk deg meg dei dem sin sitt sine vår vårt våre min mitt mine din ditt
    dine hans hennes hennar deres deira denne dette disse desse noe noko noen nokon nokre mange
    mykje mye litt bare berre etter før over under mot ved inn ut opp ned her hit dit da då
    fordi enn slik sånn veldig meir mer mest mindre alle alt andre annen anna anne annet hver
    hos uten utan igjen ofte aldri alltid enda ennå synes syns tror trur ønsker ønskjer ønske
    ønskje ønsket gjerne kanskje bør burde få får fikk fekk gjøre gjere gjør gjer gjort gjorde
    blitt vært vore oppe nede inne borte fram frem tilbake sammen samme selv sjøl sjølv
    stadig særlig særleg spesielt akkurat faktisk nesten heller helst like lenger lengre
    tenke tenker tenkte trenger treng trenge trengs trengst behøver kommer kjem komme kom gå går
    gikk gjekk ta tar tok tek gi gir gav gjev se ser såg sett si sier sa seier finne finner fant
    hele heile hel heilt helt ganske altfor nok vel jo dermed derfor likevel
    mellom blant innen gjennom rundt langs etterpå først sist siste neste forrige hvis
    viss dersom både hverandre kvarandre ting slikt sånt mens medan ett
    tillegg stedet staden eksempel osv etc pga grunn lurer spør spørre spørsmål lure
    mener meiner virker verkar passer passar fungerer fungerar skjer skjedde bra
    gang ganger gangen gongen gonger klokka klokken flere fleire flest sitte sitter satt
    stå står sto stod ligge ligger låg legge legger lagt sende sender sendte sendt spurt
    fått høre hører hørte snakke snakker snakket samtidig samtidlig innenfor utenfor
    tre fire fem seks sju syv åtte ni ti elleve tolv tredje fjerde femte halv halve
    kunne slutt starte starter begynne begynner mulig mogleg umulig sikkert visst
    stor store større størst liten lita lite små høy høye høyt høg høge høgt lav lave lavt låg
    låge lågt eneste einaste egen eget egne eigen eige eigne veldig skikkelig ingen inga
    ingenting vet veit vite visste bestemme bestemmer bestemte bruke brukte brukt
    begge båe deim deires di du dykkar eitt elles henne hjå hoe honom hoss hossen hvilke
    hvilken hvordan ingi inkje inni ja korleis korso kun kvarhelst kvi man meget mi noka nokor
    sia sidan siden so somme somt um upp varte verte vors vort å
    """.split()
)

# `concept: member member …`. The concept is written first and is what the group sees.
CONCEPTS = """
bemanning: bemanning underbemanning underbemanna underbemannet bemanna bemannet grunnbemanning
    minimumsbemanning folkemangel personalmangel
vakt: vakt
kveld: kveld kvelds kveldstid
ettermiddag: ettermiddag/ettermiddagen/ettermiddagar/ettermiddager
natt: natt/netter/nettene natta nattetid
morgen: morgen/morgenen/morgener morgon/morgonen morgontid formiddag
dag: dag/dagen/dager/dagar/dagane/dagene dagtid
helg: helg lørdag laurdag søndag sundag weekend
langvakt: langvakt
turnus: turnus arbeidsplan vaktplan vaktliste
pause: pause
mat: mat måltid frokost lunsj middag mellommåltid spise/spiser/spiste/spist kosthold kosthald
    ernæring frukt grønnsak brød
sykefravær: sykefravær sjukefråvær fravær fråvær sykmelding sykemelding sjukmelding sjukemelding
    sykmeldt sykemeldt sjukmeldt sjukemeldt sjukmeld sjukmelde sjukemelde sykmeldte sykemeldte
løft: løft løfte løfter løfting forflytning forflytte forflytningar forflytninger
rygg: rygg skulder/skuldre/skuldrene nakke belastning belastningsskade
møte: møte
vikar: vikar/vikarer/vikarene/vikarar/vikarane vikariat ekstrahjelp innleie
opplæring: opplæring kurs/kurset/kursene/kursa kursing kompetanse kompetanseheving
    internundervisning undervisning
medisin: medisin medikament legemiddel/legemidler/legemidlene/legemiddelet tablett
dosett: dosett multidose
ringeklokke: ringeklokke/ringeklokka pasientvarsling pasientsignal pasientsignalanlegg
    ringesignal varslingsanlegg sykesignal
overtid: overtid ekstravakt forskjøvet
dokumentasjon: dokumentasjon dokumentere dokumentering rapport rapportering journal
    journalføring papirarbeid observasjon observasjonar observasjoner
vold: vold vald utagering utagerende utagere slå/slår/slo/slått bite/biter/beit/bitt/bet
    sparke/sparker/sparka/sparket klore/klorer/klora/kloret trussel/trusler/truslene true/truer/
    truet/truande/truende truga voldelig valdeleg aggresjon aggressiv
sykepleier: sykepleier/sykepleiere/sykepleierne sjukepleiar/sjukepleiarar/sjukepleiarane
    spesialsykepleier
aktivitet: aktivitet aktivisering aktivisere aktivitør
smittevern: smittevern hanske forkle munnbind
informasjon: informasjon info beskjed informere orientering
heis: heis
bad: bad baderom dusj dusje/dusjer/dusja/dusjet
gulv: gulv golv
glatt: glatt glatta glattis
fall: fall falle/faller/falt/fell skli/sklir/sklei/skled/sklidd
stilling: stilling stillingsprosent deltid heltid
rute: rute runde kjøreliste ruteliste kjørerute arbeidsliste
bil: bil kjøretøy
dekk: dekk/dekka/dekket/dekkene piggdekk
nøkkel: nøkkel/nøkler/nøklene/nøklar/nøkkelen
parkering: parkering parkere
bot: bot/bøter/bøtene/bota/boten
telefon: telefon mobil mobiltelefon nettbrett
sykehus: sykehus sjukehus innleggelse utskrivning utskriving
hjelpemiddel: hjelpemiddel/hjelpemidler/hjelpemidlene/hjelpemidla/hjelpemiddelet
beboer: beboer/beboere/beboerne bebuar/bebuarar/bebuarane pasient bruker/brukere/brukerne
    brukar/brukarar/brukarane tjenestemottaker
barn: barn/barna/barnet/barns born/borna unge/unger/ungene/ungar/ungane småbarn storbarn
ansatt: ansatt/ansatte tilsett/tilsette kollega/kolleger/kollegaer/kollegane personale personal
    voksen/voksne/vaksne medarbeider
avdeling: avdeling/avdelinga/avdelingane enhet/enheter/enheten eining
arbeidsplass: arbeidsplass sykehjem sjukeheim barnehage hjemmetjeneste heimeteneste
    hjemmesykepleie heimesjukepleie omsorgssenter bofellesskap base basen
ute: ute utelek uteleik utedag uteområde
støy: støy bråk lyd lydnivå lyddemping hørselvern akustikk gjalle/gjaller/gjalla
foreldre: foreldre/foreldrene/foreldra foresatte/foresattes føresette/føresett
henting: henting hente/henter/henta/hentet/hentes
stenging: stenging stenge/stenger/stengte/stengt
planlegging: planlegging planlegge
tilvenning: tilvenning innkjøring oppstart
søvn: søvn sove/sover/sov/sovet sovinga sovning kvil kvile hvil hvile
åpning: åpning åpne/åpner/åpnet
alene: alene aleine åleine
kjøkken: kjøkken/kjøkkenet kjøken/kjøkenet
ferie: ferie ferieavvikling
lekeapparat: lekeapparat klatrestativ huske/husker/huska/huskene sklie lekestativ lekeplass
klær: klær/klærne tøy/tøyet
regn: regn regnvær
foreldresamtale: foreldresamtale utviklingssamtale
bleie: bleie/bleier/bleiene/bleia
skift: skift skifte/skifter/skifta/skiftet/skiftes
stell: stell stelle/steller/stelte/stelt/stelles/stellast stellerom
garderobe: garderobe
avvik: avvik avviksmelding avvikssystem uønsket
død: død dødsfall døende døde/dødd palliasjon palliativ terminal
veiledning: veiledning rettleiing debrief debriefing samtalegruppe
rekruttering: rekruttering rekruttere beholde turnover gjennomtrekk slutte/slutter/sluttet/
    slutta/sluttar
pedagog: pedagog pedagogisk barnehagelærer førskolelærer barnehagelærar
fagarbeider: fagarbeider fagarbeidar assistent helsefagarbeider hjelpepleier omsorgsarbeider
    ungdomsarbeider
samling: samling samlingsstund
spesialpedagogikk: spesialpedagogikk spesialpedagog spesialpedagogisk spesialundervisning
    ressursbarn
ressurs: ressurs/ressurser/ressursene
smitte: smitte/smitter/smitta/smittet smittsom smittsomt feber omgangssyke influensa korona
    covid oppkast
lintøy: håndkle/håndklær/håndklærne/håndklea laken sengetøy klut vaskeri
inneklima: inneklima ventilasjon luft temperatur varme/varmen varm/varmt kulde kald/kaldt trekk
    grader
brann: brann brannøvelse brannvern brannalarm brannrutine
arbeidsmiljø: arbeidsmiljø trivsel stemning miljø
konflikt: konflikt mobbing baksnakking uenighet krangel
tilbakemelding: tilbakemelding ros anerkjennelse
lege: lege legevakt fastlege tilsynslege legetime
dyr: dyr hund katt
økonomi: økonomi budsjett penger innsparing kutt
språk: språk morsmål tolk norskopplæring
tur: tur/turen/turer/turane/turar utflukt
innkjøp: innkjøp bestille bestilling varer vareleveranse
renhold: renhold rengjøring rydde/rydder/ryddet/rydda reinhald vaske/vasker/vasket/vaska
ansvar: ansvar ansvarlig
samarbeid: samarbeid samarbeide/samarbeider/samarbeidet
ødelagt: ødelagt ødelagd defekt knust knekt
mangel: mangel mangle/mangler/mangla/manglet/manglar
vanskelig: vanskelig/vanskelige vanskeleg/vanskelege
plass: trang/trangt/trange trong/trongt/tronge
sommer: sommer sommaren sommeren
vinter: vinter vinteren vintaren
høst: høst haust
lys: lys belysning lyspære
rullestol: rullestol
seng: seng
demens: demens demente
pårørende: pårørende pårørande
skjermet: skjermet skjerma
plass: plass
tid: tid/tida/tiden/tider
jobb: jobb/jobbe/jobber/jobba/jobbet arbeid arbeide arbeider arbeidstid
uke: uke/uka/uken/uker veke/veka/veker
måned: måned/måneden/måneder månad
tidspress: tidspress stress stressa stressende hastverk travelt travel travelhet
forsvarlig: forsvarlig forsvarleg uforsvarlig uforsvarleg trygg utrygg trygt utrygt
rom: rom
plan: plan
system: system
utstyr: utstyr
ekstra: ekstra
ny: ny/nye/nytt
god: god/godt/gode bedre/best/beste betre/betra
dårlig: dårlig/dårlige dårleg/dårlege
lang: lang/lange/langt
kort: kort/korte/kortere
vondt: vondt vond
tung: tung/tunge/tungt tyngre
fast: fast/faste
tjeneste: tjeneste teneste
kommune: kommune/kommunen
leder: leder ledelse leiar leiing
problem: problem utfordring
behov: behov
forslag: forslag
oppmøte: oppmøte
dekke: dekke/dekker/dekte/dekt
bilde: bilde/bilder/bildene
lage: lage/lager/laga/laget/laging/lagar
skrive: skrive/skriver/skreiv/skrev/skrevet/skriving/skrivinga
"""

# Weights of concepts (default 1: a thing, a place, a time, or any word not listed here).
# - 1.5: words that name a *matter* staff raise (sykefravær, bemanning, vold, støy): sharing
#   one of them is enough when the texts are short.
# - 0.5 and 0.25: the setting's everyday words. Two inputs at a nursing home that both mention
#   residents and a shift are not therefore about the same matter; these words add a little to
#   the score but never make two inputs similar on their own.
WEIGHTS = {
    **dict.fromkeys(
        """bemanning langvakt turnus pause sykefravær overtid opplæring dokumentasjon vold
        smittevern ringeklokke dosett tidspress støy tilvenning foreldresamtale planlegging
        aktivitet parkering hjelpemiddel løft søvn henting stenging ferie stilling ute
        forsvarlig avvik død veiledning rekruttering spesialpedagogikk smitte inneklima brann
        arbeidsmiljø konflikt tilbakemelding økonomi samarbeid renhold""".split(),
        1.5,
    ),
    **dict.fromkeys(
        """beboer barn ansatt avdeling arbeidsplass vakt tid jobb dag uke måned ny god dårlig
        lang kort fast tjeneste kommune problem behov forslag dekke bilde lage skrive""".split(),
        0.25,
    ),
    **dict.fromkeys(
        """rom plan system utstyr ekstra vondt tung alene informasjon leder plass
        sommer vinter høst ødelagt mangel vanskelig""".split(),
        0.5,
    ),
}

# Fixed expressions, matched on the lower-case text before the words are read. A phrase adds
# its concept and its words no longer count one by one; `None` only takes the words out.
_PEOPLE = r"(?:folk|voksne|vaksne|ansatte|tilsette|hender|personale|personell|på jobb)"
PHRASES = [
    (rf"\b(?:alt)?for (?:få|lite) {_PEOPLE}", "bemanning"),
    (rf"\b(?:ikke|ikkje) (?:nok|mange nok) {_PEOPLE}", "bemanning"),
    (r"\b(?:folk|voksne|vaksne|hender) nok\b", "bemanning"),
    (
        r"\b(?:fleire|flere) (?:hender|voksne|vaksne|ansatte|tilsette|folk)"
        r" (?:på|i|der|om|til)\b",
        "bemanning",
    ),
    (r"\bmangle[rt]? folk\b|\bmanglar folk\b", "bemanning"),
    (r"\b(?:vi|me) er (?:alt)?for få\b", "bemanning"),
    (
        r"\b(?:bare|berre|kun) (?:to|tre|én|en|ein|ei|1|2|3) (?:voksne|vaksne|ansatte|tilsette"
        r"|på jobb|på vakt)\b",
        "bemanning",
    ),
    (r"\blange? vakt(?:er|ene|ar|ane|a|en)?\b", "langvakt"),
    # "more time outside" is about the children's day, not about time pressure
    (r"\b(?:dårlig|dårleg|knapp|for lite|lite|mer|meir|ikke|ikkje) tid\b(?! ute)", "tidspress"),
    (r"\b(?:ingen|ingen av oss) har tid\b|\b(?:i )?full fart\b", "tidspress"),
    (r"\b(?:rekker|rekk|rakk|rekke|rekkje) (?:ikke|ikkje|aldri|sjelden|sjeldan)\b", "tidspress"),
    (
        r"\b(?:mange|fleire|flere|noen|nokon|folk|vi) (?:er|blir|vert) (?:syke|sjuke|sykmeldte"
        r"|sykemeldte|sjukmelde|sjukemelde|sjukmeldte)\b",
        "sykefravær",
    ),
    (r"\bta(?:r|k)? ekstra\b", "overtid"),
    (
        r"\bi stykker\b|\b(?:virker|fungerer|verkar|fungerar) (?:ikke|ikkje)\b"
        r"|\b(?:står|står fast) igjen\b",
        "ødelagt",
    ),
    # "vi bruker mye tid" is the verb, not a user of the service
    (r"\b(?:vi|me|jeg|eg|de|dei|man|som|du) (?:bruker|brukar|bruke)\b", None),
    (r"\bbruker (?:vi|me|jeg|eg|de|dei|man|du)\b", None),
    (r"\bi (?:alle|hvert|kvart) fall\b", None),
]

# Beginnings that make a different word, not a compound: for|slag, inn|stilling, be|handling.
PREFIXES = frozenset(
    """for fore inn opp ut av be over under mot med til fra frå om på gjen sam an mis van u
    er ved bi unn ein""".split()
)
