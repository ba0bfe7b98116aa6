"""Organisation: municipalities, service areas, units, departments, unions, role assignments (P1).

Groups are not stored: a unit's party group and the municipality's steering group are derived
from the role assignments that are current on a given day (R4, R5). Role assignments are never
deleted; ending one sets `ends_on`, so history answers "who held this role in March 2024".
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    number = models.CharField(_("municipality number"), max_length=4, blank=True)
    default_language = models.CharField(
        _("default language"), max_length=5, choices=settings.LANGUAGES, default="nb"
    )
    steering_group_name = models.CharField(
        _("name of the steering group"),
        max_length=80,
        blank=True,
        help_text=_(
            'The municipality\'s own name for it, e.g. "TriPart". Empty: "Steering group".'
        ),
    )
    party_group_name = models.CharField(
        _("default name of party groups"),
        max_length=80,
        blank=True,
        help_text=_('E.g. "HMS-gruppa". A unit may choose its own. Empty: "Party group".'),
    )
    accessibility_statement_url = models.URLField(_("accessibility statement"), blank=True)
    # P3: inputs without an answer after this many days are flagged to the group and counted in
    # the steering group's overview.
    input_answer_days = models.PositiveSmallIntegerField(
        _("days to answer staff input"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Input without an answer after this many days is flagged to the group."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def steering_group_label(self):
        return self.steering_group_name or _("Steering group")


class AdoptionDecision(models.Model):
    """R8: the council or employer-policy decision that anchors the method."""

    class Body(models.TextChoices):
        COUNCIL = "council", _("Municipal council")
        ADMINISTRATION_COMMITTEE = "admin_committee", _("Administration committee")
        EMPLOYER_POLICY = "employer_policy", _("Employer policy")
        OTHER = "other", _("Other body")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="adoption_decisions"
    )
    body = models.CharField(_("decided by"), max_length=20, choices=Body.choices)
    decided_on = models.DateField(_("date of decision"))
    reference = models.CharField(
        _("case reference"), max_length=80, blank=True, help_text=_("E.g. case number 24/1234.")
    )
    summary = models.TextField(_("what was decided"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adoption decision")
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.get_body_display()} {self.decided_on}"


class ServiceArea(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="service_areas"
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("service area")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="service_area_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class Unit(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="units")
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, related_name="units", verbose_name=_("service area")
    )
    name = models.CharField(_("name"), max_length=160)
    party_group_name = models.CharField(
        _("name of the party group"),
        max_length=80,
        blank=True,
        help_text=_("The unit's own name for its party group, if it has one."),
    )

    class Meta:
        verbose_name = _("unit")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unit_unique_name")
        ]

    def __str__(self):
        return self.name

    def party_group_label(self):
        return self.party_group_name or self.municipality.party_group_name or _("Party group")

    def party_group_phrase(self):
        """The group's name inside a sentence: its own name, else "the party group"."""
        return self.party_group_name or self.municipality.party_group_name or _("the party group")


class Department(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("name"), max_length=160)

    class Meta:
        verbose_name = _("department")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="department_unique_name")
        ]

    def __str__(self):
        return self.name


class UnionQuerySet(models.QuerySet):
    def available_to(self, municipality):
        """The national catalogue plus the municipality's own additions."""
        return self.filter(Q(municipality__isnull=True) | Q(municipality=municipality))


class Union(models.Model):
    """A union. `municipality` empty = the national catalogue (data migration)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="own_unions"
    )
    name = models.CharField(_("name"), max_length=160)
    short_name = models.CharField(_("short name"), max_length=40)
    federation = models.CharField(_("federation"), max_length=40, blank=True)

    objects = UnionQuerySet.as_manager()

    class Meta:
        verbose_name = _("union")
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "short_name"], name="union_unique_short_name"
            )
        ]

    def __str__(self):
        return self.short_name


class UnionPresence(models.Model):
    """A union has members at a unit (reported by the municipality or the chief union rep).

    Only the fact (and optionally a count) is stored, never who the members are (GDPR art. 9).
    Used by the composition check: a union with members but no local rep (R4).
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="union_presences")
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="+")
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "union"], name="union_presence_unique")
        ]

    def __str__(self):
        return f"{self.union} – {self.unit}"


class Role(models.TextChoices):
    UNIT_LEADER = "unit_leader", _("Unit leader")
    DEPARTMENT_LEADER = "department_leader", _("Department leader")
    LOCAL_UNION_REP = "local_union_rep", _("Local union rep")
    SAFETY_REP = "safety_rep", _("Safety rep")
    EMPLOYEE = "employee", _("Employee")
    POLITICIAN = "politician", _("Politician")
    ADMINISTRATION = "administration", _("Administration")
    CHIEF_UNION_REP = "chief_union_rep", _("Chief union rep")
    CHIEF_SAFETY_REP = "chief_safety_rep", _("Chief safety rep")
    MUNICIPAL_ADMIN = "municipal_admin", _("Municipal administrator")


UNIT_ROLES = frozenset(
    {Role.UNIT_LEADER, Role.DEPARTMENT_LEADER, Role.LOCAL_UNION_REP, Role.SAFETY_REP, Role.EMPLOYEE}
)
# R4: a party group = leaders + local union reps of every union + the safety rep.
PARTY_GROUP_ROLES = frozenset(
    {Role.UNIT_LEADER, Role.DEPARTMENT_LEADER, Role.LOCAL_UNION_REP, Role.SAFETY_REP}
)
# R1: the steering group = politicians, administration, chief union reps, chief safety rep.
STEERING_GROUP_ROLES = frozenset(
    {Role.POLITICIAN, Role.ADMINISTRATION, Role.CHIEF_UNION_REP, Role.CHIEF_SAFETY_REP}
)
UNION_ROLES = frozenset({Role.LOCAL_UNION_REP, Role.CHIEF_UNION_REP})


class PoliticalSide(models.TextChoices):
    POSITION = "position", _("Position")
    OPPOSITION = "opposition", _("Opposition")


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Assignments in force on a day (today by default): started, and not yet ended."""
        on = on or datetime.date.today()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class RoleAssignment(models.Model):
    """A person holds a role, at a unit or for the whole municipality, for a period (R5)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="role_assignments"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("department"),
    )
    union = models.ForeignKey(
        Union,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("union"),
    )
    side = models.CharField(
        _("political side"), max_length=12, choices=PoliticalSide.choices, blank=True
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["municipality", "role", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_assignment_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or datetime.date.today()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def clean(self):
        """Shape rules shared by the form, the import and the service."""
        errors = {}
        if self.role in UNIT_ROLES and not self.unit_id:
            errors["unit"] = _("This role belongs to a unit. Choose the unit.")
        if self.role not in UNIT_ROLES and self.unit_id:
            errors["unit"] = _("This role is for the whole municipality and has no unit.")
        if self.role in UNION_ROLES and not self.union_id:
            errors["union"] = _("A union rep must have a union.")
        if self.role not in UNION_ROLES and self.union_id:
            errors["union"] = _("Only union reps are registered with a union.")
        if self.role == Role.POLITICIAN and not self.side:
            errors["side"] = _(
                "Choose whether the politician represents the position or the opposition."
            )
        if self.role != Role.POLITICIAN and self.side:
            errors["side"] = _("Only politicians have a political side.")
        if self.department_id and self.unit_id and self.department.unit_id != self.unit_id:
            errors["department"] = _("The department must belong to the chosen unit.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)


class ImportBatch(models.Model):
    """An uploaded import file, kept between the dry run and the apply (web stays stateless)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename
