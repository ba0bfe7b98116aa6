"""Measures and trials (P4, R16, R24–R29).

A measure is a change the party group works on: planned with the six success questions (R27)
and the big-topic recipe (R24), assessed for working-environment risk by the safety rep (R26),
tried for a while with those who want to (R25), evaluated, and then decided: keep, adjust and
try again, or revert. When a formal decision is needed it is referred to the decision line and
the outcome recorded (R29) — the group never "decides" what the line decides.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    IN_TRIAL = "in_trial", _("In trial")
    EVALUATED = "evaluated", _("Evaluated")
    DECIDED = "decided", _("Decided")
    DONE = "done", pgettext_lazy("measure stage", "Done")
    STOPPED = "stopped", _("Stopped")


class Decision(models.TextChoices):
    KEEP = "keep", _("Keep it")
    ADJUST = "adjust", _("Adjust and try again")
    REVERT = "revert", _("Go back to how it was")


class Level(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


TRIAL_MONTHS_DEFAULT = 6


# The plan's text parts in the order a reader meets them (the six questions, R24): the archive's
# decision record and the search index read them in this order.
PLAN_TEXT_FIELDS = (
    "problem",
    "need_and_purpose",
    "goals",
    "anchoring_political",
    "anchoring_administrative",
    "anchoring_union",
    "anchoring_staff",
    "cooperation",
    "resources",
    "follow_up",
    "facts_needed",
    "staff_asked",
    "responsibilities",
    "success_criteria",
)


class Measure(models.Model):
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("title"), max_length=160)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.IDEA)
    source_input = models.ForeignKey(
        "inputs.Input", on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    source_agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Planning (R24, R27)
    problem = models.TextField(
        _("the problem, or the development we want"),
        blank=True,
        help_text=_("What is the real problem? Start small: something you can achieve soon."),
    )
    need_and_purpose = models.TextField(
        _("1. Need and purpose"),
        blank=True,
        help_text=_("Why does the workplace need this, and what is it for?"),
    )
    goals = models.TextField(
        _("2. Goals, and how they are communicated"),
        blank=True,
        help_text=_("What should be different, and how do staff hear about it?"),
    )
    anchoring_political = models.TextField(_("3a. Anchoring: political"), blank=True)
    anchoring_administrative = models.TextField(_("3b. Anchoring: administrative"), blank=True)
    anchoring_union = models.TextField(
        _("3c. Anchoring: union"),
        blank=True,
        help_text=_("How are the unions and their members on board?"),
    )
    anchoring_staff = models.TextField(
        _("3d. Anchoring: staff"), blank=True, help_text=_("How are the staff on board?")
    )
    cooperation = models.TextField(
        _("4. How cooperation and involvement are organised"), blank=True
    )
    resources = models.TextField(_("5. Resources: time, money, competence"), blank=True)
    follow_up = models.TextField(_("6. Follow-up during and after"), blank=True)
    facts_needed = models.TextField(
        _("Facts we need first"),
        blank=True,
        help_text=_("E.g. sick leave figures, the working-environment survey, rotas."),
    )
    staff_asked = models.TextField(
        _("How the staff were asked"),
        blank=True,
        help_text=_("E.g. at the staff meeting on 3 March: group work on how to carry it out."),
    )
    responsibilities = models.TextField(_("Who is responsible for what"), blank=True)
    success_criteria = models.TextField(
        _("How we will know it works"),
        blank=True,
        help_text=_("The success criteria the trial is evaluated against."),
    )
    evaluation_on = models.DateField(_("evaluation date"), null=True, blank=True)

    # Trial (R25)
    trial_started_on = models.DateField(_("trial started"), null=True, blank=True)
    trial_ends_on = models.DateField(_("trial planned to end"), null=True, blank=True)
    participants = models.TextField(
        _("who takes part"),
        blank=True,
        help_text=_("Start with those who want to."),
    )
    risk_requested_on = models.DateField(null=True, blank=True, editable=False)
    # Set when the group adjusts and tries again: an earlier risk assessment no longer counts.
    replanned_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    # Evaluation
    findings = models.TextField(_("what happened, against the success criteria"), blank=True)
    assessment = models.TextField(_("the group's assessment"), blank=True)
    evaluated_on = models.DateField(null=True, blank=True)

    # Decision, and the decision line (R29)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("why"), blank=True)
    decided_on = models.DateField(null=True, blank=True)
    referred_to = models.CharField(
        _("referred to the decision line"),
        max_length=200,
        blank=True,
        help_text=_("Where it went for a formal decision, e.g. the administration committee."),
    )
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    line_outcome = models.TextField(_("outcome in the decision line"), blank=True)
    line_outcome_on = models.DateField(_("outcome date"), null=True, blank=True)

    stop_reason = models.TextField(_("why it was stopped"), blank=True)

    # Wins (R28)
    is_win = models.BooleanField(default=False)
    win_story = models.TextField(_("the story of the win"), blank=True)
    win_marked_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["unit", "stage"])]

    def __str__(self):
        return self.title

    @property
    def needs_line_outcome(self) -> bool:
        return bool(self.referred_to) and not self.line_outcome

    @property
    def stage_label(self) -> str:
        """R29: while the decision line decides, the group has only recommended."""
        if self.stage == Stage.DECIDED and self.needs_line_outcome:
            return _("Recommended – waiting for the decision line")
        return self.get_stage_display()

    def days_left_in_trial(self, today: datetime.date | None = None) -> int:
        """Days until the trial's planned end (0 when it has passed or none is planned)."""
        if self.stage != Stage.IN_TRIAL or self.trial_ends_on is None:
            return 0
        return max(0, (self.trial_ends_on - (today or datetime.date.today())).days)

    def evaluation_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or datetime.date.today()
        return (
            self.stage == Stage.IN_TRIAL
            and self.evaluation_on is not None
            and self.evaluation_on < today
        )


class RiskAssessment(models.Model):
    """R26: the HMS risk assessment, by the safety rep or made together with them."""

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="risk")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_safety_rep = models.BooleanField(default=False)
    with_safety_rep = models.CharField(
        _("made together with the safety rep"),
        max_length=160,
        blank=True,
        help_text=_("The safety rep's name, when someone else records it."),
    )
    assessed_on = models.DateField(_("assessed on"))
    recorded_at = models.DateTimeField(auto_now=True)
    summary = models.TextField(_("overall assessment"), blank=True)

    def __str__(self):
        return f"{self.measure}: {self.assessed_on}"


class Risk(models.Model):
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField(_("risk"))
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=Level.choices)
    consequence = models.PositiveSmallIntegerField(_("consequence"), choices=Level.choices)
    mitigation = models.TextField(_("mitigation"), blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description[:60]

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence


class Evidence(models.Model):
    """Evaluation evidence: a text, or an attachment stored in the database (the web processes
    keep no files, so any of them can serve it)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")
    text = models.TextField(_("evidence"), blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self):
        return self.filename or self.text[:60]


class MeasureEvent(models.Model):
    """The timeline: every transition and note, with who, when and a comment."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        STAGE = "stage", _("Stage changed")
        NOTE = "note", _("Note from the trial")
        RISK = "risk", _("Risk assessment recorded")
        EVIDENCE = "evidence", _("Evidence added")
        OUTCOME = "outcome", _("Outcome from the decision line")
        WIN = "win", _("Marked as a win")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    comment = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.measure_id} {self.kind} {self.to_stage}"
