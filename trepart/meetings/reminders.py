"""Which action items to remind whom about (P2: reminders for due and overdue actions)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from trepart.meetings.models import ActionItem

DUE_SOON_DAYS = 3


def actions_to_remind(today: datetime.date) -> dict:
    """Open actions due within DUE_SOON_DAYS or overdue, not reminded today, by assignee.

    Actions of cancelled meetings are skipped; an assignee who is no longer active gets none.
    """
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    actions = (
        ActionItem.objects.filter(done_at__isnull=True, due_on__lte=horizon)
        .exclude(last_reminded_on=today)
        .exclude(meeting__status="cancelled")
        .filter(assignee__is_active=True)
        .select_related("assignee", "meeting", "meeting__unit", "meeting__municipality")
        .order_by("assignee_id", "due_on")
    )
    by_person = defaultdict(lambda: {"overdue": [], "due_soon": []})
    for action in actions:
        bucket = "overdue" if action.due_on < today else "due_soon"
        by_person[action.assignee][bucket].append(action)
    return dict(by_person)
