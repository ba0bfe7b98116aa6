"""Reads for meetings. Each selector owns its joins: a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import OrderedDict

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, Value
from django.utils import timezone

from trepart.accounts.models import User
from trepart.core import hooks
from trepart.meetings import permissions
from trepart.meetings.models import ActionItem, AgendaItem, Meeting, Referral
from trepart.organisation.models import (
    PARTY_GROUP_ROLES,
    STEERING_GROUP_ROLES,
    Role,
    RoleAssignment,
)

ROLE_KIND = {
    Role.UNIT_LEADER: "leader",
    Role.DEPARTMENT_LEADER: "leader",
    Role.LOCAL_UNION_REP: "union",
    Role.SAFETY_REP: "safety",
    Role.POLITICIAN: "politician",
    Role.ADMINISTRATION: "administration",
    Role.CHIEF_UNION_REP: "union",
    Role.CHIEF_SAFETY_REP: "safety",
}


def group_members(municipality, unit, on: datetime.date | None = None) -> list[dict]:
    """Current members of a group, one entry per person with their role labels and kind."""
    roles = STEERING_GROUP_ROLES if unit is None else PARTY_GROUP_ROLES
    qs = (
        RoleAssignment.objects.current(on)
        .filter(municipality=municipality, role__in=roles, unit=unit)
        .select_related("person")
        .order_by("person__full_name")
    )
    members: OrderedDict[int, dict] = OrderedDict()
    for a in qs:
        entry = members.setdefault(
            a.person_id, {"person": a.person, "roles": [], "kind": ROLE_KIND[a.role]}
        )
        entry["roles"].append(a.get_role_display())
    for entry in members.values():
        entry["label"] = ", ".join(entry["roles"])
    return list(members.values())


def minutes_readers(meeting: Meeting) -> list[User]:
    """Everyone who may read published minutes (R20): the unit's people, or for the steering
    group its members and all party-group members of the municipality."""
    current = RoleAssignment.objects.current().filter(municipality=meeting.municipality_id)
    if meeting.unit_id:
        current = current.filter(unit_id=meeting.unit_id)
    else:
        current = current.filter(Q(role__in=STEERING_GROUP_ROLES) | Q(role__in=PARTY_GROUP_ROLES))
    return list(
        User.objects.filter(is_active=True, pk__in=current.values("person_id")).order_by(
            "full_name"
        )
    )


def chair_suggestion(meeting: Meeting):
    """R13: suggest the member who has chaired least recently, rotating across roles."""
    members = group_members(meeting.municipality, meeting.unit, on=timezone.localdate())
    if not members:
        return None
    past = list(
        Meeting.objects.filter(
            municipality=meeting.municipality_id,
            unit=meeting.unit_id,
            chair__isnull=False,
            starts_at__lt=meeting.starts_at,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .values_list("chair_id", "starts_at")[:50]
    )
    last_chaired = {}
    for chair_id, starts_at in past:
        last_chaired.setdefault(chair_id, starts_at)
    kinds = {m["person"].pk: m["kind"] for m in members}
    last_kind = kinds.get(past[0][0]) if past else None
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)

    def key(m):
        pk = m["person"].pk
        return (last_chaired.get(pk, oldest), m["kind"] == last_kind, m["person"].full_name)

    return min(members, key=key)["person"]


def steering_themes_not_yet_standing(municipality) -> list[tuple[str, str, str]]:
    """R3: the topic catalogue's themes the steering group does not have as standing items."""
    from django.utils import translation

    from trepart.meetings.models import StandingItem
    from trepart.meetings.services import steering_topic_catalogue

    have = set(
        StandingItem.objects.filter(municipality=municipality, unit=None, active=True).values_list(
            "title", flat=True
        )
    )
    with translation.override(municipality.default_language or "nb"):
        catalogue = [(v, str(t), str(d)) for v, t, d in steering_topic_catalogue()]
    return [row for row in catalogue if row[1] not in have]


def standing_items(municipality, unit) -> list:
    """The group's active standing items (R11), read only.

    A group that never had any (a steering group, or a unit made before units got them on
    creation) is shown the defaults unsaved (pk None); the first write that needs them
    (a new meeting, an added item) stores them. Pages never write on GET."""
    from django.utils import translation

    from trepart.meetings.models import StandingItem
    from trepart.meetings.services import default_standing_titles

    rows = list(StandingItem.objects.filter(municipality=municipality, unit=unit))
    if rows:
        return [s for s in rows if s.active]
    with translation.override(municipality.default_language or "nb"):
        return [
            StandingItem(
                municipality=municipality,
                unit=unit,
                key=key,
                title=str(title),
                description=str(description),
                order=i,
            )
            for i, (key, title, description) in enumerate(
                default_standing_titles(steering=unit is None)
            )
        ]


def group_meetings(user, municipality, unit, *, visible_qs, schedule_qs=None):
    """Upcoming and earlier meetings of a group, as far as the user may see them. Coming
    meetings come from `schedule_qs` when given (the staff see when their group meets); those
    this person cannot open are marked `no_link`."""
    now = timezone.now()
    qs = (
        visible_qs.filter(municipality=municipality, unit=unit)
        .select_related("chair", "series")
        .order_by("starts_at")
    )
    # Issue 10: a meeting with published minutes is listed with the earlier meetings (the
    # minutes), not as upcoming, even on its own day.
    published = Q(minutes_status=Meeting.MinutesStatus.PUBLISHED)
    coming = qs
    if schedule_qs is not None:
        coming = schedule_qs.filter(municipality=municipality, unit=unit).order_by("starts_at")
    upcoming = list(
        _with_link_marks(coming, user)
        .filter(ends_at__gte=now)
        .exclude(published)
        .select_related("unit")[:12]
    )
    _mark_links(upcoming)
    earlier = list(qs.filter(Q(ends_at__lt=now) | published).order_by("-starts_at")[:24])
    return {"upcoming": upcoming, "earlier": earlier}


def _with_link_marks(qs, user):
    """Annotate which meetings this person may open; the others get `no_link` (no extra query:
    the condition in the same SELECT, so the page's query count stays fixed; issue 14: the
    condition itself, not a subquery over every meeting the person may open)."""
    visible = permissions.meeting_visibility(user)
    if visible is None:
        return qs.annotate(openable=Value(True, output_field=BooleanField()))
    return qs.annotate(openable=ExpressionWrapper(visible, output_field=BooleanField()))


def _mark_links(meetings) -> None:
    for m in meetings:
        m.no_link = not m.openable


def agenda_item_sources(user, items) -> None:
    """Where each item came from or led to (a staff input, P3; a measure, P4), as the higher
    apps tell it through AGENDA_ITEM_SOURCES: `it.sources` are labels with a URL only when
    this reader may open the target (never a link that 404s); `it.source_actions` are
    buttons (e.g. "make it a measure")."""
    found: dict[int, list[dict]] = {}
    if user is not None and items:
        for fn in hooks.get_hooks(hooks.AGENDA_ITEM_SOURCES):
            for pk, sources in (fn(user, items) or {}).items():
                found.setdefault(pk, []).extend(sources)
    for it in items:
        sources = found.get(it.pk, [])
        it.sources = [s for s in sources if not s.get("post_url")]
        it.source_actions = [s for s in sources if s.get("post_url")]


def item_histories(items) -> None:
    """R15: each carried item's earlier discussions, oldest first (`it.history`): the meeting,
    what was said and the positions. One query for all items, whatever the length of the
    chains (every carried item knows the first item of its chain)."""
    roots = {it.carried_root_id for it in items if it.carried_root_id}
    earlier = []
    if roots:
        earlier = list(
            AgendaItem.objects.filter(Q(pk__in=roots) | Q(carried_root_id__in=roots))
            .select_related("meeting")
            .prefetch_related("positions")
            .order_by("carried_count", "id")
        )
    for it in items:
        root = it.carried_root_id
        it.history = [
            h
            for h in earlier
            if root
            and (h.pk == root or h.carried_root_id == root)
            and h.carried_count < it.carried_count
        ]


def continuation_of(item):
    """The item that continues a not-agreed item at a later meeting, or None (R15)."""
    try:
        continuation = item.continuation
    except AgendaItem.DoesNotExist:
        return None
    # Parked on a cancelled meeting, it waits for the next meeting instead (R15).
    return None if continuation.meeting.status == Meeting.Status.CANCELLED else continuation


def waiting_items(municipality, unit) -> list[AgendaItem]:
    """R15: items the group did not agree on that wait for the next meeting to be planned."""
    from trepart.meetings.services import waiting_items_qs

    if unit is None:
        return []
    return list(
        waiting_items_qs(municipality.pk, unit.pk)
        .select_related("meeting")
        .prefetch_related("positions")
        .order_by("meeting__starts_at", "id")
    )


def meeting_detail(meeting: Meeting, user=None) -> dict:
    items = list(
        meeting.items.select_related(
            "proposed_by", "updated_by", "continuation__meeting", "carried_from__meeting"
        )
        .prefetch_related(
            Prefetch("actions", queryset=ActionItem.objects.select_related("assignee")),
            Prefetch("referrals", queryset=Referral.objects.order_by("referred_on")),
            "positions",
        )
        .order_by("order", "id")
    )
    for it in items:
        it.continued_as = continuation_of(it)
    item_histories(items)
    agenda_item_sources(user, items)
    # Standing items may carry a panel from a higher app (the running trials under the item
    # "status of running trials", P4), found by the item's stable key.
    panels: dict[int, dict] = {}
    for fn in hooks.get_hooks(hooks.MEETING_STANDING_ITEM_PANELS):
        panels.update(fn(user, meeting, [it for it in items if it.standing]) or {})
    for it in items:
        it.panel = panels.get(it.pk)
    return {
        "items": items,
        "attendance": list(meeting.attendance.select_related("person")),
        "actions": list(meeting.actions.select_related("assignee", "agenda_item")),
        "versions": list(meeting.versions.select_related("published_by")),
        "open_items": [it for it in items if it.status != AgendaItem.Status.CLOSED],
    }


def open_actions(user, limit: int | None = None) -> list[ActionItem]:
    """The person's open actions, soonest due first (issue 14: the home page asks for 10 only)."""
    qs = (
        ActionItem.objects.filter(assignee=user, done_at__isnull=True)
        .select_related("meeting", "meeting__unit")
        .order_by("due_on")
    )
    return list(qs[:limit] if limit else qs)


def my_actions(user) -> dict:
    qs = ActionItem.objects.filter(assignee=user).select_related("meeting", "meeting__unit")
    return {
        "open": open_actions(user),
        "done": list(qs.filter(done_at__isnull=False).order_by("-done_at")[:20]),
    }


def next_meetings_for(user, visible_qs, limit=3, schedule_qs=None):
    """The next planned meetings: from `schedule_qs` when given (the meetings of the person's
    units too, issue 10), marked `no_link` where the person cannot open them."""
    meetings = list(
        _with_link_marks(schedule_qs if schedule_qs is not None else visible_qs, user)
        .filter(starts_at__gte=timezone.now(), status=Meeting.Status.PLANNED)
        .exclude(minutes_status=Meeting.MinutesStatus.PUBLISHED)
        .select_related("unit")
        .order_by("starts_at")[:limit]
    )
    _mark_links(meetings)
    return meetings


def latest_minutes_for(visible_qs, limit=3):
    """The latest published minutes this person may read (R20), newest first."""
    return list(
        visible_qs.filter(minutes_status=Meeting.MinutesStatus.PUBLISHED)
        .select_related("unit")
        .order_by("-starts_at")[:limit]
    )


def version_changes(older, newer) -> list[dict]:
    """What changed between two published versions: field by field, item by item (R30)."""
    from django.utils.translation import gettext as _

    a, b = older.content, newer.content
    changes = []
    labels = {
        "summary": _("What was said"),
        "way_forward": _("Agreed way forward"),
        "decisions": _("Decisions"),
        "title": _("Title"),
        "in_between": _("Until the next meeting"),
    }
    old_items = {it["id"]: it for it in a.get("items", [])}
    for item in b.get("items", []):
        before = old_items.pop(item["id"], None)
        if before is None:
            changes.append(
                {
                    "where": item["title"],
                    "field": _("New item"),
                    "before": "",
                    "after": item["title"],
                }
            )
            continue
        positions_label = _("Positions")

        def positions(it):
            return "\n".join(f"{p['holder']}: {p['text']}" for p in it.get("positions", []))

        if positions(before) != positions(item):
            changes.append(
                {
                    "where": item["title"],
                    "field": positions_label,
                    "before": positions(before),
                    "after": positions(item),
                }
            )
        for field, label in labels.items():
            if before.get(field, "") != item.get(field, ""):
                changes.append(
                    {
                        "where": item["title"],
                        "field": label,
                        "before": before.get(field, ""),
                        "after": item.get(field, ""),
                    }
                )
    for item in old_items.values():
        changes.append(
            {
                "where": item["title"],
                "field": _("Removed item"),
                "before": item["title"],
                "after": "",
            }
        )
    # R30: the order of the agenda is part of the minutes; a correction that reorders shows it.
    kept = {it["id"] for it in a.get("items", [])} & {it["id"] for it in b.get("items", [])}
    order_before = [it for it in a.get("items", []) if it["id"] in kept]
    order_after = [it for it in b.get("items", []) if it["id"] in kept]
    if [it["id"] for it in order_before] != [it["id"] for it in order_after]:
        changes.append(
            {
                "where": _("Agenda"),
                "field": _("Order changed"),
                "before": "\n".join(
                    f"{i}. {it['title']}" for i, it in enumerate(order_before, start=1)
                ),
                "after": "\n".join(
                    f"{i}. {it['title']}" for i, it in enumerate(order_after, start=1)
                ),
            }
        )
    if a.get("chair", "") != b.get("chair", ""):
        changes.append(
            {
                "where": _("Chair"),
                "field": _("Chair"),
                "before": a.get("chair", ""),
                "after": b.get("chair", ""),
            }
        )

    def names(content, key):
        return [
            f"{x.get('name', x.get('description', ''))} ({x.get('status_label', x.get('assignee', ''))})"
            for x in content.get(key, [])
        ]

    for key, label in (("attendance", _("Attendance")), ("actions", _("Actions"))):
        if names(a, key) != names(b, key):
            changes.append(
                {
                    "where": label,
                    "field": label,
                    "before": "; ".join(names(a, key)),
                    "after": "; ".join(names(b, key)),
                }
            )
    return changes
