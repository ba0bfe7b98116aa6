"""Handover when role holders change, and the chief reps' overview (R5, R6).

Vacancies are computed from the role assignments and the unions present at each unit, so they
hold for imported and old data too (`selectors.seats_for_units`). A `Handover` row only
remembers what the product has done about one vacancy: when it was first noticed, whether the
chief rep was told, when and by whom it was filled. `Welcome` remembers the newcomer's welcome
e-mail, `GroupPractice` is the party group's agreed way of working (R13), and `FollowUpNote` is
a chief rep's private note about a conversation with a local rep (R6).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trepart.organisation.models import Role

# The seats of a party group the product watches for vacancies (R4): the unit leader, the
# safety rep, and a local union rep for every union with members at the unit.
SEAT_ROLES = (Role.UNIT_LEADER, Role.SAFETY_REP, Role.LOCAL_UNION_REP)


class Handover(models.Model):
    """One vacancy at one seat (unit, role, union), from when it opened until it was filled.

    A seat that is filled without a gap (the successor starts the day after) gets a row too,
    opened and filled at once, so the chief rep is told who the newcomer is (R6).
    """

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=24, choices=Role.choices)
    union = models.ForeignKey(
        "organisation.Union", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The day after the last holder's period ended; empty when nobody has held the seat.
    vacant_since = models.DateField(null=True, blank=True)
    # The day the product first saw the seat empty (or the newcomer, for a seamless change).
    noticed_on = models.DateField()
    open_notified_at = models.DateTimeField(null=True, blank=True)
    filled_on = models.DateField(null=True, blank=True)
    newcomer = models.ForeignKey(
        "organisation.RoleAssignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    filled_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-noticed_on", "-id"]
        constraints = [
            # One open vacancy per seat (the union is empty for the leader and safety seats).
            models.UniqueConstraint(
                fields=["unit", "role", "union"],
                condition=Q(filled_on__isnull=True, union__isnull=False),
                name="handover_one_open_per_union_seat",
            ),
            models.UniqueConstraint(
                fields=["unit", "role"],
                condition=Q(filled_on__isnull=True, union__isnull=True),
                name="handover_one_open_per_seat",
            ),
            # A newcomer is told about once (R6).
            models.UniqueConstraint(
                fields=["newcomer"],
                condition=Q(newcomer__isnull=False),
                name="handover_one_per_newcomer",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "filled_on"])]

    def __str__(self):
        return f"{self.unit} {self.role} {self.union or ''}".strip()

    @property
    def is_open(self) -> bool:
        return self.filled_on is None


class Welcome(models.Model):
    """The welcome e-mail to a newcomer in a party group, sent once per assignment."""

    assignment = models.OneToOneField(
        "organisation.RoleAssignment", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"welcome {self.assignment_id}"


class GroupPractice(models.Model):
    """The party group's agreed way of working (R13, R15, R21): how meetings run, chairing,
    items in advance, how disagreement is handled, how staff input is answered."""

    unit = models.OneToOneField(
        "organisation.Unit", on_delete=models.CASCADE, related_name="group_practice"
    )
    text = models.TextField(_("how we work"), max_length=10_000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("the group's way of working")

    def __str__(self):
        return f"{self.unit}"


class FollowUpNote(models.Model):
    """A chief rep's note about a conversation with a local rep (R6). Private to its author:
    nobody else reads it, not even a municipal administrator."""

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("with whom"),
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField(_("date of the conversation"))
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["author", "held_on"])]

    def __str__(self):
        return f"{self.held_on} {self.person_id}"
