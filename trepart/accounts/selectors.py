"""Reads for accounts: invitations by their secret token, a person's invitation state, the
progress of a batch of invitations. Fixed numbers of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Q
from django.utils import timezone

from trepart.accounts.models import Invitation, User
from trepart.accounts.services import can_be_invited, token_hash

# What the person page shows (Invitation.State plus the states without a live invitation).
NOT_SENT = "not_sent"
HAS_PASSWORD = "has_password"


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation whose link holds `token` (looked up by its hash), or None. Keyed by a
    secret, like the anonymous link: no municipality is needed to find it."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("person", "person__municipality")
        .filter(token_hash=token_hash(token))
        .first()
    )


@dataclass(frozen=True)
class InvitationStatus:
    state: str  # NOT_SENT, HAS_PASSWORD or an Invitation.State
    invitation: Invitation | None
    can_send: bool  # an invitation may be sent (or sent again) now

    @property
    def sent_before(self) -> bool:
        return self.invitation is not None


def invitation_status(person: User, now: datetime.datetime | None = None) -> InvitationStatus:
    """The state of the person's latest invitation, as the person page shows it (one query)."""
    now = now or timezone.now()
    latest = person.invitations.order_by("-created_at", "-id").first()
    invitable = can_be_invited(person)
    if latest is None or latest.state(now) == Invitation.State.SUPERSEDED:
        state = HAS_PASSWORD if person.has_usable_password() else NOT_SENT
        return InvitationStatus(state=state, invitation=None, can_send=invitable)
    state = latest.state(now)
    if state != Invitation.State.ACCEPTED and person.has_usable_password():
        # Chose a password another way ("Forgot your password?").
        state = HAS_PASSWORD
    return InvitationStatus(
        state=state,
        invitation=latest,
        can_send=invitable and state != Invitation.State.QUEUED,
    )


@dataclass(frozen=True)
class RunProgress:
    total: int
    sent: int  # sent, including those accepted since
    failed: int
    skipped: int  # not sent: replaced, or the person chose a password meanwhile
    accepted: int

    @property
    def pending(self) -> int:
        return self.total - self.sent - self.failed - self.skipped

    @property
    def done(self) -> bool:
        return self.pending <= 0

    @property
    def percent(self) -> int:
        return round(100 * (self.total - self.pending) / self.total) if self.total else 100


def run_progress(run_id: int | None, municipality_id: int) -> RunProgress | None:
    """How far the job of one invitation run has come (one query), or None if there is none in
    this municipality."""
    if not run_id:
        return None
    counts = Invitation.objects.filter(
        run_id=run_id, run__municipality_id=municipality_id
    ).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        failed=Count("pk", filter=Q(failed_at__isnull=False)),
        skipped=Count("pk", filter=Q(sent_at__isnull=True, superseded_at__isnull=False)),
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
    )
    if not counts["total"]:
        return None
    return RunProgress(**counts)


def people_without_live_invitation(people_qs, now=None):
    """Of these people: active, no password yet, and no invitation waiting or valid."""
    now = now or timezone.now()
    live = Invitation.objects.live(now).values("person_id")
    return people_qs.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX).exclude(
        pk__in=live
    )
