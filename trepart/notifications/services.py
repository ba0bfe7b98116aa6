"""Writes of the notifications app (P8, issue 13): sending, the log, the settings, the digest.

`notify()` is the one way the apps e-mail a person about their work. The person's setting for
the kind decides: immediately (an e-mail with plain text and HTML, logged as sent), weekly
(logged as waiting for the Monday digest) or off (logged as not sent). Every notification is
logged. Callers render subject and text in the recipient's language (`render_for`).
Invitations and password resets are transactional and stay outside (trepart.accounts).
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from trepart.accounts.services import language_of
from trepart.notifications import kinds
from trepart.notifications.models import Mode, Notification, NotificationSetting

logger = logging.getLogger(__name__)

SUBJECT_MAX = Notification._meta.get_field("subject").max_length
URL_MAX = Notification._meta.get_field("url").max_length
KEY_MAX = Notification._meta.get_field("idempotency_key").max_length
DIGEST_WEEKDAY = 0  # Monday (datetime.date.weekday)


def settings_url() -> str:
    return settings.SITE_URL + reverse("notifications:settings")


def log_url() -> str:
    return settings.SITE_URL + reverse("notifications:log")


def render_for(person, template_base: str, context: dict) -> tuple[str, str]:
    """Subject and plain text of `<template_base>_subject.txt` and `<template_base>.txt`,
    rendered in the person's language (their own, else their municipality's)."""
    with translation.override(language_of(person)):
        subject = render_to_string(f"{template_base}_subject.txt", context).strip()
        text = render_to_string(f"{template_base}.txt", context)
    return subject, text


def modes_for(person) -> dict[str, str]:
    """The person's mode for every registered kind (the kind's default where not chosen)."""
    chosen = dict(NotificationSetting.objects.filter(person=person).values_list("kind", "mode"))
    return {k.code: chosen.get(k.code, k.default) for k in kinds.all_kinds()}


def mode_for(person, kind_code: str) -> str:
    kind = kinds.get(kind_code)
    chosen = (
        NotificationSetting.objects.filter(person=person, kind=kind_code)
        .values_list("mode", flat=True)
        .first()
    )
    return chosen or kind.default


@transaction.atomic
def settings_save(person, modes: dict[str, str]) -> int:
    """Store the person's choices; returns how many changed. Unknown kinds or modes are a
    programming error (the form only offers registered kinds and the three modes)."""
    current = modes_for(person)
    changed = 0
    for code, mode in modes.items():
        kinds.get(code)
        if mode not in Mode.values:
            raise ValueError(f"Unknown mode {mode!r}")
        if current.get(code) == mode:
            continue  # unchanged (an untouched default stays unstored and follows the kind)
        NotificationSetting.objects.update_or_create(
            person=person, kind=code, defaults={"mode": mode}
        )
        changed += 1
    return changed


def _send(person, subject: str, text: str, html: str, attachments=None) -> None:
    message = EmailMultiAlternatives(subject, text, to=[person.email])
    message.attach_alternative(html, "text/html")
    for attachment in attachments or ():
        message.attach(*attachment)
    message.send()


def _render_single(person, kind, subject: str, text: str, url: str) -> tuple[str, str]:
    """The e-mail's plain text and HTML in the person's language, with a footer saying why
    it came and where to change that."""
    context = {
        "subject": subject,
        "text": text.rstrip(),
        "url": url,
        "show_url": bool(url) and url not in text,
        "kind": kind,
        "settings_url": settings_url(),
        "site_url": settings.SITE_URL,
    }
    with translation.override(language_of(person)):
        plain = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    return plain, html


def notify(
    person,
    kind: str,
    subject: str,
    text: str,
    url: str | None = None,
    attachments=None,
    key: str | None = None,
) -> Notification:
    """Tell `person` about something of `kind` (a registered code), as they chose; log it.

    `subject` and `text` are already in the person's language (`render_for`). `attachments` are
    (filename, content, mimetype) tuples, sent only with an immediate e-mail (a digest links).
    Returns the logged `Notification` (`.is_sent` says whether an e-mail went out now).

    `key` (issue 15) names what the notification is about for this person ("the action
    reminder of 2026-03-10", "minutes version 12"): background jobs pass it, because a job whose
    worker was killed runs again. If the person already has a notification with that key,
    nothing is sent and that one is returned (`.is_sent` is then False). Otherwise the row is
    written and the e-mail sent in one transaction: a crash before the commit leaves no row, so
    the rerun sends it. Two runs at once: the unique constraint (recipient, key) makes the
    second wait for the first and then find its row. The one window left: the mail server
    accepted the e-mail and the process died before the commit (milliseconds) - then the
    person gets it twice, which is better than never.
    """
    kind_obj = kinds.get(kind)
    mode = mode_for(person, kind)
    url = (url or "")[:URL_MAX]
    subject = " ".join(subject.split())[:SUBJECT_MAX]
    row = Notification(recipient=person, kind=kind, mode=mode, subject=subject, text=text, url=url)
    if key is None:
        _deliver(row, person, kind_obj, attachments)
        row.save()
        return row
    row.idempotency_key = key[:KEY_MAX]
    earlier = _earlier(person, row.idempotency_key)
    if earlier is not None:
        return earlier
    try:
        # A savepoint when the caller is in a transaction, so an IntegrityError leaves the
        # caller's transaction usable.
        with transaction.atomic():
            # Write the row first: a second run with the same key now waits on the unique
            # index (PostgreSQL) or the write lock (SQLite) until this one commits.
            row.state = Notification.State.SENT
            row.save()
            _deliver(row, person, kind_obj, attachments)
            row.save(update_fields=["state", "sent_at", "error"])
    except IntegrityError:
        earlier = _earlier(person, row.idempotency_key)
        if earlier is None:
            raise
        return earlier
    return row


def _earlier(person, key: str) -> Notification | None:
    earlier = Notification.objects.filter(recipient=person, idempotency_key=key).first()
    if earlier is not None:
        earlier.repeated = True  # not sent now (Notification.is_sent)
    return earlier


def _deliver(row: Notification, person, kind_obj, attachments) -> None:
    """Send `row` now, or not, as the person chose; sets its state (the caller saves it)."""
    if row.mode == Mode.OFF:
        row.state = Notification.State.OFF
    elif row.mode == Mode.WEEKLY:
        row.state = Notification.State.WAITING
    elif not person.email or not person.is_active:
        row.state = Notification.State.FAILED
        row.error = "No e-mail address" if not person.email else "Person is not active"
    else:
        plain, html = _render_single(person, kind_obj, row.subject, row.text, row.url)
        try:
            _send(person, row.subject, plain, html, attachments)
        except Exception as exc:  # the backend refused: log it, the caller carries on
            logger.exception("Notification %s to person %s failed", row.kind, person.pk)
            row.state = Notification.State.FAILED
            row.error = f"{type(exc).__name__}: {exc}"[:300]
        else:
            row.state = Notification.State.SENT
            row.sent_at = timezone.now()


# --- the weekly digest --------------------------------------------------------------------------


def is_digest_day(day: datetime.date) -> bool:
    return day.weekday() == DIGEST_WEEKDAY


def digest_send(day: datetime.date) -> int:
    """On Mondays (local date): one e-mail per person with everything waiting for them, marked
    sent. Safe to run twice a day: a person who got a digest on `day` gets no second one that
    day (what arrived since waits for next Monday). Returns the number of e-mails sent."""
    if not is_digest_day(day):
        return 0
    waiting = Notification.objects.filter(state=Notification.State.WAITING)
    had_today = Notification.objects.filter(digest_on=day).values("recipient_id")
    people = (
        waiting.exclude(recipient_id__in=had_today)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    sent = 0
    for person_id in list(people):
        sent += _digest_one(person_id, day)
    return sent


def _digest_one(person_id: int, day: datetime.date) -> int:
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.select_related("municipality").get(pk=person_id)
    if not person.email or not person.is_active:
        return 0
    # Issue 15: claim and send in one transaction. A worker killed before the commit leaves the
    # rows waiting, and the rerun sends the digest; a second run at the same time waits for the
    # claimed rows' locks and then finds nothing to claim.
    with transaction.atomic():
        return _digest_claim_and_send(person, person_id, day)


def _digest_claim_and_send(person, person_id: int, day: datetime.date) -> int:
    # Claim the person's waiting rows first, so two runs at once cannot both send them.
    digest = uuid.uuid4()
    now = timezone.now()
    claimed = Notification.objects.filter(
        recipient_id=person_id, state=Notification.State.WAITING, created_at__lte=now
    ).update(state=Notification.State.SENT, digest=digest, digest_on=day, sent_at=now)
    if not claimed:
        return 0
    rows = list(Notification.objects.filter(digest=digest).order_by("created_at", "id"))
    labels = {
        row.kind: (kinds.find(row.kind).label if kinds.find(row.kind) else "") for row in rows
    }
    context = {
        "person": person,
        "rows": [{"n": row, "kind_label": labels[row.kind]} for row in rows],
        "count": len(rows),
        "settings_url": settings_url(),
        "log_url": log_url(),
        "site_url": settings.SITE_URL,
    }
    with translation.override(language_of(person)):
        subject = render_to_string("notifications/digest_subject.txt", context).strip()
        plain = render_to_string("notifications/digest.txt", context)
        html = render_to_string("notifications/digest.html", context)
    try:
        _send(person, subject, plain, html)
    except Exception as exc:
        logger.exception("Weekly digest to person %s failed", person_id)
        # Back to waiting: the next run (today or next Monday) tries again.
        Notification.objects.filter(digest=digest).update(
            state=Notification.State.WAITING,
            digest=None,
            digest_on=None,
            sent_at=None,
            error=f"{type(exc).__name__}: {exc}"[:300],
        )
        return 0
    return 1
