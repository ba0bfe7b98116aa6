"""Writes of the cooperation pulse (P6; R33–R35): opening a period's pulse, starting one by
hand, closing ended ones, and a member's answer (through `services.response_submit`, the one
place answers are stored)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trepart.organisation.models import PARTY_GROUP_ROLES, RoleAssignment, Unit
from trepart.surveys import pulse
from trepart.surveys.models import Question, Response, Survey
from trepart.surveys.services import response_submit


def _language(unit) -> str:
    return unit.municipality.default_language or "nb"


def pulse_open(
    unit, period: pulse.Period, *, created_by=None, today: datetime.date | None = None
) -> tuple[Survey, bool]:
    """Open the unit's party group's pulse for `period`: (survey, created).

    Idempotent: one pulse per unit and period (the database's unique constraint decides when
    two requests race). The title and questions are stored in the municipality's language; the
    pages show the questions in the reader's language by their `key`.
    """
    today = today or timezone.localdate()
    existing = Survey.objects.filter(unit=unit, kind=pulse.KIND, period=period.key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            with translation.override(_language(unit)):
                survey = Survey.objects.create(
                    municipality_id=unit.municipality_id,
                    unit=unit,
                    kind=pulse.KIND,
                    audience=Survey.Audience.PARTY_GROUP,
                    title=_("Cooperation pulse %(period)s") % {"period": period.label},
                    status=Survey.Status.OPEN,
                    opens_on=min(today, period.end),
                    closes_on=period.end,
                    period=period.key,
                    created_by=created_by,
                )
                questions = [
                    Question(
                        survey=survey,
                        order=i,
                        kind=Question.Kind.LIKERT,
                        text=str(pulse.STATEMENTS[key]),
                        key=key,
                        required=True,
                    )
                    for i, key in enumerate(pulse.KEYS)
                ]
                questions.append(
                    Question(
                        survey=survey,
                        order=len(pulse.KEYS),
                        kind=Question.Kind.TEXT,
                        text=str(pulse.IMPROVE_TEXT),
                        key=pulse.IMPROVE_KEY,
                        required=False,
                    )
                )
                Question.objects.bulk_create(questions)
    except IntegrityError:
        return Survey.objects.get(unit=unit, kind=pulse.KIND, period=period.key), False
    return survey, True


def units_with_party_group(day: datetime.date):
    """Units where at least one party-group role is held on `day` (R4)."""
    unit_ids = (
        RoleAssignment.objects.current(day)
        .filter(role__in=PARTY_GROUP_ROLES, unit__isnull=False)
        .values("unit_id")
    )
    return Unit.objects.filter(pk__in=unit_ids).select_related("municipality")


def pulses_close_ended(day: datetime.date) -> int:
    """A pulse closes at the end of its period."""
    return Survey.objects.filter(
        kind=pulse.KIND, status=Survey.Status.OPEN, closes_on__lt=day
    ).update(status=Survey.Status.CLOSED)


def pulses_open_due(day: datetime.date) -> list[Survey]:
    """The daily job: every unit with a party group gets the current period's pulse (once).
    Returns the pulses opened now (their members are told)."""
    every: dict[int, int] = {}
    opened = []
    for unit in units_with_party_group(day):
        if unit.municipality_id not in every:
            every[unit.municipality_id] = pulse.every_months(unit.municipality_id)
        period = pulse.period_for(day, every[unit.municipality_id])
        survey, created = pulse_open(unit, period, today=day)
        if created:
            opened.append(survey)
    return opened


def open_pulse_for(unit, today: datetime.date | None = None) -> Survey | None:
    """The pulse of the unit's group that takes answers today, if any."""
    today = today or timezone.localdate()
    return (
        Survey.objects.filter(
            unit=unit,
            kind=pulse.KIND,
            status=Survey.Status.OPEN,
            closes_on__gte=today,
        )
        .filter(opens_on__lte=today)
        .order_by("-opens_on", "-id")
        .first()
    )


def pulse_start(user, unit, today: datetime.date | None = None) -> Survey:
    """A group member starts the current period's pulse by hand when none is open (the daily
    job would open it anyway). The group's members are told by e-mail."""
    today = today or timezone.localdate()
    if not pulse.can_start_pulse(user, unit):
        raise PermissionDenied
    period = pulse.period_for(today, pulse.every_months(unit.municipality_id))
    survey, created = pulse_open(unit, period, created_by=user, today=today)
    if not created:
        raise ValidationError(_("This period's pulse has already been started."))
    from trepart.surveys import tasks_pulse

    survey_id = survey.pk
    transaction.on_commit(lambda: tasks_pulse.notify_pulse_opened.enqueue(survey_id))
    return survey


def pulse_answer(
    user, survey: Survey, answers: dict, today: datetime.date | None = None
) -> Response:
    """A member of the group answers its pulse once (response_submit keeps who apart from
    what, and refuses a second answer)."""
    if survey.kind != pulse.KIND or survey.unit_id is None:
        raise PermissionDenied
    if not pulse.can_answer_pulse(user, survey.unit):
        raise PermissionDenied
    return response_submit(survey=survey, answers=answers, person=user, today=today)
