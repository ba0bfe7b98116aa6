"""Staff input (P3, R20–R23): suggestions, concerns and questions from staff to the party group.

Anonymity (P3): an anonymous input — sent through the unit's link, or by a logged-in person who
hid their name — stores no user, no IP address, no user agent and only the date it was sent. Its
receipt code is stored only as a SHA-256 hash, so the database cannot be used to read answers
as someone else. The group's own actions (triage, answers) are recorded with names: the group
answers openly, the submitter may stay unknown.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_TEXT_LENGTH = 2000


class Category(models.TextChoices):
    WORKING_DAY = "working_day", _("Our working day")
    SERVICES = "services", _("The services we give")
    WORK_ENVIRONMENT = "work_environment", _("Working environment and safety")
    ORGANISATION = "organisation", _("Rotas and how work is organised")
    COMPETENCE = "competence", _("Competence and training")
    OTHER = "other", _("Something else")


class Status(models.TextChoices):
    NEW = "new", _("New")
    CONSIDERING = "considering", _("Under consideration")
    TAKEN_UP = "taken_up", _("Taken up")
    ANSWERED = "answered", _("Answered")
    REFERRED = "referred", _("Referred")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


OPEN_STATUSES = frozenset({Status.NEW, Status.CONSIDERING})
# R21: every closing state carries a reasoned answer.
CLOSED_STATUSES = frozenset(
    {Status.TAKEN_UP, Status.ANSWERED, Status.REFERRED, Status.NOT_TAKEN_UP}
)


class ReferredTo(models.TextChoices):
    AMU = "amu", _("The working environment committee (AMU)")
    LEADER = "leader", _("The leader")
    DECISION_LINE = "decision_line", _("The decision line")
    OTHER = "other", _("Somewhere else")


class Audience(models.TextChoices):
    GROUP = "group", _("The party group")
    # R14: a personnel or wage matter may be sent to the leader privately instead.
    LEADER = "leader", _("The leader only")


def new_link_token() -> str:
    return secrets.token_urlsafe(9)  # 12 characters, 72 bits


class InputLink(models.Model):
    """The unit's public link (and QR poster) for anonymous input. Renewing it retires the old."""

    unit = models.OneToOneField(
        "organisation.Unit", on_delete=models.CASCADE, related_name="input_link"
    )
    token = models.CharField(max_length=32, unique=True, default=new_link_token)
    renewed_at = models.DateTimeField(auto_now=True)
    renewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return f"{self.unit}: {self.token}"


class Input(models.Model):
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="inputs")
    text = models.TextField(_("your input"), max_length=MAX_TEXT_LENGTH)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.GROUP)
    # Only set when the submitter chose to show their name. Never set for anonymous input.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The date only, never the time (P3): a time could single out who was on shift.
    submitted_on = models.DateField()
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    status_changed_on = models.DateField()
    public = models.BooleanField(
        _("show to all staff of the unit"),
        default=False,
        help_text=_("The input and the answer are shown to everyone at the workplace."),
    )
    answer_draft = models.TextField(_("draft answer"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referred_to = models.CharField(
        _("referred to"), max_length=16, choices=ReferredTo.choices, blank=True
    )
    referred_to_name = models.CharField(_("recipient"), max_length=160, blank=True)
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inputs",
    )
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_on = models.DateField(null=True, blank=True)
    # Norwegian stems of the text, for suggesting similar inputs (see similarity.py).
    stems = models.TextField(blank=True, editable=False)
    # How many times this text came in: the same or nearly the same anonymous text sent again
    # to the unit the same day is folded into it (folding.py, decision 0002), not listed anew.
    sent_count = models.PositiveIntegerField(_("times sent"), default=1, editable=False)

    class Meta:
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            # Issue 14: the newest public inputs of a unit (the inputs page, "from your units").
            models.Index(
                fields=["unit", "-status_changed_on", "-id"],
                condition=models.Q(public=True, hidden=False),
                name="input_public_recent",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=sorted(CLOSED_STATUSES)) | ~models.Q(answer=""),
                name="input_closed_has_answer",
            )
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def is_anonymous(self) -> bool:
        return self.author_id is None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def title(self) -> str:
        """A short title for lists and agenda items: the first line, cut at a word."""
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        if len(first) <= 80:
            return first
        return first[:80].rsplit(" ", 1)[0] + " …"

    def answer_due_on(self) -> datetime.date:
        return self.submitted_on + datetime.timedelta(days=self.municipality.input_answer_days)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or datetime.date.today()
        return self.is_open and today > self.answer_due_on()

    def days_to_answer(self) -> int | None:
        if self.answered_on is None:
            return None
        return (self.answered_on - self.submitted_on).days


class InputReceipt(models.Model):
    """The receipt code of a submission that was folded into an earlier input (folding.py).

    The repeat gets its own code, which follows the earlier input: status and answer. Like
    `Input.receipt_hash`, only the SHA-256 hash of the code is stored, and no date or time; the
    hash is the key, so not even a sequence number tells when the repeat came.
    """

    receipt_hash = models.CharField(max_length=64, primary_key=True)
    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="folded_receipts")

    def __str__(self):
        return f"{self.input_id}: {self.receipt_hash[:8]}…"


class InputEvent(models.Model):
    """What the group did with an input, and when. The submission itself is not an event (no
    time of day is kept for it)."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status changed")
        DRAFT = "draft", _("Draft answer saved")
        PUBLIC = "public", _("Visibility changed")
        HIDDEN = "hidden", _("Hidden")
        SHOWN = "shown", _("Shown again")

    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.input_id} {self.kind} {self.status}"
