"""Reports, the steering group's responses and questions, and the experience library (P5).

R30–R32: the party groups report upward regularly, the steering group responds (not only
reads), and what worked is spread as experiences others can learn from and try.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportingSettings(models.Model):
    """A municipality's choices for reports and the experience library."""

    class Period(models.IntegerChoices):
        MONTHLY = 1, _("Every month")
        QUARTERLY = 3, _("Every quarter")
        FOUR_MONTHS = 4, _("Every four months")
        HALF_YEAR = 6, _("Every half year")
        YEARLY = 12, _("Every year")

    municipality = models.OneToOneField(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="reporting_settings"
    )
    period_months = models.PositiveSmallIntegerField(
        _("report period"), choices=Period.choices, default=Period.QUARTERLY
    )
    due_days = models.PositiveSmallIntegerField(
        _("days after the period to send the report"), default=21
    )
    # R31: a municipality may share chosen experiences with every other municipality on the
    # platform (read-only, attributed to the municipality, no personal names).
    share_experiences = models.BooleanField(
        _("share chosen experiences with other municipalities"), default=False
    )

    def __str__(self):
        return f"{self.municipality}: {self.get_period_months_display()}"


class UnitReport(models.Model):
    """A party group's report for one period (R30, R31). Drafted from the period's records; the
    group adds its own words and sends it. A sent report is immutable: a correction is a new
    `ReportVersion` with a note, as for minutes (R30)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        CORRECTING = "correcting", _("Being corrected")

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The group's own words.
    went_well = models.TextField(_("What went well"), blank=True)
    hard = models.TextField(_("What is hard"), blank=True)
    need = models.TextField(_("What we need from the steering group"), blank=True)
    # The figures drafted from the records (refreshed while a draft; frozen in each version).
    figures = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=0)  # autosave conflict check, as for minutes
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_sent_at = models.DateTimeField(null=True, blank=True)
    # The daily job's reminders, each sent once (on the first run on or after its day).
    reminded_before_on = models.DateField(null=True, blank=True)
    reminded_overdue_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_start"], name="report_unique_period"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.period_start}–{self.period_end}"


class ReportVersion(models.Model):
    """A sent report, frozen: the figures and the group's words as sent (R30)."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    change_note = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"


class ReportResponse(models.Model):
    """A steering-group member's response to a sent report (R32): a comment or support offered.
    Named, with the member's role, so each party sees who has responded."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        SUPPORT = "support", _("Support offered")

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role_label = models.CharField(max_length=120, blank=True)  # the role they spoke in
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(_("response"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.report}"


class SteeringQuestion(models.Model):
    """A question from the steering group to a unit (R31–R32: "how is the rota trial going?").
    The unit's party group must answer; open questions and their age show in the overview."""

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="steering_questions"
    )
    report = models.ForeignKey(
        UnitReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_role_label = models.CharField(max_length=120, blank=True)
    text = models.TextField(_("question"), max_length=2000)
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            # An answered question has its answer (R21's spirit: no silent closing).
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(answer=""),
                name="question_answered_has_answer",
            )
        ]

    def __str__(self):
        return f"{self.unit}: {self.text[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class SteeringAgendaLink(models.Model):
    """A steering-group agenda item put there from a report, a question or an experience (R31):
    the item links back to its source, whatever is later written in the item's text."""

    agenda_item = models.OneToOneField(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="steering_source"
    )
    report = models.ForeignKey(
        UnitReport, on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_links"
    )
    question = models.ForeignKey(
        SteeringQuestion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_links",
    )
    experience = models.ForeignKey(
        "reporting.Experience",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_links",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    report__isnull=False, question__isnull=True, experience__isnull=True
                )
                | models.Q(report__isnull=True, question__isnull=False, experience__isnull=True)
                | models.Q(report__isnull=True, question__isnull=True, experience__isnull=False),
                name="agenda_link_one_source",
            )
        ]

    def __str__(self):
        return f"{self.agenda_item}: {self.report or self.question or self.experience}"


class Theme(models.TextChoices):
    """Themes for experiences, after the steering group's topic catalogue (R3) and the seeds'
    examples, in the product's own words."""

    ROTA = "rota", _("Rota, shifts and full-time culture")
    TASKS = "tasks", _("Division of tasks")
    COMPETENCE = "competence", _("Competence and training")
    WORK_ENVIRONMENT = "work_environment", _("Working environment and sick leave")
    SERVICES = "services", _("Services for residents, children and users")
    DIGITAL = "digital", _("Digital tools and innovation")
    RECRUITMENT = "recruitment", _("Recruitment and induction")
    COOPERATION = "cooperation", _("Cooperation and involvement")
    OTHER = "other", _("Other")


class Experience(models.Model):
    """An experience in the library (R28, R31): what we tried, what happened, what we learned.
    A contact role, not a person's name unless they agreed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="experiences"
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    tried = models.TextField(_("What we tried"))
    happened = models.TextField(_("What happened"))
    learned = models.TextField(_("What we learned"))
    contact_role = models.CharField(_("Contact (a role)"), max_length=160, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person (only with their agreement)"),
    )
    source_measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experiences",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Shared with every municipality on the platform (only when the municipality opted in).
    shared = models.BooleanField(_("shared with other municipalities"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title


class ExperienceAdoption(models.Model):
    """ "We want to try this": a unit takes an experience up as an idea-stage measure."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="adoptions")
    # The adopting unit's municipality (the experience may be another municipality's, shared).
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    measure = models.OneToOneField(
        "measures.Measure", on_delete=models.CASCADE, related_name="adopted_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.unit}: {self.experience}"


class OverviewFreshness(models.Model):
    """Issue 14: a per-municipality change counter for the steering overview's cache.

    Bumped in the same transaction as every write that changes the overview's figures
    (`overview_cache.bump`, from signal receivers registered by this app), and read in one
    primary-key query per view: the cached aggregates are keyed by it, so a new input changes
    the overview at once in every process on every host, with no shared cache needed.
    A plain integer, not a foreign key: it outlives nothing and blocks no cascade."""

    municipality_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.municipality_id}: {self.version}"
