"""What meetings add to pages of lower apps and to the home page (trepart.core.hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from trepart.meetings import permissions, selectors


def main_navigation(user) -> list[dict]:
    return [
        {
            "order": 10,
            "label": _("Meetings"),
            "url": reverse("meetings:index"),
            "prefixes": ("/meetings/",),
        }
    ]


def home_panels(user, home) -> list[dict]:
    visible = permissions.meetings_visible_to(user)
    schedule = permissions.meeting_schedule_visible_to(user)
    return [
        {
            "order": 30,
            "template": "meetings/partials/_home_next_meetings.html",
            # Issue 10: an employee sees the next meetings of their unit too, and the latest
            # minutes they may read (R20).
            "next_meetings": selectors.next_meetings_for(
                user, visible, limit=3, schedule_qs=schedule
            ),
            "latest_minutes": selectors.latest_minutes_for(visible, limit=3),
        },
        {
            "order": 40,
            "template": "meetings/partials/_home_actions.html",
            "open_actions": selectors.open_actions(user, limit=10),
        },
    ]


def unit_page_links(user, unit) -> list[dict]:
    return [
        {
            "order": 10,
            "label": _("Meetings and minutes"),
            "url": reverse("meetings:unit_group", args=[unit.pk]),
        }
    ]
