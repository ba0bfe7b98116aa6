"""Writes for accounts: invitations to choose a first password; ending a person's sessions.

An administrator *requests* an invitation (a row waiting to be sent); the background job
`accounts.tasks.send_invitations` makes the one-time token, stores only its hash and e-mails the
link. Accepting sets the password once; a newer invitation replaces the older ones.

Who may invite is the organisation app's business (a municipal administrator of the person's
municipality): `organisation.services.person_invite()` and `import_invite_new()` check it and
call these functions. These check only what accounts knows: the same municipality, an active
person who has no password yet, and the per-person sending limit.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trepart.accounts.models import Invitation, InvitationRun, User
from trepart.core import ratelimit

logger = logging.getLogger(__name__)


class InvitationNotValid(Exception):
    """The link is unknown, used, replaced, expired, or the account already has a password."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _person_rates() -> list[ratelimit.Rate]:
    return [ratelimit.Rate(limit, seconds) for limit, seconds in settings.INVITATION_PERSON_RATES]


def can_be_invited(person: User) -> bool:
    """An active person who has never chosen a password (imported or added by an admin)."""
    return person.is_active and not person.has_usable_password()


def _supersede_open(person_ids, now) -> None:
    Invitation.objects.open().filter(person_id__in=person_ids).update(superseded_at=now)


def invitation_request(*, actor: User, person: User) -> Invitation:
    """Ask for an invitation to one person; the e-mail goes out from the background job.

    Replaces the person's earlier invitations: their links stop working. The caller has checked
    that `actor` administers the person's municipality.
    """
    if person.municipality_id is None or actor.municipality_id != person.municipality_id:
        raise ValidationError(_("The person belongs to another municipality."))
    if not person.is_active:
        raise ValidationError(_("The person is deactivated and cannot be invited."))
    if person.has_usable_password():
        raise ValidationError(
            _("%(name)s has already chosen a password and can log in.") % {"name": person}
        )
    key = f"invitation-person:{person.pk}"
    if ratelimit.is_limited(key, *_person_rates()):
        raise ValidationError(
            _(
                "%(name)s has been sent several invitations in a short time. Wait a while before "
                "sending another."
            )
            % {"name": person}
        )
    now = timezone.now()
    with transaction.atomic():
        _supersede_open([person.pk], now)
        invitation = Invitation.objects.create(person=person, invited_by=actor, created_at=now)
        ratelimit.hit(key, *_person_rates())
        transaction.on_commit(lambda: _enqueue([invitation.pk]))
    return invitation


def invitations_request(*, actor: User, people) -> InvitationRun:
    """Invitations to many people at once (everyone new from an import), sent by one job.

    People who may not be invited (a password already, deactivated, another municipality) are
    skipped. The caller has checked the permission.
    """
    now = timezone.now()
    people = [p for p in people if p.municipality_id == actor.municipality_id and can_be_invited(p)]
    with transaction.atomic():
        run = InvitationRun.objects.create(
            municipality_id=actor.municipality_id, started_by=actor, created_at=now
        )
        _supersede_open([p.pk for p in people], now)
        Invitation.objects.bulk_create(
            [Invitation(person=p, invited_by=actor, run=run, created_at=now) for p in people]
        )
        ids = list(run.invitations.order_by("pk").values_list("pk", flat=True))
        transaction.on_commit(lambda: _enqueue(ids))
    return run


def _enqueue(ids: list[int]) -> None:
    if not ids:
        return
    from trepart.accounts.tasks import send_invitations

    send_invitations.enqueue(ids)


def _language(person: User) -> str:
    return language_of(person)


def invitation_send(invitation_id: int) -> bool:
    """Make the one-time link and e-mail it (run by the background job). True when sent.

    An invitation that was replaced, accepted or cancelled in the meantime, or whose person has
    chosen a password meanwhile, is not sent. A failing mail server marks it as failed (the
    link is removed), so the administrator can send it again.
    """
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = (
            # Lock only the invitation: PostgreSQL cannot lock the nullable side of a join.
            Invitation.objects.select_for_update(of=("self",))
            .select_related("person", "person__municipality", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.state(now) != Invitation.State.QUEUED:
            return False
        person = invitation.person
        if not can_be_invited(person):
            invitation.superseded_at = now
            invitation.save(update_fields=["superseded_at"])
            return False
        invitation.token_hash = token_hash(token)
        invitation.sent_at = now
        invitation.expires_at = now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    try:
        with translation.override(_language(person)):
            context = {
                "person": person,
                "municipality": person.municipality,
                "invited_by": invitation.invited_by,
                "url": settings.SITE_URL + reverse("accounts:invitation_accept", args=[token]),
                "expires_at": timezone.localtime(invitation.expires_at),
                "login_url": settings.SITE_URL + reverse("accounts:login"),
            }
            # One line, whatever the municipality's name holds (issue 15 part 2).
            subject = " ".join(
                render_to_string("accounts/email/invitation_subject.txt", context).split()
            )
            body = render_to_string("accounts/email/invitation.txt", context)
        send_mail(subject, body, None, [person.email])
    except Exception:
        logger.exception("Invitation %s could not be sent", invitation_id)
        Invitation.objects.filter(pk=invitation_id).update(
            failed_at=timezone.now(), token_hash=None, sent_at=None, expires_at=None
        )
        return False
    return True


def invitation_check(invitation: Invitation | None, now=None) -> Invitation:
    """The invitation if its link may set a password now; else InvitationNotValid(reason) with
    reason "unknown", "used", "replaced" or "expired". Says nothing about who it was for."""
    now = now or timezone.now()
    if invitation is None or invitation.sent_at is None:
        raise InvitationNotValid("unknown")
    state = invitation.state(now)
    if state == Invitation.State.ACCEPTED:
        raise InvitationNotValid("used")
    if state in (Invitation.State.SUPERSEDED, Invitation.State.FAILED):
        raise InvitationNotValid("replaced")
    if state == Invitation.State.EXPIRED:
        raise InvitationNotValid("expired")
    if not invitation.person.is_active:
        raise InvitationNotValid("unknown")
    if invitation.person.has_usable_password():
        # The person chose a password another way (e.g. "Forgot your password?").
        raise InvitationNotValid("used")
    return invitation


def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the person's first password through the invitation, once.

    The password has been validated by the form (Django's password validators). Two requests
    with the same link at the same moment: the conditional update lets exactly one through.
    """
    now = timezone.now()
    invitation_check(invitation, now)
    with transaction.atomic():
        used = (
            Invitation.objects.open()
            .filter(pk=invitation.pk, sent_at__isnull=False, expires_at__gt=now)
            .update(accepted_at=now)
        )
        if used != 1:
            raise InvitationNotValid("used")
        person = User.objects.select_for_update().get(pk=invitation.person_id)
        if person.has_usable_password():
            raise InvitationNotValid("used")  # rolls the acceptance back
        person.set_password(password)
        person.save(update_fields=["password"])
        # Any other open invitation of the person is of no use any more.
        Invitation.objects.open().filter(person=person).exclude(pk=invitation.pk).update(
            superseded_at=now
        )
    invitation.accepted_at = now
    return person


def own_language_set(person: User, language: str) -> None:
    """The person's own language (P8); empty follows the municipality's default."""
    person.language = language
    person.save(update_fields=["language"])


def language_of(person: User) -> str:
    """The language to write to a person in (e-mails): their own, else their municipality's."""
    if person.language:
        return person.language
    if person.municipality_id:
        return person.municipality.default_language or settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


# --- sessions (issue 15) ----------------------------------------------------------------------


def sessions_end_everywhere(person: User) -> User:
    """End every session of `person` on every device at once.

    Raises the person's session generation, which is part of the session auth hash
    (`User.get_session_auth_hash`): every session made before no longer matches and is flushed
    on its next request. The caller keeps the current device logged in, if it wants to, with
    `django.contrib.auth.update_session_auth_hash`. Returns the person with the new generation.
    """
    User.objects.filter(pk=person.pk).update(session_generation=models.F("session_generation") + 1)
    person.refresh_from_db(fields=["session_generation"])
    return person
