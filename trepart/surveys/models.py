"""Staff surveys and the party group's cooperation pulse (P6, P7; R17, R22, R25, R34).

Anonymity by design (P7): *that* a person answered (`Respondent`) is stored apart from *what*
was answered (`Response`, `Answer`). There is no foreign key, no shared sequence (responses and
answers have random UUID keys) and no timestamp finer than the date between the two, so no
query can join a person to an answer. See docs/decisions/0006-survey-anonymity.md.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# KS practice (10-FAKTOR): results only from at least this many answers; never below the floor.
DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3


def new_survey_token() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, 96 bits


class SurveySettings(models.Model):
    """A municipality's survey settings. Absent row = the defaults."""

    municipality = models.OneToOneField(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="survey_settings"
    )
    threshold = models.PositiveSmallIntegerField(
        _("fewest answers before results are shown"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(MIN_THRESHOLD), MaxValueValidator(50)],
    )
    pulse_every_months = models.PositiveSmallIntegerField(
        _("cooperation pulse every (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )

    class Meta:
        verbose_name = _("survey settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=MIN_THRESHOLD), name="survey_threshold_at_least_floor"
            )
        ]

    def __str__(self):
        return f"{self.municipality}: {self.threshold}"


class Survey(models.Model):
    class Kind(models.TextChoices):
        WORK_ON = "work_on", _("What should the group work on?")
        TRIAL_EVALUATION = "trial_evaluation", _("Evaluation of a trial")
        STAFF_PULSE = "staff_pulse", _("How are things with us?")
        COOPERATION_PULSE = "cooperation_pulse", _("Cooperation pulse")
        OTHER = "other", _("Other survey")

    class Audience(models.TextChoices):
        ANONYMOUS_LINK = "link", _("Anyone with the link, without logging in")
        STAFF = "staff", _("Staff who log in")
        PARTY_GROUP = "party_group", _("The party group's members")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    # None: a survey for the whole municipality.
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("unit"),
    )
    # A trial evaluation belongs to the measure it evaluates (shown in its evaluation, R25).
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("trial"),
    )
    kind = models.CharField(_("kind of survey"), max_length=20, choices=Kind.choices)
    audience = models.CharField(_("who answers"), max_length=12, choices=Audience.choices)
    title = models.CharField(_("title"), max_length=160)
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    # A survey may ask for more answers than the municipality's threshold, never fewer.
    threshold = models.PositiveSmallIntegerField(
        _("fewest answers before results are shown"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_THRESHOLD), MaxValueValidator(50)],
    )
    # The cooperation pulse's period, e.g. "2026-Q4" (one pulse per group and period).
    period = models.CharField(max_length=10, blank=True, default="")
    token = models.CharField(max_length=32, unique=True, default=new_survey_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "kind", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "period"],
                condition=~Q(period=""),
                name="one_pulse_per_unit_and_period",
            ),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | Q(threshold__gte=MIN_THRESHOLD),
                name="survey_own_threshold_at_least_floor",
            ),
        ]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("Agree or disagree (1–5)")
        CHOICE = "choice", _("One choice")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind of question"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    # A key for questions the product compares over time (the pulse's dimensions), else "".
    key = models.CharField(max_length=32, blank=True, default="")
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("must be answered"), default=False)

    class Meta:
        verbose_name = _("question")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class Respondent(models.Model):
    """*That* a person answered a survey: one answer per person (P7). Never linked to what was
    answered: no foreign key to `Response`, and only the date."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answered_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="one_answer_per_person")
        ]

    def __str__(self):
        return f"{self.survey_id}: {self.person_id}"


class Response(models.Model):
    """*What* one anonymous respondent answered. A random key (no sequence shared with
    `Respondent`), the date only, and no person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField()
    # For breakdowns of a municipality-wide survey; shown only where the group reaches the
    # threshold (smaller groups are merged or hidden).
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return str(self.pk)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)  # likert 1–5, or the choice's index
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return str(self.pk)
