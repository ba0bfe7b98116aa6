"""Writes for staff input. Every write checks permission and runs in a transaction."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.core.concurrency import versioned
from trepart.core.scope import check_scope
from trepart.inputs import folding, permissions
from trepart.inputs.models import (
    CLOSED_STATUSES,
    MAX_TEXT_LENGTH,
    OPEN_STATUSES,
    Audience,
    Category,
    Input,
    InputEvent,
    InputLink,
    InputReceipt,
    ReferredTo,
    Status,
    new_link_token,
)
from trepart.inputs.similarity import stems_text
from trepart.meetings import services as meeting_services
from trepart.organisation.models import Role, RoleAssignment

# Receipt codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 60
# bits. Shown as XXXX-XXXX-XXXX; stored only as a SHA-256 hash.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 12


class OutOfScope(ValidationError):
    """R14: the text looks like a personnel or wage matter; the submitter chooses what next."""

    def __init__(self, finding):
        super().__init__(finding.message, code=f"out_of_scope_{finding.kind}")
        self.finding = finding


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _today() -> datetime.date:
    return timezone.localdate()


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt_code(code: str) -> str:
    """Accept what people type: lower case, spaces and dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def format_receipt_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def receipt_hash(code: str) -> str:
    return hashlib.sha256(normalise_receipt_code(code).encode()).hexdigest()


def clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your input before sending."), code="empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            _("The input is %(length)d characters long. Keep it under %(max)d characters.")
            % {"length": len(text), "max": MAX_TEXT_LENGTH},
            code="too_long",
        )
    return text


# --- the unit's link ----------------------------------------------------------------------------


def input_link_for(unit) -> InputLink:
    """The unit's link, made if it is missing. A write: pages read it with
    selectors.input_link() and never write on GET."""
    link, _created = InputLink.objects.get_or_create(unit=unit)
    return link


def input_link_on_unit_created(unit) -> None:
    """UNIT_CREATED (trepart.core.hooks): every new unit gets its link and poster at once."""
    input_link_for(unit)


def input_link_renew(*, actor, unit) -> InputLink:
    """A new link (and poster); the old one stops working, e.g. after abuse."""
    _require(permissions.can_manage_link(actor, unit))
    with transaction.atomic():
        link = input_link_for(unit)
        link.token = new_link_token()
        link.renewed_by = actor
        link.save()
    return link


# --- giving input -------------------------------------------------------------------------------


def input_submit(
    *,
    unit,
    text: str,
    category: str = "",
    author=None,
    hide_name: bool = False,
    to_leader: bool = False,
) -> tuple[Input, str | None]:
    """Store an input; returns it with its receipt code (None for named input).

    `author` is the logged-in person; with `hide_name` (or None) nothing about them is stored
    (P3). R14: text about a personnel case or wages raises OutOfScope unless the submitter chose
    to send it privately to the leader (`to_leader`). An anonymous text that nearly repeats an
    open input of the unit sent today is folded into it: the earlier input is returned, with a
    new code that follows it (folding.py).
    """
    if author is not None:
        _require(permissions.can_give_input(author, unit))
    text = clean_text(text)
    if category and category not in Category.values:
        raise ValidationError(_("Choose a category from the list."), code="category")
    if not to_leader:
        finding = check_scope(text)
        if finding:
            raise OutOfScope(finding)
    elif not _has_leader(unit):
        raise ValidationError(
            _(
                "The unit has no registered leader to receive a private message. Talk to your "
                "union rep or safety rep instead."
            ),
            code="no_leader",
        )
    named = author is not None and not hide_name
    code = None if named else new_receipt_code()
    today = _today()
    audience = Audience.LEADER if to_leader else Audience.GROUP
    if not named:
        # Issue 10: the same (or nearly the same) anonymous text sent again today is folded
        # into the earlier input; the repeat's own code follows it (folding.py, decision 0002).
        target = folding.fold_target(unit=unit, text=text, audience=audience, today=today)
        if target is not None:
            with transaction.atomic():
                Input.objects.filter(pk=target.pk).update(sent_count=F("sent_count") + 1)
                InputReceipt.objects.create(input=target, receipt_hash=receipt_hash(code))
            return Input.objects.get(pk=target.pk), code
    return (
        Input.objects.create(
            municipality_id=unit.municipality_id,
            unit=unit,
            text=text,
            category=category,
            audience=audience,
            author=author if named else None,
            submitted_on=today,
            status_changed_on=today,
            receipt_hash=receipt_hash(code) if code else None,
            stems=stems_text(text),
        ),
        code,
    )


def _has_leader(unit) -> bool:
    return RoleAssignment.objects.current().filter(unit=unit, role=Role.UNIT_LEADER).exists()


# --- triage by the party group ------------------------------------------------------------------
#
# Issue 9: every triage write below is `@versioned("item")`: it locks the input's row, and with
# `version=` (the latest event id the person saw, sent back by the page) refuses a change that
# raced another one with StaleChange, naming who changed it. See trepart/core/concurrency.py.


def _event(item: Input, actor, kind: str, status: str = "", note: str = "") -> None:
    InputEvent.objects.create(input=item, kind=kind, status=status, note=note, actor=actor)


@versioned("item")
def input_consider(*, actor, item: Input) -> Input:
    """new → under consideration: the group has read it and is working on it."""
    _require(permissions.can_triage(actor, item))
    if item.status != Status.NEW:
        raise ValidationError(_("Only new input can be marked as under consideration."))
    with transaction.atomic():
        item.status = Status.CONSIDERING
        item.status_changed_on = _today()
        item.save(update_fields=["status", "status_changed_on"])
        _event(item, actor, InputEvent.Kind.STATUS, Status.CONSIDERING)
    _notify(item)
    return item


@versioned("item")
def input_draft_save(*, actor, item: Input, answer: str) -> Input:
    """P3: an answer can be drafted and discussed in the group before the submitter sees it."""
    _require(permissions.can_triage(actor, item))
    with transaction.atomic():
        item.answer_draft = (answer or "").strip()
        item.save(update_fields=["answer_draft"])
        _event(item, actor, InputEvent.Kind.DRAFT)
    return item


@versioned("item")
def input_close(
    *,
    actor,
    item: Input,
    status: str,
    answer: str,
    referred_to: str = "",
    referred_to_name: str = "",
    meeting=None,
    followed_up_elsewhere: bool = False,
) -> Input:
    """Close an input as taken up, answered, referred or not taken up.

    R21: every closing state requires a reasoned answer, which the submitter reads. Taken up puts
    the input on a coming meeting's agenda (linked both ways), unless a higher app follows it
    up and closes it itself (``followed_up_elsewhere``, e.g. as a measure: that app starts the
    work and calls this inside its own transaction). Referred names where it went.
    """
    _require(permissions.can_triage(actor, item))
    if item.hidden:
        raise ValidationError(_("Show the input again before answering it."))
    if status not in CLOSED_STATUSES:
        raise ValidationError(_("Choose what the group does with the input."), code="status")
    answer = (answer or "").strip()
    errors = {}
    if not answer:
        errors["answer"] = _(
            "Write an answer that says why. Every input gets a reasoned answer, also when it "
            "is not taken up."
        )
    if status == Status.REFERRED:
        if referred_to not in ReferredTo.values:
            errors["referred_to"] = _("Choose where the input is referred.")
        if not referred_to_name.strip():
            errors["referred_to_name"] = _(
                "Name whom it is referred to, e.g. the AMU of the health and care services."
            )
    if status == Status.TAKEN_UP and item.audience == Audience.LEADER:
        errors["status"] = _("A private message to the leader is not put on the group's agenda.")
    if (
        status == Status.TAKEN_UP
        and meeting is None
        and not followed_up_elsewhere
        and not item.agenda_item_id
    ):
        errors["meeting"] = _(
            "Choose the meeting where the group takes it up, or take it up as a measure."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if status == Status.TAKEN_UP and meeting is not None:
            # Taken up again after a reopen: onto the meeting chosen now, if it is another one.
            if item.agenda_item_id is None or item.agenda_item.meeting_id != meeting.pk:
                item.agenda_item = _put_on_agenda(actor, item, meeting)
        item.status = status
        item.answer = answer
        item.answer_draft = ""
        item.answered_on = _today()
        item.answered_by = actor
        item.status_changed_on = item.answered_on
        item.referred_to = referred_to if status == Status.REFERRED else ""
        item.referred_to_name = referred_to_name.strip() if status == Status.REFERRED else ""
        item.save()
        _event(item, actor, InputEvent.Kind.STATUS, status, note=answer)
    _notify(item)
    return item


def _put_on_agenda(actor, item: Input, meeting):
    if meeting.unit_id != item.unit_id:
        raise ValidationError({"meeting": _("Choose a meeting of this unit's party group.")})
    try:
        return meeting_services.agenda_item_propose(
            actor=actor,
            meeting=meeting,
            title=item.title,
            description=item.text,
        )
    except ValidationError as exc:
        raise ValidationError({"meeting": exc.messages}) from exc


@versioned("item")
def input_reopen(*, actor, item: Input, note: str = "") -> Input:
    """Back to under consideration, e.g. when new facts come up. The answer stays visible."""
    _require(permissions.can_triage(actor, item))
    if item.status in OPEN_STATUSES:
        raise ValidationError(_("The input is already open."))
    with transaction.atomic():
        item.status = Status.CONSIDERING
        item.status_changed_on = _today()
        # The earlier answer text stays visible; the answer date is set again when it closes.
        item.answered_on = None
        item.answered_by = None
        item.save(update_fields=["status", "status_changed_on", "answered_on", "answered_by"])
        _event(item, actor, InputEvent.Kind.STATUS, Status.CONSIDERING, note=note.strip())
    _notify(item)
    return item


@versioned("item")
def input_set_public(*, actor, item: Input, public: bool) -> Input:
    _require(permissions.can_triage(actor, item))
    if public and item.audience == Audience.LEADER:
        raise ValidationError(_("A private message to the leader cannot be made public."))
    if public and item.hidden:
        raise ValidationError(_("A hidden input cannot be made public."))
    with transaction.atomic():
        item.public = public
        item.save(update_fields=["public"])
        _event(item, actor, InputEvent.Kind.PUBLIC, note="public" if public else "private")
    return item


@versioned("item")
def input_hide(*, actor, item: Input, reason: str) -> Input:
    """Hide an abusive input. The reason is recorded and shown to the group."""
    _require(permissions.can_triage(actor, item))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the input is hidden.")})
    with transaction.atomic():
        item.hidden = True
        item.public = False
        item.hidden_reason = reason
        item.hidden_by = actor
        item.hidden_on = _today()
        item.save(update_fields=["hidden", "public", "hidden_reason", "hidden_by", "hidden_on"])
        _event(item, actor, InputEvent.Kind.HIDDEN, note=reason)
    return item


@versioned("item")
def input_unhide(*, actor, item: Input) -> Input:
    _require(permissions.can_triage(actor, item))
    with transaction.atomic():
        item.hidden = False
        item.save(update_fields=["hidden"])
        _event(item, actor, InputEvent.Kind.SHOWN)
    return item


# --- telling the submitter ----------------------------------------------------------------------


def _notify(item: Input) -> None:
    """P3: a named submitter gets an e-mail when the status changes or an answer is published.
    Anonymous submitters follow their receipt (we have no address for them, by design)."""
    if item.author_id is None:
        return
    from trepart.inputs.tasks import notify_input_author

    # Issue 15: the job's key is this status change, fixed now: a rerun of the job after a
    # later change must not take that one's event for its own.
    change = (
        item.events.filter(kind=InputEvent.Kind.STATUS)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    transaction.on_commit(lambda: notify_input_author.enqueue(item.pk, item.status, change))
