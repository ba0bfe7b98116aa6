"""What the archive app adds to lower apps' pages and jobs (trepart.core.hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from trepart.archive import permissions


def manage_card(user) -> list[dict]:
    """MANAGE_CARDS: the administrator's way to the archive package."""
    if not permissions.can_export_package(user):
        return []
    return [
        {
            "order": 60,
            "label": _("Archive export"),
            "url": reverse("archive:index"),
            "text": _(
                "Minutes, reports and decided measures of a period as PDF/A, "
                "with Noark 5 metadata for the municipality's archive."
            ),
        }
    ]


def meeting_page_panel(user, meeting) -> list[dict]:
    """MEETING_PAGE_PANELS: each published version of the minutes as PDF/A (R30). The page is
    only shown to those who may read the meeting; drafts have no version. One query."""
    from trepart.meetings.models import MinutesVersion

    if not user.is_authenticated or meeting.municipality_id != user.municipality_id:
        return []
    versions = list(
        MinutesVersion.objects.filter(meeting_id=meeting.pk)
        .order_by("-number")
        .values("number", "published_at")
    )
    if not versions:
        return []
    return [
        {
            "order": 90,
            "template": "archive/_meeting_panel.html",
            "meeting": meeting,
            "versions": versions,
        }
    ]


def measure_page_panel(user, measure, can_change) -> list[dict]:
    """MEASURE_PAGE_PANELS: the decision record as PDF/A once the group has decided (R29).
    No query."""
    from trepart.archive.selectors import has_decision_record

    if not has_decision_record(measure) or measure.municipality_id != user.municipality_id:
        return []
    return [{"order": 90, "template": "archive/_measure_panel.html", "measure": measure}]
