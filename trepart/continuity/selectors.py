"""Reads of the handover part: vacancies computed from the data, the onboarding page, the chief
reps' overview and the steering panel (R4, R5, R6). Each function runs a fixed number of
queries, whatever the number of units or people."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Min, Q
from django.utils import timezone

from trepart.continuity.models import SEAT_ROLES, FollowUpNote, GroupPractice, Handover
from trepart.continuity.permissions import SAFETY, Scope
from trepart.organisation.models import (
    PARTY_GROUP_ROLES,
    Role,
    RoleAssignment,
    UnionPresence,
    Unit,
)

# A newcomer is "new" for the first 90 days in a party-group role (R5: a newcomer steps into an
# established structure and needs the group's support and the chief rep's follow-up).
NEWCOMER_DAYS = 90
# A party group that has not met for this long is shown to the chief reps (R10).
NO_MEETING_DAYS = 60
# Recent changes (vacancies opened, newcomers) shown at the top of the chief reps' overview.
RECENT_DAYS = 30


def flag_days() -> int:
    """Vacancies open longer than this are flagged (settings.VACANCY_FLAG_DAYS, default 30)."""
    return int(getattr(settings, "VACANCY_FLAG_DAYS", 30))


def today() -> datetime.date:
    return timezone.localdate()


@dataclass
class Seat:
    """One seat of a party group: the unit leader, the safety rep, or one union's local rep."""

    unit: Unit
    role: str
    union: object = None
    required: bool = True  # False: a union's rep without members recorded at the unit
    holders: list = field(default_factory=list)  # current assignments
    upcoming: list = field(default_factory=list)  # assignments starting later
    last_ended: datetime.date | None = None
    handover: Handover | None = None  # the open handover row, when the product has seen it
    today: datetime.date | None = None

    @property
    def key(self):
        return (self.unit.pk, self.role, self.union.pk if self.union else None)

    @property
    def vacant(self) -> bool:
        return self.required and not self.holders

    @property
    def vacant_since(self) -> datetime.date | None:
        """The day after the last holder's period ended; None when nobody has held it."""
        if not self.vacant or self.last_ended is None:
            return None
        return self.last_ended + datetime.timedelta(days=1)

    @property
    def open_since(self) -> datetime.date | None:
        """For flagging: when it became vacant, else when the product first saw it empty."""
        if not self.vacant:
            return None
        if self.vacant_since:
            return self.vacant_since
        return self.handover.noticed_on if self.handover else None

    @property
    def days_vacant(self) -> int | None:
        since = self.open_since
        return (self.today - since).days if since else None

    @property
    def flagged(self) -> bool:
        days = self.days_vacant
        return days is not None and days > flag_days()

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def newcomers(self) -> list:
        cut = self.today - datetime.timedelta(days=NEWCOMER_DAYS)
        return [a for a in self.holders if a.starts_on > cut]


def seats(
    municipality_id: int,
    *,
    on: datetime.date | None = None,
    unit_ids=None,
    roles=SEAT_ROLES,
    union_id: int | None = None,
) -> dict[int, list[Seat]]:
    """The watched seats of every unit (or of `unit_ids`), keyed by unit id (R4).

    A unit needs a unit leader, a safety rep and a local union rep for every union with members
    there (UnionPresence). A union's current rep without members recorded makes a seat too (it
    is shown, never counted as vacant). Five queries.
    """
    on = on or today()
    units_qs = Unit.objects.filter(municipality_id=municipality_id).select_related("service_area")
    if unit_ids is not None:
        units_qs = units_qs.filter(pk__in=list(unit_ids))
    units = {u.pk: u for u in units_qs.order_by("name")}
    unit_filter = Q(unit__municipality_id=municipality_id)
    if unit_ids is not None:
        unit_filter &= Q(unit_id__in=list(unit_ids))
    result: dict[int, dict] = {pk: {} for pk in units}

    def seat_for(unit_id, role, union=None, required=True) -> Seat | None:
        if unit_id not in result:
            return None
        key = (role, union.pk if union else None)
        seat = result[unit_id].get(key)
        if seat is None:
            seat = Seat(units[unit_id], role, union, required=required, today=on)
            result[unit_id][key] = seat
        return seat

    for role in roles:
        if role != Role.LOCAL_UNION_REP:
            for unit_id in units:
                seat_for(unit_id, role)
    union_roles = Role.LOCAL_UNION_REP in roles
    if union_roles:
        presences = UnionPresence.objects.filter(unit_filter).select_related("union")
        if union_id is not None:
            presences = presences.filter(union_id=union_id)
        for p in presences.order_by("union__short_name"):
            seat_for(p.unit_id, Role.LOCAL_UNION_REP, p.union)

    assignment_filter = unit_filter & Q(role__in=list(roles))
    if union_id is not None:
        assignment_filter &= ~Q(role=Role.LOCAL_UNION_REP) | Q(union_id=union_id)
    live = (
        RoleAssignment.objects.filter(assignment_filter)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("person", "union")
        .order_by("starts_on", "pk")
    )
    for a in live:
        seat = result[a.unit_id].get((a.role, a.union_id)) if a.unit_id in result else None
        if seat is None and a.role == Role.LOCAL_UNION_REP and a.starts_on <= on:
            seat = seat_for(a.unit_id, a.role, a.union, required=False)
        if seat is None:
            continue
        a.unit = seat.unit  # already loaded: no query per row
        (seat.holders if a.starts_on <= on else seat.upcoming).append(a)

    ended = (
        RoleAssignment.objects.filter(assignment_filter, ends_on__lt=on)
        .values("unit_id", "role", "union_id")
        .annotate(last=Max("ends_on"))
    )
    for row in ended:
        seat = result.get(row["unit_id"], {}).get((row["role"], row["union_id"]))
        if seat is not None:
            seat.last_ended = row["last"]

    handovers = Handover.objects.filter(
        municipality_id=municipality_id, filled_on__isnull=True, role__in=list(roles)
    )
    if unit_ids is not None:
        handovers = handovers.filter(unit_id__in=list(unit_ids))
    for h in handovers:
        seat = result.get(h.unit_id, {}).get((h.role, h.union_id))
        if seat is not None:
            seat.handover = h
    order = {Role.UNIT_LEADER: 0, Role.SAFETY_REP: 1, Role.LOCAL_UNION_REP: 2}
    return {
        unit_id: sorted(by_key.values(), key=lambda s: (order.get(s.role, 9), str(s.union or "")))
        for unit_id, by_key in result.items()
    }


def vacancies(municipality_id: int, *, on=None, unit_ids=None) -> list[Seat]:
    """Every vacant seat, units by name."""
    found = seats(municipality_id, on=on, unit_ids=unit_ids)
    return [s for unit_seats in found.values() for s in unit_seats if s.vacant]


# --- the newcomer's onboarding page -----------------------------------------------------------


def suggested_practice() -> str:
    """A starting text for the group's way of working, in the product's own words after the
    handbook's advice on meeting practice (R9–R15). The group changes it to fit."""
    from django.utils.translation import gettext as _

    return _(
        "How we work together\n"
        "\n"
        "Meetings: we meet at fixed times that the staff know, and we write minutes every "
        "time. We use a meeting the unit already has where we can.\n"
        "\n"
        "Chair: we take turns to chair the meetings, in the order of the member list.\n"
        "\n"
        "Items: anybody in the group or among the staff can propose an item. Items are sent "
        "out at least a week before the meeting. Consultation items and development items are "
        "kept apart.\n"
        "\n"
        "Every meeting starts with: how are things with us, and are we giving good services?\n"
        "\n"
        "In the meeting: we take a round so that everybody gives their view, we ask open "
        "questions, and we end every item by agreeing how it is taken forward and who does "
        "what.\n"
        "\n"
        "When we do not agree: we do not vote. We put the item on the next meeting and talk "
        "in between. Where we can, we try a solution for a limited time and evaluate it "
        "before anything is decided.\n"
        "\n"
        "Input from the staff: every input gets an answer, also when the answer is no, and "
        "the answer says why.\n"
        "\n"
        "Not for this group: individual personnel cases and wage negotiations."
    )


def group_practice(unit) -> GroupPractice | None:
    return GroupPractice.objects.filter(unit=unit).select_related("updated_by").first()


def onboarding(user, unit, on: datetime.date | None = None) -> dict:
    """Everything a newcomer to the party group needs first (R5): the group's way of working,
    open actions, running trials, the last three minutes, the latest pulse, the steering
    group's open questions, and who is in the group now. A fixed number of queries."""
    from trepart.measures.models import Measure, Stage
    from trepart.measures.permissions import can_view_unit_measures
    from trepart.meetings.models import ActionItem, Meeting
    from trepart.meetings.permissions import meeting_schedule_visible_to, meetings_visible_to
    from trepart.organisation.permissions import (
        can_see_union_affiliations,
        is_admin,
        party_group_unit_ids,
    )
    from trepart.reporting.permissions import questions_visible_to
    from trepart.surveys import pulse

    on = on or today()
    now = timezone.now()
    practice = GroupPractice.objects.filter(unit=unit).select_related("updated_by").first()
    members = list(
        RoleAssignment.objects.current(on)
        .filter(unit=unit, role__in=list(PARTY_GROUP_ROLES))
        .select_related("person", "union", "department")
    )
    order = {
        Role.UNIT_LEADER: 0,
        Role.DEPARTMENT_LEADER: 1,
        Role.LOCAL_UNION_REP: 2,
        Role.SAFETY_REP: 3,
    }
    members.sort(key=lambda a: (order.get(a.role, 9), a.person.full_name))
    cut = on - datetime.timedelta(days=NEWCOMER_DAYS)
    for a in members:
        a.is_new = a.starts_on > cut
    # Only what the reader may open: a chief rep may read this page without being allowed into
    # the group's meetings (draft minutes, R20) or its steering questions. Filtered with the
    # querysets (subqueries), so the number of queries stays the same.
    readable = meetings_visible_to(user).values("pk")
    actions = list(
        ActionItem.objects.filter(meeting__unit=unit, meeting__in=readable, done_at__isnull=True)
        .select_related("assignee", "meeting")
        .order_by("due_on", "pk")[:50]
    )
    for a in actions:
        a.overdue = a.due_on < on
    trials = list(
        Measure.objects.filter(unit=unit, stage=Stage.IN_TRIAL).order_by("trial_ends_on", "pk")
    )
    published = Q(minutes_status=Meeting.MinutesStatus.PUBLISHED) | Q(
        minutes_status=Meeting.MinutesStatus.CORRECTING, versions__isnull=False
    )
    minutes = list(
        Meeting.objects.filter(published, unit=unit, pk__in=readable)
        .distinct()
        .order_by("-starts_at", "-pk")[:3]
    )
    next_meeting = (
        meeting_schedule_visible_to(user)
        .filter(unit=unit, status=Meeting.Status.PLANNED, starts_at__gte=now)
        .order_by("starts_at")
        .first()
    )
    readable_meetings = set(
        meetings_visible_to(user)
        .filter(
            pk__in=[m.pk for m in minutes]
            + [a.meeting_id for a in actions]
            + ([next_meeting.pk] if next_meeting else [])
        )
        .values_list("pk", flat=True)
    )
    questions = list(
        questions_visible_to(user)
        .filter(unit=unit, answered_at__isnull=True)
        .select_related("asked_by")
        .order_by("asked_at", "pk")
    )
    unit_seats = seats(unit.municipality_id, on=on, unit_ids=[unit.pk]).get(unit.pk, [])
    can_view_pulse = pulse.can_view_pulse(user, unit)
    return {
        "practice": practice,
        "suggested_practice": suggested_practice(),
        "members": members,
        "show_unions": can_see_union_affiliations(user, unit),
        "actions": actions,
        "trials": trials,
        "can_open_measures": can_view_unit_measures(user, unit),
        "minutes": minutes,
        "next_meeting": next_meeting,
        "readable_meetings": readable_meetings,
        # The pulse results are for the group, the municipal admin and the administration
        # only (not the chief reps who follow the unit up).
        "can_view_pulse": can_view_pulse,
        # Members and admins see every list whole; for others an empty list may mean "nothing
        # you may open", and the page says so rather than "none".
        "sees_everything": unit.pk in party_group_unit_ids(user) or is_admin(user),
        "pulse": pulse.latest_for_unit(unit) if can_view_pulse else None,
        "questions": questions,
        "vacancies": [s for s in unit_seats if s.vacant],
        "flag_days": flag_days(),
    }


def new_party_group_units(roles, on: datetime.date | None = None) -> list:
    """Units where the person is new in the party group (started a party-group role within
    NEWCOMER_DAYS and held none there before that). From the cached current roles: no query."""
    on = on or today()
    cut = on - datetime.timedelta(days=NEWCOMER_DAYS)
    by_unit: dict[int, list] = {}
    for a in roles:
        if a.unit_id and a.role in PARTY_GROUP_ROLES:
            by_unit.setdefault(a.unit_id, []).append(a)
    found = []
    for assignments in by_unit.values():
        first = min(assignments, key=lambda a: a.starts_on)
        if first.starts_on > cut:
            found.append(first)
    return sorted(found, key=lambda a: a.unit.name)


# --- the chief reps' overview ------------------------------------------------------------------


@dataclass
class RepRow:
    unit: Unit
    seats: list
    last_held: datetime.datetime | None = None
    next_planned: datetime.datetime | None = None
    no_meeting: bool = False

    @property
    def holders(self) -> list:
        return [a for s in self.seats for a in s.holders]

    @property
    def vacant_seats(self) -> list:
        return [s for s in self.seats if s.vacant]


def meeting_dates(municipality_id: int, now: datetime.datetime) -> dict[int, dict]:
    """Per unit: the last party-group meeting held and the next one planned. One query.

    A meeting was held when it is marked held or its minutes are published (as the steering
    overview counts it), and it was not cancelled."""
    from trepart.meetings.models import Meeting

    held = Q(starts_at__lt=now) & (
        Q(status=Meeting.Status.HELD)
        | Q(
            minutes_status__in=[
                Meeting.MinutesStatus.PUBLISHED,
                Meeting.MinutesStatus.CORRECTING,
            ]
        )
    )
    rows = (
        Meeting.objects.filter(municipality_id=municipality_id, unit__isnull=False)
        .exclude(status=Meeting.Status.CANCELLED)
        .values("unit_id")
        .annotate(
            last_held=Max("starts_at", filter=held),
            next_planned=Min(
                "starts_at", filter=Q(status=Meeting.Status.PLANNED, starts_at__gte=now)
            ),
        )
    )
    return {r["unit_id"]: r for r in rows}


def local_reps_overview(user, scope: Scope, on: datetime.date | None = None) -> dict:
    """R6: the chief rep's view of the local reps they follow up, across the municipality's
    units: current reps with their start, vacancies (flagged when long), newcomers, groups that
    have not met lately, recent changes, and the chief's own private notes. Fixed queries."""
    on = on or today()
    now = timezone.now()
    municipality_id = user.municipality_id
    found = seats(municipality_id, on=on, roles=(scope.role,), union_id=scope.union_id)
    dates = meeting_dates(municipality_id, now)
    no_meeting_cut = now - datetime.timedelta(days=NO_MEETING_DAYS)
    rows = []
    for unit_seats in found.values():
        if not unit_seats:
            continue
        unit = unit_seats[0].unit
        d = dates.get(unit.pk, {})
        last_held = d.get("last_held")
        rows.append(
            RepRow(
                unit=unit,
                seats=unit_seats,
                last_held=last_held,
                next_planned=d.get("next_planned"),
                no_meeting=last_held is None or last_held < no_meeting_cut,
            )
        )
    recent_cut = on - datetime.timedelta(days=RECENT_DAYS)
    events = Handover.objects.filter(
        Q(noticed_on__gte=recent_cut) | Q(filled_on__gte=recent_cut),
        municipality_id=municipality_id,
        role=scope.role,
    ).select_related("unit", "union", "newcomer__person")
    if scope.union_id:
        events = events.filter(union_id=scope.union_id)
    recent = []
    for h in events:
        if h.filled_on and h.filled_on >= recent_cut and h.newcomer_id:
            recent.append({"day": h.filled_on, "kind": "filled", "handover": h})
        if h.noticed_on >= recent_cut and (h.filled_on is None or h.open_notified_at):
            recent.append({"day": h.vacant_since or h.noticed_on, "kind": "opened", "handover": h})
    recent.sort(key=lambda e: (e["day"], e["kind"] == "filled"), reverse=True)
    newcomers = sorted(
        ((a, r.unit) for r in rows for s in r.seats for a in s.newcomers),
        key=lambda pair: pair[0].starts_on,
        reverse=True,
    )
    vacant = [s for r in rows for s in r.vacant_seats]
    return {
        "rows": rows,
        "recent": recent,
        "recent_since": recent_cut,
        "newcomers": newcomers,
        "vacant_count": len(vacant),
        "flagged_count": sum(1 for s in vacant if s.flagged),
        "no_meeting_count": sum(1 for r in rows if r.no_meeting),
        "flag_days": flag_days(),
        "newcomer_days": NEWCOMER_DAYS,
        "no_meeting_days": NO_MEETING_DAYS,
    }


def reps_for_notes(rows) -> list[RoleAssignment]:
    """The reps a chief may write a note about: the current holders in the overview."""
    return sorted(
        (a for r in rows for a in r.holders), key=lambda a: (a.person.full_name, a.unit_id)
    )


def notes_of(notes_qs, limit: int = 50) -> list[FollowUpNote]:
    return list(notes_qs.select_related("person", "unit").order_by("-held_on", "-pk")[:limit])


# --- the steering overview's panel -------------------------------------------------------------


def steering_vacancies(municipality_id: int, on: datetime.date | None = None) -> dict:
    """Counts of vacant seats per role, and the units with long vacancies (not personal data:
    a seat, not a person). Five queries."""
    found = vacancies(municipality_id, on=on)
    counts = {Role.UNIT_LEADER: 0, Role.SAFETY_REP: 0, Role.LOCAL_UNION_REP: 0}
    for s in found:
        counts[s.role] += 1
    long = [s for s in found if s.flagged]
    return {
        "counts": [{"label": Role(role).label, "count": n} for role, n in counts.items()],
        "total": len(found),
        "long": sorted(long, key=lambda s: (-(s.days_vacant or 0), s.unit.name)),
        "flag_days": flag_days(),
        "safety": SAFETY,
    }
