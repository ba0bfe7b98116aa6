"""Who may see and do what with meetings and minutes (P2 item 10, P8).

- Members of a group (current party-group roles at the unit, or steering-group roles) plan
  meetings and write the minutes of their group.
- Everybody with a current role at the unit reads the unit's *published* minutes (R20).
- Steering-group minutes: members read them; when published, all party-group members of the
  municipality read them too (R31).
- Municipal administrators see every meeting of their municipality.
- Nobody outside the municipality sees anything (404).
"""

from django.db.models import Exists, OuterRef, Q

from trepart.meetings.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    MinutesVersion,
    Referral,
    StandingItem,
)
from trepart.organisation.permissions import (
    is_admin,
    is_steering_member,
    party_group_unit_ids,
    unit_ids_with_any_role,
)


def is_group_member(user, unit) -> bool:
    """Member of the group: the unit's party group, or the steering group when unit is None."""
    if not user.is_authenticated or not user.municipality_id:
        return False
    if unit is None:
        return is_steering_member(user)
    return unit.municipality_id == user.municipality_id and unit.pk in party_group_unit_ids(user)


def can_plan_meetings(user, unit) -> bool:
    """Create series and meetings, set the agenda, choose the chair."""
    return is_group_member(user, unit)


def can_edit_meeting(user, meeting: Meeting) -> bool:
    if meeting.municipality_id != user.municipality_id:
        return False
    return is_group_member(user, meeting.unit)


def can_propose_item(user, meeting: Meeting) -> bool:
    """R13: members propose items in advance."""
    return can_edit_meeting(user, meeting) and meeting.status == Meeting.Status.PLANNED


def meeting_visibility(user) -> Q | None:
    """The condition on a meeting of the person's municipality that they may open it, or None
    when they may open every one (the municipal administrator). `meetings_visible_to` filters
    by it; pages that list meetings some of which cannot be opened mark them with it in the
    same query (issue 14: a condition, not a subquery of the whole visible set)."""
    if is_admin(user):
        return None
    member_units = party_group_unit_ids(user)
    any_units = unit_ids_with_any_role(user)
    # Issue 14: EXISTS instead of a join on the versions, so the rows need no DISTINCT (which
    # made every meeting list sort and compare whole rows).
    has_version = Exists(MinutesVersion.objects.filter(meeting=OuterRef("pk")))
    published = Q(minutes_status=Meeting.MinutesStatus.PUBLISHED) | (
        Q(minutes_status=Meeting.MinutesStatus.CORRECTING) & has_version
    )
    visible = Q(unit_id__in=member_units) | (Q(unit_id__in=any_units) & published)
    if is_steering_member(user):
        visible |= Q(unit__isnull=True)
    elif member_units:
        visible |= Q(unit__isnull=True) & published
    return visible


def meetings_visible_to(user):
    """Meetings this person may open at all (published-only ones are filtered by can_view)."""
    if not user.is_authenticated or not user.municipality_id:
        return Meeting.objects.none()
    qs = Meeting.objects.filter(municipality_id=user.municipality_id)
    visible = meeting_visibility(user)
    return qs if visible is None else qs.filter(visible)


def meeting_schedule_visible_to(user):
    """Meetings whose date, time, place and title this person may know: every meeting they may
    open, and the meetings of the units where they work (R20: the staff know when their party
    group meets, so they can bring input before it). Drafts stay closed: only the published
    minutes can be opened by those outside the group."""
    if not user.is_authenticated or not user.municipality_id:
        return Meeting.objects.none()
    qs = Meeting.objects.filter(municipality_id=user.municipality_id)
    visible = meeting_visibility(user)
    if visible is None:
        return qs
    return qs.filter(visible | Q(unit_id__in=unit_ids_with_any_role(user)))


def can_view_meeting(user, meeting: Meeting) -> bool:
    return meetings_visible_to(user).filter(pk=meeting.pk).exists()


def sees_only_published(user, meeting: Meeting) -> bool:
    """Readers who are not in the group see the published version only, never drafts."""
    return not (can_edit_meeting(user, meeting) or is_admin(user))


# --- tenant-scoped querysets for the objects inside meetings (ARCHITECTURE rule 3) ---------------


def agenda_items_visible_to(user):
    """Agenda items of the meetings this person may open."""
    if not user.is_authenticated or not user.municipality_id:
        return AgendaItem.objects.none()
    return AgendaItem.objects.filter(meeting__municipality_id=user.municipality_id)


def actions_visible_to(user):
    if not user.is_authenticated or not user.municipality_id:
        return ActionItem.objects.none()
    return ActionItem.objects.filter(meeting__municipality_id=user.municipality_id)


def referrals_visible_to(user):
    if not user.is_authenticated or not user.municipality_id:
        return Referral.objects.none()
    return Referral.objects.filter(agenda_item__meeting__municipality_id=user.municipality_id)


def standing_items_visible_to(user):
    if not user.is_authenticated or not user.municipality_id:
        return StandingItem.objects.none()
    return StandingItem.objects.filter(municipality_id=user.municipality_id)
