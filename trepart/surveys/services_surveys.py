"""Making and running staff surveys (P7; R11, R17, R22, R25). All writes of the surveys part
except the answers themselves, which go through `services.response_submit`.

Questions cannot change once the first answer is in: every answer must have been given to the
same questions, or the results would mix two surveys.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.measures.models import Stage
from trepart.surveys import permissions
from trepart.surveys.models import MIN_THRESHOLD, Question, Survey, SurveySettings
from trepart.surveys.services import has_ended
from trepart.surveys.thresholds import enough, survey_threshold

TEMPLATE_KINDS = (
    Survey.Kind.WORK_ON,
    Survey.Kind.TRIAL_EVALUATION,
    Survey.Kind.STAFF_PULSE,
    Survey.Kind.OTHER,
)
EVALUATION_STAGES = (Stage.IN_TRIAL, Stage.EVALUATED)
MAX_QUESTIONS = 30
MAX_CHOICES = 12


def likert_labels() -> list[str]:
    return [
        _("Strongly disagree"),
        _("Disagree"),
        _("Neither agree nor disagree"),
        _("Agree"),
        _("Strongly agree"),
    ]


def template_questions(kind: str, measure=None) -> list[dict]:
    """The preset questions of a template, in the active language."""
    likert, choice, text = Question.Kind.LIKERT, Question.Kind.CHOICE, Question.Kind.TEXT
    if kind == Survey.Kind.WORK_ON:  # R17: ask all staff what the group should work on
        return [
            {
                "kind": choice,
                "text": _("What should the party group work on first?"),
                "choices": [
                    _("The working environment and the working day"),
                    _("Work processes and routines"),
                    _("Rotas and working hours"),
                    _("Competence and training"),
                    _("Information and cooperation"),
                    _("Something else"),
                ],
            },
            {"kind": text, "text": _("What should the party group work on? Say it in your words.")},
            {"kind": text, "text": _("What works well here that we should keep?")},
        ]
    if kind == Survey.Kind.TRIAL_EVALUATION:  # R25: evaluate against the success criteria
        return [
            {"kind": likert, "text": _("The trial has reached what we wanted (see above).")},
            {"kind": likert, "text": _("The trial has made my working day better.")},
            {"kind": likert, "text": _("We were told enough about the trial along the way.")},
            {
                "kind": choice,
                "text": _("What should we do now?"),
                "choices": [
                    _("Keep it"),
                    _("Adjust it and try again"),
                    _("Go back to how it was"),
                ],
            },
            {"kind": text, "text": _("What has worked, and what has not?")},
        ]
    if kind == Survey.Kind.STAFF_PULSE:  # R11, R22: "how are things with us?"
        return [
            {"kind": likert, "text": _("I am doing well at work these days.")},
            {"kind": likert, "text": _("We deliver good services to those we are here for.")},
            {"kind": likert, "text": _("I know how to bring an issue to the party group.")},
            {"kind": likert, "text": _("Issues that staff bring up get an answer.")},
            {"kind": text, "text": _("What should we talk about at the next staff meeting?")},
        ]
    return []


def template_title(kind: str, measure=None) -> str:
    if kind == Survey.Kind.TRIAL_EVALUATION and measure is not None:
        return (_("Evaluation: %(title)s") % {"title": measure.title})[:160]
    if kind == Survey.Kind.OTHER:
        return _("New survey")
    return str(Survey.Kind(kind).label)


def template_intro(kind: str, measure=None) -> str:
    if kind == Survey.Kind.TRIAL_EVALUATION and measure is not None:
        intro = _("We have tried this: %(title)s. Tell us how it has gone.") % {
            "title": measure.title
        }
        if measure.success_criteria:
            intro += "\n\n" + _("How we said we would know it works: %(criteria)s") % {
                "criteria": measure.success_criteria
            }
        return intro
    if kind == Survey.Kind.WORK_ON:
        return _(
            "The leader, the union reps and the safety rep want to know what you think they "
            "should work on together. Your answer is anonymous."
        )
    if kind == Survey.Kind.STAFF_PULSE:
        return _("A short check on how things are at work. Your answer is anonymous.")
    return ""


def _check_can_run(actor, survey: Survey) -> None:
    if not permissions.can_run(actor, survey):
        raise PermissionDenied


def survey_create(*, actor, kind: str, unit=None, measure=None, audience: str) -> Survey:
    """A new draft survey from a template, for a unit (its party group) or the whole
    municipality (admin, administration). A trial evaluation belongs to a measure of the unit
    in trial or evaluation (R25)."""
    if kind not in TEMPLATE_KINDS:
        raise ValidationError({"kind": _("Choose a kind of survey.")})
    if audience not in (Survey.Audience.ANONYMOUS_LINK, Survey.Audience.STAFF):
        raise ValidationError({"audience": _("Choose who answers.")})
    if kind == Survey.Kind.TRIAL_EVALUATION:
        if measure is None or measure.stage not in EVALUATION_STAGES:
            raise ValidationError(
                {"measure": _("Choose a trial that is running or being evaluated.")}
            )
        unit = measure.unit
    else:
        measure = None
    draft = Survey(
        municipality_id=actor.municipality_id,
        unit=unit,
        measure=measure,
        kind=kind,
        audience=audience,
        created_by=actor,
    )
    _check_can_run(actor, draft)
    if unit is not None and unit.municipality_id != actor.municipality_id:
        raise PermissionDenied
    with transaction.atomic():
        draft.title = template_title(kind, measure)[:160]
        draft.intro = template_intro(kind, measure)
        draft.save()
        Question.objects.bulk_create(
            Question(
                survey=draft,
                order=i,
                kind=q["kind"],
                text=q["text"],
                choices=q.get("choices", []),
            )
            for i, q in enumerate(template_questions(kind, measure))
        )
    return draft


def survey_update(
    *, actor, survey: Survey, title: str, intro: str, audience: str, opens_on, closes_on
) -> Survey:
    _check_can_run(actor, survey)
    if survey.status == Survey.Status.CLOSED:
        raise ValidationError(_("A closed survey cannot be changed."))
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": _("The survey must close after it opens.")})
    _check_closing_date_kept(survey, closes_on)
    if audience != survey.audience and survey.responses.exists():
        raise ValidationError(
            {"audience": _("Who answers cannot change after the first answer has come in.")}
        )
    survey.title, survey.intro, survey.audience = title, intro, audience
    survey.opens_on, survey.closes_on = opens_on, closes_on
    survey.save(update_fields=["title", "intro", "audience", "opens_on", "closes_on"])
    return survey


def _check_closing_date_kept(survey: Survey, closes_on) -> None:
    """P7: once the closing date has passed with enough answers, the results have been shown;
    opening the survey again by moving the date would let a reader compare them with the
    results after a few more answers. (See docs/decisions/0006-survey-anonymity.md.)"""
    today = timezone.localdate()
    if survey.status != Survey.Status.OPEN or not has_ended(survey, today):
        return
    if closes_on is not None and closes_on < today:
        return  # still over: nothing more can come in
    if enough(survey.responses.count(), survey_threshold(survey)):
        raise ValidationError(
            {
                "closes_on": _(
                    "The closing date has passed and the results are shown, so it can no "
                    "longer be moved. Make a new survey to ask again."
                )
            }
        )


def questions_locked(survey: Survey) -> bool:
    return survey.status == Survey.Status.CLOSED or survey.responses.exists()


def _check_questions_editable(actor, survey: Survey) -> None:
    _check_can_run(actor, survey)
    if questions_locked(survey):
        raise ValidationError(_("The questions cannot change after the first answer has come in."))


def _clean_choices(kind: str, choices: list[str]) -> list[str]:
    if kind not in Question.Kind.values:  # the form offers only these; other callers too
        raise ValidationError({"kind": _("Choose what kind of question it is.")})
    if kind != Question.Kind.CHOICE:
        return []
    choices = [c.strip()[:120] for c in choices if c.strip()]
    if len(choices) < 2:
        raise ValidationError({"choices": _("Write at least two choices, one on each line.")})
    if len(choices) > MAX_CHOICES:
        raise ValidationError({"choices": _("Write at most %(n)s choices.") % {"n": MAX_CHOICES}})
    return choices


def question_add(*, actor, survey: Survey, kind: str, text: str, choices: list[str]) -> Question:
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _check_questions_editable(actor, survey)
        if survey.questions.count() >= MAX_QUESTIONS:
            raise ValidationError(_("A survey has at most %(n)s questions.") % {"n": MAX_QUESTIONS})
        last = survey.questions.order_by("-order").values_list("order", flat=True).first()
        return Question.objects.create(
            survey=survey,
            order=(last or 0) + 1,
            kind=kind,
            text=text.strip(),
            choices=_clean_choices(kind, choices),
        )


def question_update(*, actor, question: Question, kind: str, text: str, choices: list[str]):
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.survey_id)
        _check_questions_editable(actor, survey)
        question.kind, question.text = kind, text.strip()
        question.choices = _clean_choices(kind, choices)
        question.save(update_fields=["kind", "text", "choices"])
    return question


def question_delete(*, actor, question: Question) -> None:
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.survey_id)
        _check_questions_editable(actor, survey)
        question.delete()


def survey_open(*, actor, survey: Survey) -> Survey:
    _check_can_run(actor, survey)
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Only a draft can be opened."))
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    survey.status = Survey.Status.OPEN
    survey.save(update_fields=["status"])
    return survey


def survey_close(*, actor, survey: Survey) -> Survey:
    _check_can_run(actor, survey)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    return survey


def settings_update(*, actor, municipality, threshold: int) -> SurveySettings:
    """P7: the municipality's threshold, never below the floor of 3 (KS practice)."""
    if not permissions.can_change_settings(actor) or municipality.pk != actor.municipality_id:
        raise PermissionDenied
    if threshold < MIN_THRESHOLD:
        raise ValidationError(
            {"threshold": _("The threshold can never be lower than %(n)s.") % {"n": MIN_THRESHOLD}}
        )
    row, _created = SurveySettings.objects.get_or_create(municipality=municipality)
    row.threshold = threshold
    row.full_clean()
    row.save(update_fields=["threshold"])
    return row
