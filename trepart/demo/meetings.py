"""Demo meetings for Fjordvik kommune: a year of monthly party-group meetings with minutes,
actions and published versions, and steering-group dialogue meetings. Idempotent."""

import datetime
import itertools

from django.utils import timezone

from trepart.meetings import services
from trepart.meetings.models import Frequency, Meeting, MeetingKind, MeetingSeries
from trepart.meetings.selectors import group_members
from trepart.organisation.models import Role, RoleAssignment, Unit

# (unit name, series title, weekday, ordinal)
PARTY_SERIES = [
    ("Fjordtun sykehjem", "Partsgruppemøte Fjordtun", 1, 1),
    ("Solsiden barnehage", "Partsgruppemøte Solsiden", 2, 2),
    ("Lia barnehage", "Partsgruppemøte Lia", 3, 1),
]

# What was said under the standing items, rotated month by month.
STANDING_NOTES = {
    0: [
        (
            "Travel periode med mye sykefravær på Langtid 1. Personalet sier at faste vikarer gjør "
            "hverdagen mer forutsigbar.",
            "Leder ser på muligheten for flere faste vikarer og melder tilbake i neste møte.",
        ),
        (
            "Godt arbeidsmiljø etter sommeren. Noen etterlyser mer tid til opplæring av nyansatte.",
            "Tillitsvalgt og leder lager et forslag til fadderordning til neste møte.",
        ),
        (
            "Mange opplever at informasjonen om ny journalløsning kom sent.",
            "Leder ber om at superbrukerne holder en gjennomgang på personalmøtet.",
        ),
    ],
    1: [
        (
            "To innspill: ønske om fast møtetid med vikarpoolen, og bedre rutiner for tilbakemelding "
            "på avvik.",
            "Innspillene tas opp som egne saker. Svar gis på personalmøtet.",
        ),
        (
            "Ingen nye innspill siden sist. Vi minner om innspillskanalen på personalmøtet.",
            "Tillitsvalgte minner medlemmene om innspillskanalen.",
        ),
    ],
    2: [
        (
            "Utprøvingen med langvakter i helg går som planlagt. Åtte ansatte er med.",
            "Evaluering med intervjuer i mars, som avtalt.",
        ),
        (
            "Helsefagarbeiderne skifter nå smerteplaster etter opplæring. Ingen avvik meldt.",
            "Fortsetter utprøvingen ut perioden, evaluering i juni.",
        ),
    ],
    3: [
        (
            "Alle opplever at de blir hørt i møtene. Verneombudet ønsker sakene tidligere.",
            "Sakslisten sendes ut en uke før møtet.",
        ),
        (
            "Runden viste at samarbeidet fungerer godt; vi bør feire at turnusarbeidet kom i mål.",
            "Leder tar med kake på neste personalmøte.",
        ),
    ],
}

EXTRA_ITEMS = [
    (
        "Ny turnus med langvakter i helgene",
        "development",
        "Forslag fra personalet om å prøve langvakter i helg for de som ønsker det.",
        "Vi prøver ut langvakter i seks måneder for de som melder seg. Verneombudet gjør en risikovurdering først.",
        "Partsgruppa anbefaler utprøving fra 1. februar.",
    ),
    (
        "Oppgavedeling mellom sykepleiere og helsefagarbeidere",
        "development",
        "Kan helsefagarbeidere ta over skifte av smerteplaster etter opplæring?",
        "Seks måneders utprøving med opplæring først. Evalueres med intervjuer av ansatte.",
        "",
    ),
    (
        "Bruk av fleksibel bemanning på tvers av avdelinger",
        "development",
        "Erfaringer fra en annen kommune viser færre innleide vikarer.",
        "Leder henter erfaringer fra Eikelund før vi tar stilling.",
        "",
    ),
]


# Kindergartens talk about other things than nursing homes.
KINDERGARTEN_ITEMS = [
    (
        "Ny oppgavefordeling mellom pedagoger og assistenter",
        "development",
        "Assistentene ønsker mer ansvar for hverdagsrutinene; pedagogene trenger tid til planlegging.",
        "Vi lager et forslag sammen på personalmøtet og prøver det ut på én avdeling.",
        "Partsgruppa anbefaler utprøving på Storbarn fra januar.",
    ),
    (
        "Støy i garderoben ved henting",
        "development",
        "Flere ansatte melder om høyt støynivå mellom klokka 15 og 16.",
        "Verneombudet måler støy; vi prøver delt henting på to innganger.",
        "",
    ),
]
KINDERGARTEN_NOTES = {
    0: [
        (
            "Mye sykdom blant barna i høst, og flere ansatte har vært borte. Faste vikarer hjelper.",
            "Leder ser på om vi kan knytte to faste vikarer til barnehagen.",
        ),
        (
            "Godt arbeidsmiljø, men planleggingstiden blir ofte spist opp av vikardekning.",
            "Pedagogisk leder og tillitsvalgt lager forslag til skjermet planleggingstid.",
        ),
    ],
    2: [
        (
            "Utprøvingen med fast turdag går fint. Barna gleder seg, foreldrene er fornøyde.",
            "Evaluering med de ansatte før jul, som avtalt.",
        ),
        (
            "Ingen utprøvinger pågår nå. Vi vurderer å prøve ny oppgavefordeling.",
            "Tas opp som egen sak i neste møte.",
        ),
    ],
}


def _is_kindergarten(unit) -> bool:
    return unit is not None and "barnehage" in unit.name.lower()


def _actor(unit):
    leader = (
        RoleAssignment.objects.current()
        .filter(unit=unit, role=Role.UNIT_LEADER)
        .select_related("person")
        .first()
    )
    return leader.person if leader else None


def _fill_minutes(meeting: Meeting, actor, month_index: int, people):
    if meeting.attendance.exists():
        return  # already filled on an earlier run
    members = group_members(
        meeting.municipality, meeting.unit, on=timezone.localdate(meeting.starts_at)
    )
    statuses = {}
    for i, m in enumerate(members):
        absent = (i + month_index) % 5 == 4
        statuses[m["person"]] = ("absent" if absent else "present", m["label"])
    if not statuses:
        return
    services.attendance_record(actor=actor, meeting=meeting, statuses=statuses, guests=[])
    chair = members[month_index % len(members)]["person"]
    services.chair_set(actor=actor, meeting=meeting, person=chair)
    kindergarten = _is_kindergarten(meeting.unit)
    extra = KINDERGARTEN_ITEMS if kindergarten else EXTRA_ITEMS
    if month_index % 4 == 1 and not meeting.is_steering:
        title, kind, description, way, decision = extra[month_index // 4 % len(extra)]
        services.agenda_item_propose(
            actor=actor, meeting=meeting, title=title, description=description, kind=kind
        )
    for item in meeting.items.all():
        if item.standing:
            notes = (kindergarten and KINDERGARTEN_NOTES.get(item.order)) or STANDING_NOTES.get(
                item.order, STANDING_NOTES[3]
            )
            summary, way = notes[month_index % len(notes)]
            decisions = ""
        else:
            match = next((e for e in extra if e[0] == item.title), None)
            if match is None:
                # Items added later (e.g. staff input taken up) keep their own text.
                summary = item.description or item.title
                way, decisions = "Følges opp i neste møte.", ""
            else:
                summary, way, decisions = match[2], match[3], match[4]
        if meeting.is_steering:
            decisions = ""
        services.item_minutes_save(
            actor=actor,
            item=item,
            revision=item.revision,
            summary=summary,
            way_forward=way,
            decisions=decisions,
        )
        services.item_close(actor=actor, item=item)
    first = meeting.items.order_by("order").first()
    assignee = people[month_index % len(people)]
    due = timezone.localdate(meeting.starts_at) + datetime.timedelta(days=21)
    action = services.action_add(
        actor=actor,
        meeting=meeting,
        item=first,
        assignee=assignee,
        due_on=due,
        description="Følge opp det vi ble enige om, og melde tilbake i neste møte",
    )
    if due < timezone.localdate() - datetime.timedelta(days=10):
        services.action_set_done(actor=actor, action=action, done=True)
    services.minutes_publish(actor=actor, meeting=meeting, notify=False)


def load_meetings_demo(municipality):
    today = timezone.localdate()
    start = today.replace(day=1) - datetime.timedelta(days=330)
    for unit_name, title, weekday, ordinal in PARTY_SERIES:
        unit = Unit.objects.get(municipality=municipality, name=unit_name)
        actor = _actor(unit)
        series = MeetingSeries.objects.filter(unit=unit, title=title).first()
        if series is None:
            series = services.series_create(
                actor=actor,
                municipality=municipality,
                unit=unit,
                title=title,
                kind=MeetingKind.DEVELOPMENT,
                frequency=Frequency.MONTHLY,
                ordinal=ordinal,
                weekday=weekday,
                interval_weeks=2,
                start_time=datetime.time(14, 0),
                end_time=datetime.time(15, 0),
                location="Møterommet",
                starts_on=start,
                ends_on=None,
            )
        _fill_series(series, actor)
    steering_actor = (
        RoleAssignment.objects.current()
        .filter(municipality=municipality, role=Role.ADMINISTRATION)
        .select_related("person")
        .order_by("starts_on")
        .first()
        .person
    )
    series = MeetingSeries.objects.filter(municipality=municipality, unit=None).first()
    if series is None:
        # R3: the steering group chose three themes from the topic catalogue.
        services.standing_themes_add(
            actor=steering_actor,
            municipality=municipality,
            themes=["change", "agreements", "cooperation"],
        )
        series = services.series_create(
            actor=steering_actor,
            municipality=municipality,
            unit=None,
            title="TriPart-møte",
            frequency=Frequency.WEEKLY,
            interval_weeks=8,
            ordinal=1,
            weekday=3,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(11, 0),
            location="Kommunestyresalen",
            starts_on=start,
            ends_on=None,
        )
    _fill_series(series, steering_actor)


def _fill_series(series, actor):
    now = timezone.now()
    people = [m["person"] for m in group_members(series.municipality, series.unit)]
    past = list(series.meetings.filter(ends_at__lt=now).order_by("starts_at"))
    for index, meeting in zip(itertools.count(), past):
        if meeting.status == Meeting.Status.CANCELLED:
            continue
        if index == 6 and not meeting.attendance.exists() and meeting.minutes_status == "draft":
            services.meeting_cancel(
                actor=actor, meeting=meeting, reason="Avlyst på grunn av influensautbrudd"
            )
            continue
        _fill_minutes(meeting, actor, index, people)
    upcoming = series.meetings.filter(starts_at__gte=now).order_by("starts_at").first()
    if upcoming and series.unit is not None and not upcoming.items.filter(standing=False).exists():
        rep = (
            RoleAssignment.objects.current()
            .filter(unit=series.unit, role=Role.LOCAL_UNION_REP)
            .select_related("person")
            .first()
        )
        if rep:
            services.agenda_item_propose(
                actor=rep.person,
                meeting=upcoming,
                title="Bedre opplæring av nyansatte og vikarer",
                description="Flere medlemmer sier de får for lite opplæring de første vaktene.",
                kind="development",
            )
