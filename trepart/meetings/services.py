"""Writes for meetings and minutes. Every write checks permission and runs in a transaction."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trepart.core import hooks
from trepart.core.scope import check_scope
from trepart.meetings import permissions
from trepart.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    ItemKind,
    ItemPosition,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MinutesVersion,
    Referral,
    StandingItem,
)
from trepart.meetings.schedule import Rule, local_datetime, occurrence_dates

# How far ahead series generate meetings.
HORIZON_DAYS = 366


class MinutesConflict(Exception):
    """Someone else saved this item since the editor loaded it (nothing is overwritten)."""

    def __init__(self, item: AgendaItem):
        super().__init__("conflict")
        self.item = item


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _require_editable(meeting: Meeting):
    if not meeting.minutes_editable:
        raise ValidationError(
            _(
                "The minutes are published. Start a correction to change them; a new version is kept."
            )
        )


def _scope_guard(*texts, personnel_case=False):
    """R14: personnel cases and wage negotiations are refused with an explanation."""
    finding = check_scope(*texts, personnel_case=personnel_case)
    if finding:
        raise ValidationError(finding.message, code=f"out_of_scope_{finding.kind}")


# --- standing items (R11) ----------------------------------------------------------------------


def steering_topic_catalogue() -> list[tuple[str, str, str]]:
    """R3: the steering group's topic catalogue (after a municipality's list in the handbook), in
    our own words: (choice value, title, description). Offered as the default standing themes
    when the steering group sets up its meetings; each group keeps the ones it wants."""
    return [
        (
            "development",
            _("Organisation development, innovation and digitalisation"),
            _("How the municipality develops its services and ways of working."),
        ),
        (
            "change",
            _("Restructuring and change"),
            _("Changes under way or coming, and how employees are involved."),
        ),
        (
            "budget",
            _("Budget matters that affect employees"),
            _("What the budget means for staffing, services and the working day."),
        ),
        (
            "goals",
            _("The organisation's goals: where do we stand?"),
            _("Status of the municipality's goals for its organisation."),
        ),
        (
            "employer",
            _("Employer strategies and guidelines"),
            _("Competence plans, recruitment, rules for hiring, ethics."),
        ),
        (
            "agreements",
            _("Full-time culture, working time and equality"),
            _("Topics the law and the agreements ask employers and unions to work on together."),
        ),
        (
            "cooperation",
            _("How politicians, administration and employees cooperate"),
            _("Is the tripartite cooperation working, here and in the units?"),
        ),
        (
            "environment",
            _("Working environment and sick leave"),
            _("Mainly the working environment committee's field; taken up here when needed."),
        ),
    ]


def default_standing_titles(steering: bool = False) -> list[tuple[str, str, str]]:
    """(stable key, title, description) of a group's default standing items (R11).

    Titles are translated and editable; other apps find an item by its key, never its title.
    The steering group's default is the units' reports and questions (R31); its themes come
    from the topic catalogue (R3), chosen when it sets up its meetings.
    """
    if steering:
        return [
            (
                StandingItem.Key.UNIT_REPORTS,
                _("Reports and questions from the units"),
                _("What the party groups report, and their answers to our questions."),
            )
        ]
    return [
        (
            StandingItem.Key.WELLBEING,
            _("How are things with us?"),
            _("How is the working day for staff, and are we delivering good services?"),
        ),
        (
            StandingItem.Key.NEW_INPUT,
            _("New input from staff"),
            _("Inputs received since the last meeting."),
        ),
        (
            StandingItem.Key.RUNNING_TRIALS,
            _("Status of running trials"),
            _("What have we learned since last time?"),
        ),
        (
            StandingItem.Key.COOPERATION,
            _("How are we cooperating?"),
            _("A short round: is the cooperation working for everyone?"),
        ),
    ]


def standing_items_for(municipality, unit) -> list[StandingItem]:
    """The group's standing items; created from the defaults the first time (R11).

    A write: called when a unit is created (the UNIT_CREATED extension point) and by the writes
    that need the items; pages read them with selectors.standing_items() and never write."""
    items = list(StandingItem.objects.filter(municipality=municipality, unit=unit, active=True))
    if items or StandingItem.objects.filter(municipality=municipality, unit=unit).exists():
        return items
    with translation.override(municipality.default_language or "nb"):
        defaults = default_standing_titles(steering=unit is None)
    return [
        StandingItem.objects.create(
            municipality=municipality,
            unit=unit,
            key=key,
            title=title,
            description=description,
            order=i,
        )
        for i, (key, title, description) in enumerate(defaults)
    ]


def _group_municipality(actor, municipality, unit):
    """The municipality of the group's objects: the unit's own when there is a unit (never a
    value from a form), else the actor's own for the steering group (ARCHITECTURE rule 3)."""
    own = unit.municipality if unit is not None else municipality
    if own is None or own.pk != actor.municipality_id:
        raise PermissionDenied
    return own


def standing_item_add(*, actor, municipality, unit, title: str) -> StandingItem:
    _require(permissions.can_plan_meetings(actor, unit))
    municipality = _group_municipality(actor, municipality, unit)
    _scope_guard(title)
    standing_items_for(municipality, unit)  # the defaults first, so they are not lost
    order = (
        StandingItem.objects.filter(municipality=municipality, unit=unit).aggregate(m=Max("order"))[
            "m"
        ]
        or 0
    )
    return StandingItem.objects.create(
        municipality=municipality, unit=unit, title=title.strip(), order=order + 1
    )


def standing_themes_add(*, actor, municipality, themes: list[str]) -> list[StandingItem]:
    """R3: add the chosen themes of the topic catalogue as the steering group's standing items
    (those it does not have yet, by title)."""
    _require(permissions.can_plan_meetings(actor, None))
    municipality = _group_municipality(actor, municipality, None)
    existing = {s.title for s in standing_items_for(municipality, None)}
    order = (
        StandingItem.objects.filter(municipality=municipality, unit=None).aggregate(m=Max("order"))[
            "m"
        ]
        or 0
    )
    with translation.override(municipality.default_language or "nb"):
        catalogue = [(v, str(t), str(d)) for v, t, d in steering_topic_catalogue()]
    added = []
    for value, title, description in catalogue:
        if value in themes and title not in existing:
            order += 1
            added.append(
                StandingItem.objects.create(
                    municipality=municipality,
                    unit=None,
                    title=title,
                    description=description,
                    order=order,
                )
            )
    return added


def standing_items_on_unit_created(unit) -> None:
    """UNIT_CREATED (trepart.core.hooks): a new unit's party group gets the default standing
    items (R11) when the unit is created, not when its page is first viewed."""
    standing_items_for(unit.municipality, unit)


def standing_item_remove(*, actor, item: StandingItem) -> None:
    _require(permissions.can_plan_meetings(actor, item.unit))
    item.active = False
    item.save(update_fields=["active"])


# --- series and meetings ------------------------------------------------------------------------


def _default_kind(unit) -> str:
    return MeetingKind.DIALOGUE if unit is None else MeetingKind.DEVELOPMENT


def _item_kind_for(meeting: Meeting, requested: str | None) -> str:
    if meeting.is_steering:
        return ItemKind.DIALOGUE  # R2: items are for information and dialogue
    if requested in (ItemKind.DEVELOPMENT, ItemKind.CONSULTATION):
        return requested
    return (
        ItemKind.CONSULTATION if meeting.kind == MeetingKind.CONSULTATION else ItemKind.DEVELOPMENT
    )


def _prefill_agenda(meeting: Meeting, standings: list[StandingItem] | None = None):
    """Put the group's standing items on a new meeting's agenda (R11). `standings` lets a
    caller that creates many meetings of one group load them once."""
    if standings is None:
        standings = standing_items_for(meeting.municipality, meeting.unit)
    for i, standing in enumerate(standings):
        AgendaItem.objects.create(
            meeting=meeting,
            order=i,
            title=standing.title,
            description=standing.description,
            kind=_item_kind_for(meeting, None),
            standing=True,
            standing_key=standing.key,
        )


def series_horizon(today: datetime.date) -> datetime.date:
    """R10: the last day series have meetings for: the end of the month a year ahead, so a
    monthly series always shows at least its next twelve meetings (the same weekday a year on
    can fall a few days after `today` + 366)."""
    day = today + datetime.timedelta(days=HORIZON_DAYS)
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def series_generate(
    series: MeetingSeries,
    until: datetime.date | None = None,
    *,
    since: datetime.date | None = None,
    existing: set[datetime.date] | None = None,
) -> list[Meeting]:
    """Create the series' meetings up to `until` that do not exist yet (moved and cancelled
    meetings keep their series date, so they are never created again).

    `since` skips dates before it (the roll-forward never creates meetings in the past);
    `existing` is the series' known series dates (from `since` on) when the caller loaded them
    for many series at once."""
    until = until or series_horizon(timezone.localdate())
    if series.ends_on and series.ends_on < until:
        until = series.ends_on
    rule = Rule(
        frequency=series.frequency,
        weekday=series.weekday,
        ordinal=series.ordinal,
        interval_weeks=series.interval_weeks,
    )
    if existing is None:
        existing = set(series.meetings.values_list("series_date", flat=True))
    start = max(series.starts_on, since) if since else series.starts_on
    days = [day for day in occurrence_dates(rule, start, until) if day not in existing]
    if not days:
        return []
    created = []
    with transaction.atomic():  # a series' new meetings and their agendas come together
        standings = standing_items_for(series.municipality, series.unit)
        for day in days:
            meeting = Meeting.objects.create(
                municipality=series.municipality,
                unit=series.unit,
                series=series,
                series_date=day,
                title=series.title,
                kind=series.kind,
                starts_at=local_datetime(day, series.start_time),
                ends_at=local_datetime(day, series.end_time),
                location=series.location,
            )
            _prefill_agenda(meeting, standings)
            created.append(meeting)
        # R15: items the group did not agree on, waiting for a meeting, join the first one.
        carry_waiting_items(municipality_id=series.municipality_id, unit_id=series.unit_id)
    return created


def _check_times(start_time, end_time):
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The meeting must end after it starts.")})


def series_create(*, actor, municipality, unit, **fields) -> MeetingSeries:
    _require(permissions.can_plan_meetings(actor, unit))
    municipality = _group_municipality(actor, municipality, unit)
    _check_times(fields["start_time"], fields["end_time"])
    if unit is None:
        fields["kind"] = MeetingKind.DIALOGUE
    elif fields.get("kind") == MeetingKind.DIALOGUE:
        raise ValidationError(
            {"kind": _("Party groups hold development or consultation meetings.")}
        )
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            municipality=municipality, unit=unit, created_by=actor, **fields
        )
        series_generate(series)
    return series


@dataclass(frozen=True)
class RollForward:
    until: datetime.date  # meetings now exist up to this day
    series: int  # active series looked at
    extended: int  # series that got new meetings
    created: int  # meetings created


def series_roll_forward(today: datetime.date | None = None) -> RollForward:
    """R10: keep every active series' meetings a year ahead (`series_horizon`); run daily.

    Series generate a year ahead when created; without this they would stop silently in their
    second year. Idempotent: a date that has a meeting (moved and cancelled ones too, matched on
    `series_date`) is skipped, no meeting is created before `today` (missed days are not filled
    in after the fact), and a series whose `ends_on` has passed is left alone. New meetings go
    through `series_generate`, so they get the standing items like any generated meeting. The
    existing dates of all series are loaded in one query.
    """
    today = today or timezone.localdate()
    until = series_horizon(today)
    active = MeetingSeries.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=until
    )
    existing: dict[int, set[datetime.date]] = defaultdict(set)
    for series_id, day in Meeting.objects.filter(
        series__in=active.values("pk"), series_date__gte=today
    ).values_list("series_id", "series_date"):
        existing[series_id].add(day)
    looked_at = extended = created = 0
    for series in active.select_related("municipality", "unit").order_by("pk"):
        looked_at += 1
        try:
            meetings = series_generate(series, until, since=today, existing=existing[series.pk])
        except IntegrityError:
            # A second run at the same moment created these dates first; nothing is lost.
            continue
        if meetings:
            extended += 1
            created += len(meetings)
    return RollForward(until=until, series=looked_at, extended=extended, created=created)


def meeting_create(
    *, actor, municipality, unit, title, kind, day, start_time, end_time, location=""
) -> Meeting:
    """A single meeting outside any series."""
    _require(permissions.can_plan_meetings(actor, unit))
    municipality = _group_municipality(actor, municipality, unit)
    _check_times(start_time, end_time)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            municipality=municipality,
            unit=unit,
            title=title,
            kind=MeetingKind.DIALOGUE if unit is None else kind,
            starts_at=local_datetime(day, start_time),
            ends_at=local_datetime(day, end_time),
            location=location,
        )
        _prefill_agenda(meeting)
        carry_waiting_items(municipality_id=municipality.pk, unit_id=meeting.unit_id)  # R15
    return meeting


def meeting_move(*, actor, meeting: Meeting, day, start_time, end_time, location) -> Meeting:
    """Move one meeting; the series is untouched and will not recreate it."""
    _require(permissions.can_edit_meeting(actor, meeting))
    _check_times(start_time, end_time)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only planned meetings can be moved."))
    meeting.starts_at = local_datetime(day, start_time)
    meeting.ends_at = local_datetime(day, end_time)
    meeting.location = location
    meeting.save(update_fields=["starts_at", "ends_at", "location"])
    return meeting


def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    _require(permissions.can_edit_meeting(actor, meeting))
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only planned meetings can be cancelled."))
    with transaction.atomic():
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancel_reason = reason.strip()
        meeting.save(update_fields=["status", "cancel_reason"])
        _recarry_from_cancelled(meeting)
    return meeting


# --- chair in rotation (R13) --------------------------------------------------------------------


def _is_member_on(person, meeting: Meeting, day: datetime.date) -> bool:
    from trepart.organisation.models import PARTY_GROUP_ROLES, STEERING_GROUP_ROLES, RoleAssignment

    roles = STEERING_GROUP_ROLES if meeting.is_steering else PARTY_GROUP_ROLES
    return (
        RoleAssignment.objects.current(day)
        .filter(
            person=person,
            municipality_id=meeting.municipality_id,
            unit_id=meeting.unit_id,
            role__in=roles,
        )
        .exists()
    )


def chair_set(*, actor, meeting: Meeting, person) -> Meeting:
    """The chair is a member of the group, on the meeting's day or today (R13)."""
    _require(permissions.can_edit_meeting(actor, meeting))
    _require_editable(meeting)  # R30: the chair is part of the published minutes
    if person is not None and (
        person.municipality_id != meeting.municipality_id
        or not (
            _is_member_on(person, meeting, timezone.localdate(meeting.starts_at))
            or _is_member_on(person, meeting, timezone.localdate())
        )
    ):
        raise ValidationError(_("The chair must be a member of the group."))
    meeting.chair = person
    meeting.save(update_fields=["chair"])
    return meeting


# --- agenda -------------------------------------------------------------------------------------


def agenda_item_propose(
    *,
    actor,
    meeting: Meeting,
    title: str,
    description: str = "",
    kind: str | None = None,
    personnel_case: bool = False,
) -> AgendaItem:
    """R13: members propose items in advance. R14: out-of-scope items are refused."""
    _require(permissions.can_edit_meeting(actor, meeting))
    _require_editable(meeting)
    _scope_guard(title, description, personnel_case=personnel_case)
    with transaction.atomic():
        order = meeting.items.aggregate(m=Max("order"))["m"]
        return AgendaItem.objects.create(
            meeting=meeting,
            order=(order if order is not None else -1) + 1,
            title=title.strip(),
            description=description.strip(),
            kind=_item_kind_for(meeting, kind),
            proposed_by=actor,
        )


def agenda_item_move(*, actor, item: AgendaItem, direction: int) -> None:
    """The chair orders the agenda (any member while no chair is set).

    R30: the order is part of the published minutes; after publishing it changes only in a
    correction, so the new order shows up in the next version."""
    meeting = item.meeting
    _require(permissions.can_edit_meeting(actor, meeting))
    _require_editable(meeting)
    if meeting.chair_id and meeting.chair_id != actor.pk:
        raise PermissionDenied
    items = list(meeting.items.order_by("order", "id"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    with transaction.atomic():
        for i, it in enumerate(items):
            if it.order != i:
                AgendaItem.objects.filter(pk=it.pk).update(order=i)


def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    _require(permissions.can_edit_meeting(actor, item.meeting))
    _require_editable(item.meeting)
    if item.summary or item.way_forward or item.decisions or item.actions.exists():
        raise ValidationError(_("The item has minutes or actions and cannot be removed."))
    if item.not_agreed or (item.carried_from_id and item.carried_from.not_agreed):
        # R15: a disagreement is postponed and talked through, not dropped from the agenda.
        # Once the earlier item is reopened or agreed after all, its continuation is an
        # ordinary item again and can go.
        raise ValidationError(
            _(
                "The group did not agree on this item at an earlier meeting, so it stays on the "
                "agenda. Discuss it and close it with what you agree on, or mark it not agreed "
                "again."
            )
        )
    item.delete()


# --- minutes ------------------------------------------------------------------------------------


def attendance_record(*, actor, meeting: Meeting, statuses: dict, guests: list[str]) -> None:
    """statuses: {person: "present" | "absent"} for members; guests by name."""
    _require(permissions.can_edit_meeting(actor, meeting))
    _require_editable(meeting)
    limit = Attendance._meta.get_field("guest_name").max_length
    too_long = [name.strip() for name in guests if len(name.strip()) > limit]
    if too_long:
        raise ValidationError(
            _("A guest's name can be at most %(limit)s characters: one name on each line.")
            % {"limit": limit}
        )
    with transaction.atomic():
        for person, (status, role_label) in statuses.items():
            Attendance.objects.update_or_create(
                meeting=meeting,
                person=person,
                defaults={"status": status, "role_label": role_label},
            )
        for name in guests:
            name = name.strip()
            if name and not meeting.attendance.filter(guest_name__iexact=name).exists():
                Attendance.objects.create(
                    meeting=meeting, guest_name=name, status=Attendance.Status.GUEST
                )


def attendance_remove_guest(*, actor, attendance: Attendance) -> None:
    _require(permissions.can_edit_meeting(actor, attendance.meeting))
    _require_editable(attendance.meeting)
    if attendance.person_id is None:
        attendance.delete()


def item_minutes_save(
    *, actor, item: AgendaItem, revision: int, summary: str, way_forward: str, decisions: str = ""
) -> AgendaItem:
    """Save what was said about one item. Refuses to overwrite someone else's newer save."""
    meeting = item.meeting
    _require(permissions.can_edit_meeting(actor, meeting))
    _require_editable(meeting)
    if meeting.is_steering and decisions.strip():
        # R2: the steering group does not vote or decide; decisions go to the decision line.
        raise ValidationError(
            _(
                "The steering group makes no decisions. Record a referral to the decision line instead."
            )
        )
    with transaction.atomic():
        updated = AgendaItem.objects.filter(pk=item.pk, revision=revision).update(
            summary=summary,
            way_forward=way_forward,
            decisions=decisions,
            revision=F("revision") + 1,
            updated_by=actor,
            updated_at=timezone.now(),
        )
        if not updated:
            raise MinutesConflict(AgendaItem.objects.select_related("updated_by").get(pk=item.pk))
        _mark_held(meeting)
    item.refresh_from_db()
    return item


def check_item_closable(item: AgendaItem) -> None:
    """R15: an item closed as not agreed is not closed again as agreed over it (a stale tab or a
    replayed form would wipe the positions and leave its continuation on the next agenda); the
    group reopens it first."""
    if item.status == AgendaItem.Status.CLOSED and item.not_agreed:
        raise ValidationError(
            _("The item is closed as not agreed. If you agree after all, reopen it first.")
        )


def item_close(*, actor, item: AgendaItem) -> AgendaItem:
    """R13: an item is closed only when the group has agreed how it is taken forward."""
    _require(permissions.can_edit_meeting(actor, item.meeting))
    _require_editable(item.meeting)
    check_item_closable(item)
    if not item.way_forward.strip():
        raise ValidationError(
            _("Write the agreed way forward before closing the item: who does what next?")
        )
    with transaction.atomic():
        item.status = AgendaItem.Status.CLOSED
        if item.not_agreed or item.in_between:
            # Agreed after all: the positions of a disagreement no longer describe the item.
            item.not_agreed = False
            item.in_between = ""
            item.positions.all().delete()
        item.save(update_fields=["status", "not_agreed", "in_between"])
        # R15: agreed, so it no longer continues: an untouched continuation goes away (one the
        # next meeting worked on stays, and can now be removed from that agenda).
        _uncarry(item)
    return item


def item_reopen(*, actor, item: AgendaItem) -> AgendaItem:
    _require(permissions.can_edit_meeting(actor, item.meeting))
    _require_editable(item.meeting)
    with transaction.atomic():
        if item.not_agreed:
            # R15: reopened, so no longer "continued": the continuation goes away again unless
            # the next meeting has already worked on it (then it stays, with its history).
            _uncarry(item)
        item.status = AgendaItem.Status.ACCEPTED
        item.not_agreed = False
        item.save(update_fields=["status", "not_agreed"])
    return item


# --- disagreement over time (R15) ---------------------------------------------------------------

MAX_POSITIONS = 6


def item_not_agreed(
    *,
    actor,
    item: AgendaItem,
    positions: list[tuple[str, str]],
    in_between: str = "",
    continue_at: Meeting | None = None,
) -> AgendaItem:
    """R15: the group did not agree. Instead of a vote (someone loses), the item is closed as
    "not agreed", each side's position is recorded by role, and the item continues at the
    group's next planned meeting with its history (or waits until one is planned).

    `positions` are (whose position, the position) pairs; rows without a position are ignored,
    and at least one position is needed, each saying whose it is. `continue_at` names the
    meeting it continues at (a later meeting of the same group whose minutes are open) instead
    of the next planned one."""
    meeting = item.meeting
    _require(permissions.can_edit_meeting(actor, meeting))
    _require_editable(meeting)
    if meeting.is_steering:
        # R2: the steering group is for information and dialogue; it has nothing to agree on.
        raise ValidationError(_("The steering group does not decide, so nothing is “not agreed”."))
    if item.standing:
        raise ValidationError(
            _(
                "A standing item comes back at every meeting anyway. Write what was said and close it."
            )
        )
    if item.status == AgendaItem.Status.CLOSED and not item.not_agreed:
        raise ValidationError(_("The item is closed as agreed. Reopen it first."))
    # A row without a position is ignored (the form suggests the roles as whose positions).
    rows = [((h or "").strip(), t.strip()) for h, t in positions if (t or "").strip()]
    if not rows:
        raise ValidationError(
            {
                "positions": _(
                    "Write the positions before continuing the item: what does each side think, "
                    "and why?"
                )
            }
        )
    if any(not h for h, _t in rows):
        raise ValidationError({"positions": _("Say whose position it is (e.g. the leader).")})
    if len(rows) > MAX_POSITIONS:
        raise ValidationError({"positions": _("Keep it to the main positions.")})
    _scope_guard(in_between, *[t for _h, t in rows])  # R14
    if continue_at is not None and (
        (continue_at.municipality_id, continue_at.unit_id)
        != (meeting.municipality_id, meeting.unit_id)
        or continue_at.starts_at <= meeting.starts_at
        or not continue_at.minutes_editable
    ):
        raise ValidationError(_("Choose a later meeting of the same group."))
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        locked.positions.all().delete()
        ItemPosition.objects.bulk_create(
            ItemPosition(agenda_item=locked, order=i, holder=h[:120], text=t)
            for i, (h, t) in enumerate(rows)
        )
        locked.not_agreed = True
        locked.in_between = (in_between or "").strip()
        locked.status = AgendaItem.Status.CLOSED
        locked.updated_by = actor
        locked.save(
            update_fields=["not_agreed", "in_between", "status", "updated_by", "updated_at"]
        )
        _mark_held(meeting)
        _carry(locked, target=continue_at)
    item.refresh_from_db()
    return item


def _next_planned_meeting(municipality_id, unit_id, after) -> Meeting | None:
    """The group's next meeting that has not taken place: planned, minutes not published, and
    later than both `after` and now (never a meeting in the past)."""
    moment = max(after, timezone.now())
    return (
        Meeting.objects.filter(
            municipality_id=municipality_id,
            unit_id=unit_id,
            status=Meeting.Status.PLANNED,
            starts_at__gt=moment,
        )
        .exclude(minutes_status=Meeting.MinutesStatus.PUBLISHED)
        .order_by("starts_at", "id")
        .first()
    )


def _carry(item: AgendaItem, target: Meeting | None = None) -> AgendaItem | None:
    """Put a not-agreed item on the next planned meeting's agenda (R15), once. Without a
    planned meeting it waits (`waiting_items`) and joins the next meeting that is created."""
    existing = AgendaItem.objects.filter(carried_from=item).select_related("meeting").first()
    if existing is not None and existing.meeting.status != Meeting.Status.CANCELLED:
        return None
    source_meeting = item.meeting
    if target is None:
        target = _next_planned_meeting(
            source_meeting.municipality_id, source_meeting.unit_id, source_meeting.starts_at
        )
    if target is None:
        return None
    if existing is not None:
        # Worked on, then its meeting was cancelled: it moves with what was written.
        _move_item(existing, target)
        return existing
    order = target.items.aggregate(m=Max("order"))["m"]
    try:
        with transaction.atomic():
            return AgendaItem.objects.create(
                meeting=target,
                order=(order if order is not None else -1) + 1,
                title=item.title,
                description=item.description,
                kind=item.kind,
                carried_from=item,
                carried_root_id=item.carried_root_id or item.pk,
                carried_count=item.carried_count + 1,
            )
    except IntegrityError:  # carried at the same moment by someone else
        return None


def item_carry_to(*, actor, item: AgendaItem, meeting: Meeting) -> AgendaItem | None:
    """Carry a not-agreed item to a chosen meeting of the same group (the demo's history, and
    a group that wants it on a particular meeting)."""
    _require(permissions.can_edit_meeting(actor, meeting))
    _require_editable(meeting)
    if (meeting.municipality_id, meeting.unit_id) != (
        item.meeting.municipality_id,
        item.meeting.unit_id,
    ) or not item.not_agreed:
        raise ValidationError(_("Unknown item."))
    return _carry(item, target=meeting)


def _untouched(item: AgendaItem, *, check_meeting: bool = True) -> bool:
    """Nobody has worked on the item yet (so it can move or go away without losing anything)."""
    return (
        item.status != AgendaItem.Status.CLOSED
        and not (item.summary.strip() or item.way_forward.strip() or item.decisions.strip())
        and not item.actions.exists()
        and not item.positions.exists()
        and not item.referrals.exists()
        and (not check_meeting or item.meeting.minutes_editable)
    )


def _uncarry(item: AgendaItem) -> None:
    continuation = AgendaItem.objects.filter(carried_from=item).select_related("meeting").first()
    if continuation is not None and _untouched(continuation):
        continuation.delete()


def _recarry_from_cancelled(meeting: Meeting) -> None:
    """R15: a continued item does not disappear with a cancelled meeting; it moves to the next
    planned one (or waits for one)."""
    for continuation in meeting.items.filter(carried_from__isnull=False).select_related(
        "carried_from", "meeting"
    ):
        source = continuation.carried_from
        if _untouched(continuation, check_meeting=False):
            continuation.delete()
            if not source.not_agreed:
                continue
        # A continuation someone worked on (summary, actions, positions) is moved with it;
        # with no planned meeting it stays parked here and waits (`waiting_items_qs`).
        _carry(source)


def _move_item(item: AgendaItem, target: Meeting) -> None:
    """Move an item, with its actions, to the end of another meeting's agenda."""
    order = target.items.aggregate(m=Max("order"))["m"]
    item.meeting = target
    item.order = (order if order is not None else -1) + 1
    item.save(update_fields=["meeting", "order"])
    ActionItem.objects.filter(agenda_item=item).update(meeting=target)


def is_parked(continuation: AgendaItem | None) -> bool:
    """R15: a continuation left on a cancelled meeting (worked on, no planned meeting to move
    to) does not count as where the item continues; the item waits."""
    return continuation is not None and continuation.meeting.status == Meeting.Status.CANCELLED


def waiting_items_qs(municipality_id, unit_id):
    """Items not agreed on that have no meeting to continue at yet (R15)."""
    return (
        AgendaItem.objects.filter(
            meeting__municipality_id=municipality_id,
            meeting__unit_id=unit_id,
            not_agreed=True,
            status=AgendaItem.Status.CLOSED,
        )
        .filter(
            # No continuation yet, or one parked on a cancelled meeting (`_recarry_from_cancelled`).
            Q(continuation__isnull=True) | Q(continuation__meeting__status=Meeting.Status.CANCELLED)
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
    )


def carry_waiting_items(*, municipality_id, unit_id) -> int:
    """R15: put the waiting items on the group's next planned meeting (after a meeting is
    created). Returns how many were carried."""
    if unit_id is None:
        return 0
    carried = 0
    for item in waiting_items_qs(municipality_id, unit_id).select_related("meeting"):
        if _carry(item) is not None:
            carried += 1
    return carried


def action_add(*, actor, meeting: Meeting, item, description, assignee, due_on) -> ActionItem:
    _require(permissions.can_edit_meeting(actor, meeting))
    _require_editable(meeting)
    _scope_guard(description)
    if assignee.municipality_id != meeting.municipality_id:
        raise ValidationError({"assignee": _("Choose a person in the municipality.")})
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError(_("Unknown item."))
    return ActionItem.objects.create(
        meeting=meeting,
        agenda_item=item,
        description=description.strip(),
        assignee=assignee,
        due_on=due_on,
        created_by=actor,
    )


def action_set_done(*, actor, action: ActionItem, done: bool) -> ActionItem:
    """The assignee or a group member marks an action done (allowed after publishing)."""
    if action.assignee_id != actor.pk:
        _require(permissions.can_edit_meeting(actor, action.meeting))
    action.done_at = timezone.now() if done else None
    action.save(update_fields=["done_at"])
    return action


def referral_add(*, actor, item: AgendaItem, body, referred_on, note="") -> Referral:
    """R29: refer an item to the decision line (which body, when)."""
    _require(permissions.can_edit_meeting(actor, item.meeting))
    _require_editable(item.meeting)
    return Referral.objects.create(
        agenda_item=item,
        body=body.strip(),
        referred_on=referred_on,
        note=note.strip(),
        created_by=actor,
    )


def referral_outcome(*, actor, referral: Referral, outcome, outcome_on) -> Referral:
    """R29: record the outcome later; allowed after publishing (it is not part of the minutes)."""
    _require(permissions.can_edit_meeting(actor, referral.agenda_item.meeting))
    if outcome_on < referral.referred_on:
        raise ValidationError({"outcome_on": _("The outcome cannot be before the referral.")})
    referral.outcome = outcome.strip()
    referral.outcome_on = outcome_on
    referral.save(update_fields=["outcome", "outcome_on"])
    return referral


# --- publishing (R20, R30) ----------------------------------------------------------------------


def minutes_snapshot(meeting: Meeting) -> dict:
    """The minutes' content as plain data, kept unchanged in each published version."""
    items = list(
        meeting.items.prefetch_related("referrals", "positions")
        .select_related("continuation__meeting", "carried_from__meeting")
        .order_by("order", "id")
    )
    actions = list(meeting.actions.select_related("assignee", "agenda_item"))
    return {
        "title": meeting.title,
        "kind": meeting.get_kind_display(),
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "location": meeting.location,
        "chair": meeting.chair.full_name if meeting.chair else "",
        "attendance": [
            {
                "name": a.person.full_name if a.person else a.guest_name,
                "role": a.role_label,
                "status": a.status,
                "status_label": a.get_status_display(),
            }
            for a in meeting.attendance.select_related("person")
        ],
        "items": [
            {
                "id": it.pk,
                "title": it.title,
                "kind": it.kind,
                "kind_label": it.get_kind_display(),
                "standing": it.standing,
                "summary": it.summary,
                "way_forward": it.way_forward,
                "decisions": it.decisions,
                "referrals": [
                    {"body": r.body, "referred_on": r.referred_on.isoformat(), "note": r.note}
                    for r in it.referrals.all()
                ],
                # R15: a disagreement is shown by its positions and where it continues; never
                # as a vote or a count.
                **_disagreement_snapshot(it),
            }
            for it in items
        ],
        "actions": [
            {
                "description": a.description,
                "assignee": a.assignee.full_name,
                "due_on": a.due_on.isoformat(),
                "item": a.agenda_item.title if a.agenda_item else "",
            }
            for a in actions
        ],
    }


def _meeting_day(meeting: Meeting | None) -> str:
    return timezone.localdate(meeting.starts_at).isoformat() if meeting is not None else ""


def _disagreement_snapshot(it: AgendaItem) -> dict:
    try:
        continuation = it.continuation
    except AgendaItem.DoesNotExist:
        continuation = None
    if is_parked(continuation):
        continuation = None
    return {
        "not_agreed": it.not_agreed,
        "positions": [{"holder": p.holder, "text": p.text} for p in it.positions.all()]
        if it.not_agreed
        else [],
        "in_between": it.in_between if it.not_agreed else "",
        "continued_on": _meeting_day(continuation.meeting) if continuation else "",
        "carried_count": it.carried_count,
        "continued_from": _meeting_day(it.carried_from.meeting) if it.carried_from else "",
    }


def minutes_publish(
    *, actor, meeting: Meeting, change_note: str = "", notify: bool = True
) -> MinutesVersion:
    """Publish the minutes as a new immutable version for everyone at the unit (R20, R30)."""
    _require(permissions.can_edit_meeting(actor, meeting))
    if meeting.minutes_status == Meeting.MinutesStatus.PUBLISHED:
        raise ValidationError(_("These minutes are already published."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    if meeting.starts_at > timezone.now():
        # Issue 10: minutes record a meeting that took place; before it starts, a change is
        # a change to the agenda (sent again with the invitation), not minutes.
        raise ValidationError(
            _(
                "The meeting has not started yet. Minutes are published once it has been held; "
                "until then, change the agenda and send it again."
            )
        )
    open_items = [it.title for it in meeting.items.exclude(status=AgendaItem.Status.CLOSED)]
    if open_items:
        raise ValidationError(
            _("Close every item (with its way forward) before publishing. Still open: %(items)s.")
            % {"items": ", ".join(open_items)}
        )
    if not meeting.attendance.exists():
        raise ValidationError(_("Record who attended before publishing."))
    is_correction = meeting.minutes_status == Meeting.MinutesStatus.CORRECTING
    if is_correction and not change_note.strip():
        raise ValidationError({"change_note": _("Say briefly what was corrected.")})
    with transaction.atomic():
        number = (meeting.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = MinutesVersion.objects.create(
            meeting=meeting,
            number=number,
            content=minutes_snapshot(meeting),
            change_note=change_note.strip(),
            published_by=actor,
        )
        meeting.minutes_status = Meeting.MinutesStatus.PUBLISHED
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["minutes_status", "status"])
        if notify:
            transaction.on_commit(lambda: _notify_published(version))
        # The hooks run either way; `notify` tells them whether to e-mail anyone (the demo's
        # history is published with notify=False).
        version.notify = notify
        for fn in hooks.get_hooks(hooks.MINUTES_PUBLISHED):  # e.g. "tell the members" (R19)
            transaction.on_commit(lambda fn=fn: fn(version))
    return version


def _notify_published(version: MinutesVersion) -> None:
    from trepart.meetings import tasks

    tasks.notify_minutes_published.enqueue(version_id=version.pk)


def minutes_correction_start(*, actor, meeting: Meeting) -> Meeting:
    """Published minutes are immutable; a correction is edited and published as a new version."""
    _require(permissions.can_edit_meeting(actor, meeting))
    if meeting.minutes_status != Meeting.MinutesStatus.PUBLISHED:
        raise ValidationError(_("Only published minutes can be corrected."))
    meeting.minutes_status = Meeting.MinutesStatus.CORRECTING
    meeting.save(update_fields=["minutes_status"])
    return meeting


def agenda_send(*, actor, meeting: Meeting) -> Meeting:
    """Send the agenda with the calendar invitation to the group's members (R13: items are
    announced in advance). Sending again after changes sends the updated agenda."""
    _require(permissions.can_edit_meeting(actor, meeting))
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only planned meetings can be announced."))
    meeting.agenda_sent_at = timezone.now()
    meeting.save(update_fields=["agenda_sent_at"])
    transaction.on_commit(lambda: _enqueue_agenda(meeting.pk))
    return meeting


def _enqueue_agenda(meeting_id: int) -> None:
    from trepart.meetings import tasks

    tasks.send_agenda.enqueue(meeting_id=meeting_id)


def _mark_held(meeting: Meeting) -> None:
    """Writing minutes marks a meeting held once it has started; notes written ahead of an
    upcoming meeting leave it planned (it can still be moved or cancelled). Conditional, so
    two writers never both change it; saved through the model when it changed (issue 14: the
    save signal tells the steering overview's cache that a meeting was held)."""
    changed = Meeting.objects.filter(
        pk=meeting.pk, status=Meeting.Status.PLANNED, starts_at__lte=timezone.now()
    ).update(status=Meeting.Status.HELD)
    if changed:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
