"""Writes for reflection exercises (P6). Every write checks permission and runs in a transaction.

Orchestrated here, above meetings and measures (ARCHITECTURE rule 8): an insight from a released
run becomes an agenda item (`meetings.services.agenda_item_propose`) or a measure
(`measures.services.measure_create`) in one step, and the run keeps what came out of it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.measures import services as measure_services
from trepart.meetings import services as meeting_services
from trepart.organisation.models import PARTY_GROUP_ROLES, RoleAssignment
from trepart.organisation.permissions import current_roles
from trepart.reflection import catalogue_exercises as catalogue
from trepart.reflection import permissions_exercises as permissions
from trepart.reflection import selectors_exercises as selectors
from trepart.reflection.models import ExerciseAnswer, ExerciseOutcome, ExerciseRun

ANSWER_MAX = 4000


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def member_role(user, unit) -> str:
    """The person's party-group role at the unit today (R4), by ROLE_PRECEDENCE; "" if none."""
    roles = {a.role for a in current_roles(user) if a.unit_id == unit.pk}
    return next((r for r in catalogue.ROLE_PRECEDENCE if r in roles), "")


def group_member_ids(unit) -> set[int]:
    """The unit's current party group (R4)."""
    return set(
        RoleAssignment.objects.current()
        .filter(municipality_id=unit.municipality_id, unit=unit, role__in=PARTY_GROUP_ROLES)
        .values_list("person_id", flat=True)
    )


def run_start(*, actor, unit, exercise: str, note: str = "") -> ExerciseRun:
    """A party-group member starts an exercise; the group at this moment is expected to answer."""
    _require(permissions.can_start(actor, unit))
    if catalogue.get(exercise) is None:
        raise ValidationError({"exercise": _("Choose one of the exercises.")})
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    with transaction.atomic():
        if ExerciseRun.objects.filter(
            unit=unit, exercise=exercise, released_at__isnull=True
        ).exists():
            raise ValidationError(
                {
                    "exercise": _(
                        "This exercise is already running in your group. Answer it or release "
                        "it before you start it again."
                    )
                }
            )
        run = ExerciseRun.objects.create(
            municipality_id=unit.municipality_id,
            unit=unit,
            exercise=exercise,
            note=note,
            started_by=actor,
        )
        run.expected.set(group_member_ids(unit))
    return run


def answer_save(*, actor, run: ExerciseRun, answers: dict, submit: bool) -> ExerciseAnswer:
    """Save a member's own answers, as a draft or submitted. When everyone still in the group who
    was expected has submitted, the run is released automatically."""
    _require(permissions.can_answer(actor, run))
    exercise = catalogue.get(run.exercise)
    role = member_role(actor, run.unit)
    kind = catalogue.KIND_OF_ROLE.get(role)
    keys = [key for key, _text, _help in exercise.questions_for(kind)]
    cleaned = {}
    errors = {}
    for key in keys:
        text = (answers.get(key) or "").strip()
        if len(text) > ANSWER_MAX:
            errors[key] = _("Keep the answer under 4,000 characters.")
        if text:
            cleaned[key] = text[:ANSWER_MAX]
    if errors:
        raise ValidationError(errors)
    if submit and not cleaned:
        raise ValidationError(_("Write at least one answer before you submit."))
    with transaction.atomic():
        run = ExerciseRun.objects.select_for_update().get(pk=run.pk)
        if run.is_released:
            raise ValidationError(
                _("The answers have been released; answers can no longer change.")
            )
        answer, _created = ExerciseAnswer.objects.update_or_create(
            run=run,
            person=actor,
            defaults={
                "role": role,
                "answers": cleaned,
                **({"submitted_at": timezone.now()} if submit else {}),
            },
        )
        if submit:
            _release_if_complete(run)
    return answer


def _release_if_complete(run: ExerciseRun) -> bool:
    waiting = selectors.waiting_for_ids(run, group_member_ids(run.unit))
    if waiting:
        return False
    run.released_at = timezone.now()
    run.release_kind = ExerciseRun.Release.ALL_ANSWERED
    run.save(update_fields=["released_at", "release_kind"])
    return True


def run_release(*, actor, run: ExerciseRun) -> ExerciseRun:
    """The chair (the unit leader or the starter) releases the answers before everyone has
    answered."""
    _require(permissions.can_release(actor, run))
    with transaction.atomic():
        run = ExerciseRun.objects.select_for_update().get(pk=run.pk)
        if run.is_released:
            return run
        if not run.answers.filter(submitted_at__isnull=False).exists():
            raise ValidationError(_("Nobody has answered yet, so there is nothing to show."))
        run.released_at = timezone.now()
        run.released_by = actor
        run.release_kind = ExerciseRun.Release.EARLY
        run.save(update_fields=["released_at", "released_by", "release_kind"])
    return run


def insight_turn(*, actor, run: ExerciseRun, target: str, title: str, note: str = ""):
    """Turn an insight into an agenda item on the group's next planned meeting, or a measure.

    Returns the ExerciseOutcome. The meetings and measures services check their own rules
    (R13, R14: out-of-scope topics are refused there)."""
    _require(permissions.can_turn_into(actor, run))
    title = (title or "").strip()
    note = (note or "").strip()
    if not title:
        raise ValidationError({"title": _("Write the insight in a few words.")})
    if len(title) > 160:
        raise ValidationError({"title": _("Keep the title under 160 characters.")})
    exercise = catalogue.get(run.exercise)
    source = _("From the exercise “%(title)s”.") % {"title": exercise.title}
    text = f"{note}\n\n{source}" if note else source
    with transaction.atomic():
        if target == ExerciseOutcome.Target.AGENDA:
            meeting = selectors.next_meeting(run.unit)
            if meeting is None:
                raise ValidationError(
                    {
                        "target": _(
                            "Your group has no planned meeting yet. Plan one first, or make it "
                            "a measure."
                        )
                    }
                )
            item = meeting_services.agenda_item_propose(
                actor=actor, meeting=meeting, title=title, description=text
            )
            return ExerciseOutcome.objects.create(
                run=run, target=target, title=title, agenda_item=item, created_by=actor
            )
        if target == ExerciseOutcome.Target.MEASURE:
            measure = measure_services.measure_create(
                actor=actor, unit=run.unit, title=title, problem=text
            )
            return ExerciseOutcome.objects.create(
                run=run, target=target, title=title, measure=measure, created_by=actor
            )
    raise ValidationError({"target": _("Choose where the insight should go.")})
