"""Reflection exercises (R17, R18, R22, R33, R34).

A party group runs an exercise from the catalogue (`catalogue_exercises`). Each member answers
privately; nobody sees the others' answers until the run is released, when everyone expected
has answered or the chair releases it early. Then the answers are shown side by side by role.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trepart.organisation.models import Municipality, Role, Unit
from trepart.reflection import catalogue_exercises as catalogue

__all__ = ["ExerciseRun", "ExerciseAnswer", "ExerciseOutcome"]


class ExerciseRun(models.Model):
    """One exercise run in a unit's party group."""

    class Release(models.TextChoices):
        ALL_ANSWERED = "all_answered", _("Everyone has answered")
        EARLY = "early", _("Released early")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="exercise_runs"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="exercise_runs", verbose_name=_("unit")
    )
    # A key of catalogue_exercises.EXERCISES (no choices here: the texts live in the catalogue).
    exercise = models.CharField(_("exercise"), max_length=32)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    # The party group when the run started: "everyone has answered" means these people
    # (those who have since left the group are not waited for).
    expected = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("expected to answer")
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    release_kind = models.CharField(max_length=16, choices=Release.choices, blank=True)

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["municipality", "unit", "released_at"])]

    def __str__(self):
        exercise = catalogue.get(self.exercise)
        return f"{exercise.title if exercise else self.exercise} ({self.unit_id})"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class ExerciseAnswer(models.Model):
    """A member's answers to one run. Private until the run is released."""

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The role the person answered in (their party-group role at the unit at the time).
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)  # empty: a draft
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exercise answer")
        verbose_name_plural = _("exercise answers")
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="exercise_answer_once")
        ]

    def __str__(self):
        return f"{self.run_id}/{self.person_id}"


class ExerciseOutcome(models.Model):
    """An insight from a released run that became an agenda item or a measure."""

    class Target(models.TextChoices):
        AGENDA = "agenda", _("An item on the next meeting's agenda")
        MEASURE = "measure", _("A measure to plan and try out")

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="outcomes")
    target = models.CharField(max_length=10, choices=Target.choices)
    title = models.CharField(_("title"), max_length=160)
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title
