"""Demo: a disagreement handled over time (R15), and telling the members (R19).

At Fjordtun sykehjem the party group did not agree on an extra evening shift at its
second-to-last meeting: the leader, the union reps and the safety rep each gave their position,
and agreed to talk in between. The item continued at the last meeting, where the group agreed
to try a solution for three months instead of deciding: a measure (in trial) made from the
carried item. The reps have their summaries for the members of the last minutes; the safety
rep has shared hers.

The two meetings are published already (trepart/demo/meetings.py); the demo opens them as a
correction, adds the items through the services and puts the snapshot of the published version
back in place, so the demo history has no correction notes. Idempotent: nothing is done when
the item exists. Nobody is e-mailed.

Call after the meetings and measures demos: `load(municipality)`.
"""

from __future__ import annotations

import contextlib
import datetime

from django.utils import timezone

from trepart.meetings import services as meeting_services
from trepart.meetings.models import AgendaItem, Meeting, MeetingSeries
from trepart.organisation.models import Role, RoleAssignment, Unit

UNIT = "Fjordtun sykehjem"
TITLE = "Ekstra kveldsvakt på Langtid 1"
DESCRIPTION = (
    "Kveldsvakta på Langtid 1 er ofte alene de siste timene. Personalet ber om en ekstra "
    "kveldsvakt; budsjettet er stramt."
)
POSITIONS = [
    (
        "Virksomhetslederen",
        "Vi har ikke budsjett til en ny fast kveldsvakt nå. Jeg vil heller se på om vi kan "
        "flytte ressurser fra innleie.",
    ),
    (
        "De tillitsvalgte (Fagforbundet, NSF og Delta)",
        "Medlemmene sier at de er alene for ofte og sliter. Det må komme en ekstra vakt, ikke "
        "flere utredninger.",
    ),
    (
        "Verneombudet",
        "Å være alene på kveld med tunge beboere er en risiko. Vi må se på avvikene før vi "
        "bestemmer noe.",
    ),
]
IN_BETWEEN = (
    "Leder henter tall på innleie de siste seks månedene. De tillitsvalgte snakker med "
    "medlemmene på kveld. Verneombudet og leder går gjennom avvikene sammen før neste møte."
)
FIRST_SUMMARY = (
    "Lang samtale om kveldsvakta. Alle er enige om at det er et problem, men ikke om "
    "løsningen eller hvor pengene skal komme fra."
)
SECOND_SUMMARY = (
    "Tallene viser at innleie på kveld kostet omtrent like mye som en ekstra vakt tre dager i "
    "uka. Avvikene bekrefter at det er mest krevende tirsdag, torsdag og søndag."
)
WAY_FORWARD = (
    "Vi ble ikke enige om en fast ordning, men om å prøve: en ekstra kveldsvakt tirsdag, "
    "torsdag og søndag i tre måneder, betalt med mindre innleie. Vi evaluerer sammen før vi "
    "bestemmer noe."
)
MEASURE_PLAN = {
    "need_and_purpose": "Kveldsvakta er for ofte alene. Målet er tryggere kvelder for "
    "beboere og ansatte uten at det koster mer enn innleien gjør i dag.",
    "goals": "Ingen kveld alene tirsdag, torsdag og søndag. Innleie på kveld går ned like "
    "mye som den ekstra vakta koster.",
    "anchoring_administrative": "Virksomhetsleder har flyttet midler fra innleie for "
    "prøveperioden.",
    "anchoring_union": "De tillitsvalgte er med på å prøve før noe blir fast.",
    "anchoring_staff": "Personalet på kveld ba om det og blir spurt underveis.",
    "cooperation": "Leder, en tillitsvalgt og verneombudet følger prøven i partsgruppa.",
    "resources": "Pengene tas fra innleie; ingen ekstra kostnad.",
    "follow_up": "Avvik og innleie følges måned for måned; korte samtaler med kveldsvakta.",
    "facts_needed": "Innleie på kveld og avvik det siste halvåret.",
    "staff_asked": "Kveldsvakta ble spurt på personalmøtet om hvilke dager som er tyngst.",
    "responsibilities": "Leder: turnus og budsjett. Tillitsvalgte: kontakt med medlemmene. "
    "Verneombudet: avvik og risiko.",
    "success_criteria": "Færre avvik på kveld, ingen økning i kostnader, og kveldsvakta "
    "opplever kveldene som tryggere.",
}


def _holder(unit, role):
    found = (
        RoleAssignment.objects.current()
        .filter(unit=unit, role=role)
        .select_related("person")
        .order_by("starts_on", "id")
        .first()
    )
    return found.person if found else None


def _put_back(meeting: Meeting) -> None:
    """The correction becomes the published version itself (demo history, not a correction)."""
    version = meeting.versions.order_by("-number").first()
    version.content = meeting_services.minutes_snapshot(meeting)
    version.save(update_fields=["content"])
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=Meeting.MinutesStatus.PUBLISHED)
    meeting.refresh_from_db()


@contextlib.contextmanager
def _quiet():
    """Demo history is not news: no e-mail to the reps about their summaries."""
    from trepart.reflection import services_members

    notify = services_members._notify
    services_members._notify = lambda ids: None
    try:
        yield
    finally:
        services_members._notify = notify


def load(municipality) -> AgendaItem | None:
    """Load the disagreement demo; returns the carried item (None when already there)."""
    unit = Unit.objects.filter(municipality=municipality, name=UNIT).first()
    if unit is None:
        return None
    if AgendaItem.objects.filter(meeting__unit=unit, title=TITLE).exists():
        return None
    leader = _holder(unit, Role.UNIT_LEADER)
    series = MeetingSeries.objects.filter(unit=unit).order_by("pk").first()
    if leader is None or series is None:
        return None
    published = list(
        series.meetings.filter(
            minutes_status=Meeting.MinutesStatus.PUBLISHED, ends_at__lt=timezone.now()
        ).order_by("-starts_at")[:2]
    )
    if len(published) < 2:
        return None
    second, first = published

    # The first meeting: not agreed, with the positions; continued at the second (R15).
    meeting_services.minutes_correction_start(actor=leader, meeting=first)
    meeting_services.minutes_correction_start(actor=leader, meeting=second)
    item = meeting_services.agenda_item_propose(
        actor=leader, meeting=first, title=TITLE, description=DESCRIPTION
    )
    item = meeting_services.item_minutes_save(
        actor=leader, item=item, revision=item.revision, summary=FIRST_SUMMARY, way_forward=""
    )
    meeting_services.item_not_agreed(
        actor=leader,
        item=item,
        positions=POSITIONS,
        in_between=IN_BETWEEN,
        continue_at=second,
    )
    carried = second.items.get(carried_from=item)

    # The second meeting: agreed to try a solution for a while instead of deciding (R15, R25).
    carried = meeting_services.item_minutes_save(
        actor=leader,
        item=carried,
        revision=carried.revision,
        summary=SECOND_SUMMARY,
        way_forward=WAY_FORWARD,
    )
    meeting_services.item_close(actor=leader, item=carried)
    _put_back(first)
    _put_back(second)
    _trial(municipality, unit, leader, carried, second)
    _briefs(unit, second)
    return carried


def _trial(municipality, unit, leader, carried, meeting) -> None:
    """The measure made from the carried item, planned, assessed and in trial since the
    meeting (three months, evaluated at the end)."""
    from trepart.demo.measures import _Demo, _risk
    from trepart.demo.measures import _quiet as measures_quiet
    from trepart.measures import services as measure_services
    from trepart.measures.models import Level

    ago = max(0, (timezone.localdate() - timezone.localdate(meeting.starts_at)).days)
    demo = _Demo(municipality)
    with measures_quiet():
        measure = measure_services.measure_create_from_agenda_item(actor=leader, item=carried)
        story = demo.story(measure, ago)
        story.plan(leader, ago, evaluation_ago=ago - 90, **MEASURE_PLAN)
        story.risk(
            ago,
            summary="Prøven gjør kveldene tryggere; risikoen er at innleie likevel trengs ved "
            "sykdom.",
            risks=[
                _risk(
                    "Sykdom på kveld gir fortsatt alenevakter de andre dagene.",
                    Level.MEDIUM,
                    Level.MEDIUM,
                    "Ansvarsvakta ringer inn fra vikarlista før noen blir alene.",
                )
            ],
        )
        story.start(
            leader,
            ago,
            ends_ago=ago - 91,
            participants="Kveldsvakta på Langtid 1 tirsdag, torsdag og søndag.",
        )
        story.finish()


def _briefs(unit, meeting) -> None:
    """R19: the reps' summaries of the last minutes; the safety rep has shared hers."""
    from trepart.reflection import services_members
    from trepart.reflection.models import MemberBrief

    version = meeting.versions.order_by("-number").first()
    with _quiet():
        services_members.briefs_on_minutes_published(version)
    safety = _holder(unit, Role.SAFETY_REP)
    if safety is not None:
        MemberBrief.objects.filter(meeting=meeting, person=safety).update(
            shared_at=min(timezone.now(), meeting.starts_at + datetime.timedelta(days=2))
        )
