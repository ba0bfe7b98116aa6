"""Reads of the notifications app. A person only ever sees their own notifications."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q

from trepart.notifications import kinds
from trepart.notifications.models import Mode, Notification, NotificationSetting

PAGE_SIZE = 50


def notifications_visible_to(user):
    """The user's own notifications; nobody sees anybody else's (not even an administrator)."""
    if not user.is_authenticated or user.municipality_id is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def log_page(user, page_number):
    """One page (50, newest first) of the user's log; a junk or too large page number gives
    the nearest page."""
    paginator = Paginator(notifications_visible_to(user).order_by("-created_at", "-id"), PAGE_SIZE)
    page = paginator.get_page(page_number)
    labels = {k.code: k.label for k in kinds.all_kinds()}
    for n in page.object_list:
        n.kind_label = labels.get(n.kind, "")
        # The e-mail subject without the product name every subject starts with.
        n.title = n.subject.removeprefix("Trepart: ") or n.subject
    return page


def own_summary(user) -> dict:
    """What the own page shows: how the person's settings stand and what waits for the digest.
    Two queries whatever the data."""
    chosen = dict(NotificationSetting.objects.filter(person=user).values_list("kind", "mode"))
    modes = [chosen.get(k.code, k.default) for k in kinds.all_kinds()]
    counts = notifications_visible_to(user).aggregate(
        waiting=Count("id", filter=Q(state=Notification.State.WAITING)),
        total=Count("id"),
    )
    return {
        "kinds": len(modes),
        "immediately": modes.count(Mode.IMMEDIATELY),
        "weekly": modes.count(Mode.WEEKLY),
        "off": modes.count(Mode.OFF),
        "waiting": counts["waiting"],
        "total": counts["total"],
    }
