"""Writes of the handover part (R5, R6). Every write runs in a transaction.

`handovers_sync()` is idempotent: it compares the seats computed from the role assignments
(`selectors.seats`) with the `Handover` rows and records what changed, so it can run after
every role change (hooks.ROLES_CHANGED, through a background job) and once a day (an end date
in the future opens the vacancy on that day). `notifications_send()` then tells each person
once: the chief reps about vacancies and newcomers, the newcomer with a welcome.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trepart.continuity import selectors
from trepart.continuity.models import FollowUpNote, GroupPractice, Handover, Welcome
from trepart.continuity.permissions import can_edit_practice
from trepart.notifications.services import notify, render_for
from trepart.organisation.models import PARTY_GROUP_ROLES, Municipality, Role, RoleAssignment

# A newcomer who started longer ago than this when the product first sees them is not
# announced any more (e.g. the first run on existing data): the overview still shows them.
ANNOUNCE_WITHIN_DAYS = 14
# Seats whose changes the chief reps are told about (R6).
NOTIFIED_ROLES = (Role.LOCAL_UNION_REP, Role.SAFETY_REP)
# Kinds of notification (P8): registered in extensions.py, chosen per person.
REP_CHANGES = "continuity.rep_changes"
WELCOME = "continuity.welcome"


@dataclass
class SyncResult:
    opened: int = 0
    filled: int = 0
    welcomes: int = 0


def _create(**fields) -> bool:
    """Create a row unless a concurrent run made it first (the unique constraints)."""
    try:
        with transaction.atomic():
            Handover.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def handovers_sync(municipality: Municipality, on: datetime.date | None = None) -> SyncResult:
    """Record vacancies that opened and seats that were filled (R5). Idempotent."""
    on = on or selectors.today()
    result = SyncResult()
    all_seats = [s for ss in selectors.seats(municipality.pk, on=on).values() for s in ss]
    announce_cut = on - datetime.timedelta(days=ANNOUNCE_WITHIN_DAYS)
    recent = [a for s in all_seats for a in s.holders if a.starts_on > announce_cut]
    known = set(Handover.objects.filter(newcomer__in=recent).values_list("newcomer_id", flat=True))
    live_keys = set()
    for seat in all_seats:
        live_keys.add(seat.key)
        if seat.vacant and seat.handover is None:
            result.opened += _create(
                municipality=municipality,
                unit=seat.unit,
                role=seat.role,
                union=seat.union,
                vacant_since=seat.vacant_since,
                noticed_on=on,
            )
        elif seat.holders and seat.handover is not None:
            newcomer = max(seat.holders, key=lambda a: (a.starts_on, a.pk))
            h = seat.handover
            with transaction.atomic():
                updated = Handover.objects.filter(pk=h.pk, filled_on__isnull=True).update(
                    filled_on=max(newcomer.starts_on, h.vacant_since or newcomer.starts_on),
                    newcomer=newcomer if newcomer.pk not in known else None,
                )
            known.add(newcomer.pk)
            result.filled += updated
        for a in seat.holders:
            # A seat taken over without a gap, or a second rep: the chief is told who is new.
            if a.starts_on > announce_cut and a.pk not in known and seat.required:
                known.add(a.pk)
                result.filled += _create(
                    municipality=municipality,
                    unit=seat.unit,
                    role=seat.role,
                    union=seat.union,
                    vacant_since=seat.last_ended + datetime.timedelta(days=1)
                    if seat.last_ended
                    else None,
                    noticed_on=on,
                    filled_on=a.starts_on,
                    newcomer=a,
                )
    # A seat that no longer exists (the union has no members there any more): nothing to fill.
    stale = [
        h.pk
        for h in Handover.objects.filter(municipality=municipality, filled_on__isnull=True)
        if (h.unit_id, h.role, h.union_id) not in live_keys
    ]
    if stale:
        Handover.objects.filter(pk__in=stale).delete()
    if result.opened or result.filled or stale:
        # Issue 14: a handover's dates flag long vacancies on the steering overview, whose
        # panel is kept with the overview cached by the freshness token (contrib_handover).
        from trepart.reporting import overview_cache

        overview_cache.bump_after_commit(municipality.pk)
    result.welcomes = _welcomes_record(municipality, on)
    return result


def _welcomes_record(municipality, on: datetime.date) -> int:
    """A newcomer in a party group gets one welcome (not someone who was already a member of
    the group in another role)."""
    cut = on - datetime.timedelta(days=ANNOUNCE_WITHIN_DAYS)
    started = list(
        RoleAssignment.objects.current(on).filter(
            municipality=municipality,
            role__in=list(PARTY_GROUP_ROLES),
            unit__isnull=False,
            starts_on__gt=cut,
        )
    )
    if not started:
        return 0
    done = set(
        Welcome.objects.filter(assignment__in=started).values_list("assignment_id", flat=True)
    )
    earlier = set(
        RoleAssignment.objects.filter(
            municipality=municipality,
            role__in=list(PARTY_GROUP_ROLES),
            person_id__in=[a.person_id for a in started],
            unit_id__in=[a.unit_id for a in started],
            starts_on__lt=cut,
        ).values_list("person_id", "unit_id", "starts_on", "ends_on")
    )
    created = 0
    for a in started:
        if a.pk in done:
            continue
        before = a.starts_on - datetime.timedelta(days=1)
        was_member = any(
            p == a.person_id and u == a.unit_id and s <= before and (e is None or e >= before)
            for p, u, s, e in earlier
        ) or any(
            b.person_id == a.person_id
            and b.unit_id == a.unit_id
            and b.pk != a.pk
            and b.starts_on < a.starts_on
            for b in started
        )
        with transaction.atomic():
            _, made = Welcome.objects.get_or_create(
                assignment=a, defaults={"sent_at": timezone.now() if was_member else None}
            )
        created += made and not was_member
    return created


# --- notifications ------------------------------------------------------------------------------


def _chiefs(municipality, on) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.current(on)
        .filter(
            municipality=municipality,
            role__in=[Role.CHIEF_UNION_REP, Role.CHIEF_SAFETY_REP],
            person__is_active=True,
        )
        .select_related("person")
    )


def _recipients(chiefs, handover) -> list:
    if handover.role == Role.SAFETY_REP:
        wanted = [c for c in chiefs if c.role == Role.CHIEF_SAFETY_REP]
    else:
        wanted = [
            c for c in chiefs if c.role == Role.CHIEF_UNION_REP and c.union_id == handover.union_id
        ]
    return list({c.person_id: c.person for c in wanted}.values())


def _claim(pks, field) -> list[int]:
    """Mark rows as told, one by one, so two runs at once never tell anybody twice."""
    now = timezone.now()
    claimed = []
    for pk in pks:
        if Handover.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: now}):
            claimed.append(pk)
    return claimed


def notifications_send(municipality, on: datetime.date | None = None) -> int:
    """Tell the chief reps about vacancies that opened and newcomers (one e-mail each, listing
    everything new for them), and welcome each newcomer (R5, R6). Each is told once."""
    on = on or selectors.today()
    base = Handover.objects.filter(municipality=municipality, role__in=NOTIFIED_ROLES)
    opened = list(
        base.filter(filled_on__isnull=True, open_notified_at__isnull=True).select_related(
            "unit", "union"
        )
    )
    filled = list(
        base.filter(filled_on__isnull=False, filled_notified_at__isnull=True).select_related(
            "unit", "union", "newcomer__person"
        )
    )
    # Seats of other roles (the unit leader) are shown on the pages but told to nobody.
    Handover.objects.filter(municipality=municipality).exclude(role__in=NOTIFIED_ROLES).filter(
        open_notified_at__isnull=True
    ).update(open_notified_at=timezone.now())
    sent = 0
    if opened or filled:
        opened_ok = set(_claim([h.pk for h in opened], "open_notified_at"))
        filled_ok = set(_claim([h.pk for h in filled], "filled_notified_at"))
        chiefs = _chiefs(municipality, on)
        per_person: dict[int, dict] = {}
        for kind, rows, ok in (("opened", opened, opened_ok), ("filled", filled, filled_ok)):
            for h in rows:
                if h.pk not in ok or (kind == "filled" and h.newcomer_id is None):
                    continue
                for person in _recipients(chiefs, h):
                    entry = per_person.setdefault(
                        person.pk, {"person": person, "opened": [], "filled": []}
                    )
                    entry[kind].append(h)
        url = settings.SITE_URL + reverse("continuity:local_reps")
        for entry in per_person.values():
            person = entry["person"]
            if not person.email:
                continue
            context = {**entry, "url": url, "municipality": municipality}
            subject, body = render_for(person, "continuity/email/chief", context)
            sent += notify(person, REP_CHANGES, subject, body, url).is_sent
    sent += _welcomes_send(municipality)
    return sent


def _welcomes_send(municipality) -> int:
    pending = list(
        Welcome.objects.filter(
            assignment__municipality=municipality, sent_at__isnull=True
        ).select_related("assignment__person", "assignment__unit")
    )
    sent = 0
    for w in pending:
        a = w.assignment
        if a.person.email and a.person.is_active:
            url = settings.SITE_URL + reverse("continuity:onboarding", args=[a.unit_id])
            context = {"person": a.person, "assignment": a, "unit": a.unit, "url": url}
            subject, body = render_for(a.person, "continuity/email/welcome", context)
            # Issue 15: sent before it is marked, with a key: a worker killed in between sends
            # nothing twice when the job runs again (and two runs at once send one).
            sent += notify(a.person, WELCOME, subject, body, url, key=f"{WELCOME}:{w.pk}").is_sent
        Welcome.objects.filter(pk=w.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent


# --- the group's way of working and the chief's notes -------------------------------------------


def practice_version(practice: GroupPractice | None) -> str:
    """What the writer saw: the time of the text's last change (empty: no text yet)."""
    return practice.updated_at.isoformat() if practice else ""


def group_practice_save(*, actor, unit, text: str, seen: str | None = None) -> GroupPractice:
    """The group's members write down how they work (R13). `seen` is the version the writer
    saw (`practice_version`): a change someone else made since is refused, not overwritten
    (core.concurrency.StaleChange). None (the demo, other services): no comparison."""
    from trepart.core.concurrency import StaleChange

    if not can_edit_practice(actor, unit):
        raise PermissionDenied
    try:
        with transaction.atomic():
            practice = (
                GroupPractice.objects.select_for_update(of=("self",))
                .select_related("updated_by")
                .filter(unit=unit)
                .first()
            )
            if seen is not None and practice_version(practice) != seen:
                raise StaleChange(changed_by=practice.updated_by if practice else None, actor=actor)
            if practice is None:
                practice = GroupPractice(unit=unit)
            practice.text = text
            practice.updated_by = actor
            practice.save()
    except IntegrityError as exc:  # two first versions at once: the other one won
        raise StaleChange() from exc
    return practice


def follow_up_note_create(*, actor, assignment: RoleAssignment, held_on, text: str):
    """A chief rep's private note about a conversation with a local rep (R6)."""
    from trepart.continuity.permissions import own_scopes

    allowed = any(
        s.role == assignment.role and (s.union_id is None or s.union_id == assignment.union_id)
        for s in own_scopes(actor)
    )
    if not allowed or assignment.municipality_id != actor.municipality_id:
        raise PermissionDenied
    with transaction.atomic():
        return FollowUpNote.objects.create(
            municipality_id=actor.municipality_id,
            author=actor,
            person=assignment.person,
            unit=assignment.unit,
            held_on=held_on,
            text=text,
        )
