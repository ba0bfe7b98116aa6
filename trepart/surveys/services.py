"""Writing survey answers (P7).

`response_submit` is the one place answers are stored. It keeps *that* a person answered
(`Respondent`) apart from *what* they answered (`Response`, `Answer`): the two rows share no key,
no sequence and no time finer than the date (see trepart.surveys.models).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.surveys.models import Answer, Question, Respondent, Response, Survey

TEXT_MAX = 2000
LIKERT = range(1, 6)


def is_open(survey: Survey, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        survey.status == Survey.Status.OPEN
        and (survey.opens_on is None or survey.opens_on <= today)
        and (survey.closes_on is None or today <= survey.closes_on)
    )


def has_ended(survey: Survey, today: datetime.date | None = None) -> bool:
    """Closed, or past its closing date: no more answers can come in, so its results are final
    and may be shown (P7; see docs/decisions/0006-survey-anonymity.md)."""
    today = today or timezone.localdate()
    return survey.status == Survey.Status.CLOSED or (
        survey.closes_on is not None and survey.closes_on < today
    )


def clean_answers(survey: Survey, raw: dict, questions=None) -> dict[int, tuple[int | None, str]]:
    """Check raw answers ({question id: value}) against the questions.

    Likert: 1–5; choice: the index of a choice; text: at most TEXT_MAX characters. Unknown
    question ids are ignored. Raises ValidationError({"q<id>": message}) naming each question
    refused, so the form can show the error next to it.
    """
    questions = list(questions if questions is not None else survey.questions.all())
    errors: dict[str, str] = {}
    cleaned: dict[int, tuple[int | None, str]] = {}
    for q in questions:
        value = raw.get(q.pk, raw.get(str(q.pk)))
        value = "" if value is None else str(value).strip()
        if value == "":
            if q.required:
                errors[f"q{q.pk}"] = _("Please answer this question.")
            continue
        if q.kind == Question.Kind.TEXT:
            if len(value) > TEXT_MAX:
                errors[f"q{q.pk}"] = _("Please keep the answer under %(n)s characters.") % {
                    "n": TEXT_MAX
                }
                continue
            cleaned[q.pk] = (None, value)
            continue
        try:
            number = int(value)
        except ValueError:
            number = None
        allowed = LIKERT if q.kind == Question.Kind.LIKERT else range(len(q.choices or []))
        if number is None or number not in allowed:
            errors[f"q{q.pk}"] = _("Choose one of the options.")
            continue
        cleaned[q.pk] = (number, "")
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(_("Answer at least one question before sending."))
    return cleaned


def response_submit(
    *,
    survey: Survey,
    answers: dict,
    person=None,
    unit=None,
    today: datetime.date | None = None,
) -> Response:
    """Store one answer to a survey.

    Surveys for people who log in (staff, party group) take one answer per person: the
    `Respondent` row (person + date) makes a second answer fail, whatever the order of
    requests. Anonymous-link surveys store no person at all. Raises ValidationError.
    """
    today = today or timezone.localdate()
    if not is_open(survey, today):
        raise ValidationError(_("This survey is not open for answers."))
    needs_person = survey.audience != Survey.Audience.ANONYMOUS_LINK
    if needs_person and person is None:
        raise ValidationError(_("Log in to answer this survey."))
    cleaned = clean_answers(survey, answers)
    try:
        with transaction.atomic():
            if needs_person:
                Respondent.objects.create(survey=survey, person=person, answered_on=today)
            response = Response.objects.create(survey=survey, submitted_on=today, unit=unit)
            Answer.objects.bulk_create(
                Answer(response=response, question_id=qid, value=value, text=text)
                for qid, (value, text) in cleaned.items()
            )
    except IntegrityError as exc:
        raise ValidationError(_("You have already answered this survey. Thank you!")) from exc
    return response


def has_answered(survey: Survey, person) -> bool:
    return (
        person is not None
        and person.is_authenticated
        and Respondent.objects.filter(survey=survey, person=person).exists()
    )
