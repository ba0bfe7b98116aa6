"""Meetings and minutes for party groups and the steering group (P2; R2, R9–R15, R29, R30).

A group is either a unit's party group (`unit` set) or the municipality's steering group
(`unit` empty). Series generate meetings ahead; each meeting keeps its `series_date`, so a moved
or cancelled meeting is never generated again. Published minutes are immutable snapshots
(`MinutesVersion`); corrections publish a new version.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    DEVELOPMENT = "development", _("Development meeting")
    CONSULTATION = "consultation", _("Consultation meeting")
    DIALOGUE = "dialogue", _("Steering group meeting (information and dialogue)")


class ItemKind(models.TextChoices):
    DEVELOPMENT = "development", _("Development item")
    CONSULTATION = "consultation", _("Consultation item")
    DIALOGUE = "dialogue", _("For information and dialogue")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly on a weekday")
    WEEKLY = "weekly", _("Every n weeks")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class Ordinal(models.IntegerChoices):
    FIRST = 1, _("First")
    SECOND = 2, _("Second")
    THIRD = 3, _("Third")
    FOURTH = 4, _("Fourth")
    LAST = -1, _("Last")


class MeetingSeries(models.Model):
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_series",
        help_text=_("Empty for the steering group."),
    )
    title = models.CharField(_("title"), max_length=160)
    kind = models.CharField(_("kind of meeting"), max_length=16, choices=MeetingKind.choices)
    frequency = models.CharField(
        _("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    ordinal = models.SmallIntegerField(
        _("which week of the month"), choices=Ordinal.choices, default=Ordinal.FIRST
    )
    weekday = models.SmallIntegerField(_("weekday"), choices=Weekday.choices, default=1)
    interval_weeks = models.PositiveSmallIntegerField(_("every how many weeks"), default=2)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=160, blank=True)
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.title


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class MinutesStatus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CORRECTING = "correcting", _("Being corrected")

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
    )
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    series_date = models.DateField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=160)
    kind = models.CharField(_("kind of meeting"), max_length=16, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=160, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    minutes_status = models.CharField(
        max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    agenda_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "series_date"], name="meeting_unique_series_date"
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "unit", "starts_at"]),
            # Issue 14: /api/meetings pages through a municipality's meetings by
            # (starts_at, id) (trepart.api.core.paginate); this index reads them in that order
            # and stops at the page's end instead of sorting every meeting.
            models.Index(fields=["municipality", "starts_at", "id"], name="meeting_muni_starts_id"),
        ]

    def __str__(self):
        return f"{self.title} {self.starts_at:%Y-%m-%d}"

    @property
    def is_steering(self) -> bool:
        return self.unit_id is None

    @property
    def is_published(self) -> bool:
        return self.minutes_status == self.MinutesStatus.PUBLISHED

    @property
    def minutes_editable(self) -> bool:
        return (
            self.minutes_status != self.MinutesStatus.PUBLISHED
            and self.status != self.Status.CANCELLED
        )


class StandingItem(models.Model):
    """A group's standing agenda items, pre-filled on every new meeting (R11)."""

    class Key(models.TextChoices):
        """Stable names of the default items; other apps find an item by key, not by title."""

        WELLBEING = "wellbeing", "wellbeing"
        NEW_INPUT = "new_input", "new input"
        RUNNING_TRIALS = "running_trials", "running trials"
        COOPERATION = "cooperation", "cooperation"
        UNIT_REPORTS = "unit_reports", "unit reports"  # the steering group's default (R31)

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=32, blank=True, default="", choices=Key.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("On the agenda")
        CLOSED = "closed", _("Closed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    standing = models.BooleanField(default=False)
    # The StandingItem.Key of the standing item this came from ("" for other items).
    standing_key = models.CharField(max_length=32, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    way_forward = models.TextField(
        _("agreed way forward"),
        blank=True,
        help_text=_("How the item is taken forward. Required before the item is closed."),
    )
    decisions = models.TextField(_("decisions"), blank=True)
    # R15: closed without agreement; the item continues at the group's next meeting (never a
    # vote). The positions are ItemPosition rows; `in_between` is what happens until then.
    not_agreed = models.BooleanField(_("not agreed"), default=False)
    in_between = models.TextField(_("until the next meeting"), blank=True)
    # The earlier item this one continues (R15), and the first item of that chain, so the whole
    # history is one query; `carried_count` is how many times the question was carried over.
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continuation",
    )
    carried_root = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    carried_count = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class ItemPosition(models.Model):
    """R15: one side's position on an item the group did not agree on, held by a role ("The
    leader", "The union reps"), never a count of people for or against."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="positions")
    order = models.PositiveSmallIntegerField(default=0)
    holder = models.CharField(_("whose position"), max_length=120)
    text = models.TextField(_("position"))

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.holder}: {self.text[:40]}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        GUEST = "guest", _("Guest")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    guest_name = models.CharField(_("guest"), max_length=160, blank=True)
    role_label = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
        ordering = ["status", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(person__isnull=False),
                name="attendance_unique_person",
            )
        ]

    def __str__(self):
        return self.guest_name or str(self.person)


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.CharField(_("what"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("who"),
    )
    due_on = models.DateField(_("by when"))
    done_at = models.DateTimeField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description


class Referral(models.Model):
    """R29: an item referred to the decision line, and later its outcome."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="referrals")
    body = models.CharField(
        _("referred to"), max_length=160, help_text=_("E.g. AMU, the council, the unit leader.")
    )
    referred_on = models.DateField(_("date"))
    note = models.TextField(_("what is to be decided"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_on = models.DateField(_("date of outcome"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self):
        return self.body


class MinutesVersion(models.Model):
    """An immutable published version of a meeting's minutes (R30)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    change_note = models.CharField(_("what was corrected"), max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_version_unique")
        ]

    def __str__(self):
        return f"{self.meeting} v{self.number}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's secret token for the subscribable ICS feed of their meetings."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"feed:{self.person_id}"
