"""What the members part contributes to other apps' pages and jobs (trepart.core.hooks)."""

from __future__ import annotations

from trepart.organisation.permissions import is_admin, party_group_unit_ids


def register() -> None:
    """Register this part's hook functions."""
    from trepart.core import hooks
    from trepart.reflection import services_members

    # R19: after minutes are published, each rep gets a summary for their members.
    hooks.register(hooks.MINUTES_PUBLISHED, services_members.briefs_on_minutes_published)
    hooks.register(hooks.MEETING_PAGE_PANELS, meeting_page_panel)


def meeting_page_panel(user, meeting) -> list[dict]:
    """MEETING_PAGE_PANELS: "Told the members" – each rep with shared / not yet, and the
    reader's own summary linked. Only for a party group's published minutes, for the group
    (and administrators). One query, whatever the number of reps."""
    from trepart.meetings.models import Meeting
    from trepart.reflection.selectors_members import meeting_briefs

    if meeting.unit_id is None or meeting.minutes_status == Meeting.MinutesStatus.DRAFT:
        return []
    if meeting.municipality_id != user.municipality_id:
        return []
    if meeting.unit_id not in party_group_unit_ids(user) and not is_admin(user):
        return []
    briefs = meeting_briefs(meeting)
    if not briefs:
        return []
    return [
        {
            "order": 50,
            "template": "reflection/members/_meeting_panel.html",
            "briefs": briefs,
            "own": next((b for b in briefs if b.person_id == user.pk), None),
        }
    ]
