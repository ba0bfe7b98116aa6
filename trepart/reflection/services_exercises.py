"""Writes for reflection exercises (P6). Every write checks permission and runs in a transaction.

Orchestrated here, above meetings and measures (ARCHITECTURE rule 8): an insight from a released
run becomes an agenda item (`meetings.services.agenda_item_propose`) or a measure
(`measures.services.measure_create`) in one step, and the run keeps what came out of it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.accounts.models import User
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
    was expected has submitted, the run is released automatically.

    Once submitted there is no draft any more: a later save replaces the submitted answer (it is
    what the group sees at release, R17), whatever `submit` says, so a "draft" can never silently
    become the shown answer. After release nothing changes (refused).
    """
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
    with transaction.atomic():
        run = ExerciseRun.objects.select_for_update().get(pk=run.pk)
        if run.is_released:
            raise ValidationError(
                _("The answers have been released; answers can no longer change.")
            )
        if ExerciseAnswer.objects.filter(
            run=run, person=actor, submitted_at__isnull=False
        ).exists():
            submit = True  # a submitted answer has no draft state: this replaces it
        if submit and not cleaned:
            raise ValidationError(_("Write at least one answer before you submit."))
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


def release_complete_runs(*, unit_ids=None, today: datetime.date | None = None) -> int:
    """Release the waiting runs that are complete on `today` (the local date by default): at
    least one answer is submitted and nobody expected who is still in the party group (R4) is
    missing. Catches runs whose last missing member left the group (R5: the role ended), which
    no submit notices. `unit_ids` limits it to some units (None: every unit).

    Four queries when nothing is due (runs, expected, submitted answers, group), whatever the
    number of runs; one more update when some are. Returns how many runs were released.
    """
    today = today or timezone.localdate()
    runs = ExerciseRun.objects.filter(released_at__isnull=True)
    if unit_ids is not None:
        runs = runs.filter(unit_id__in=list(unit_ids))
    submitted = ExerciseAnswer.objects.filter(submitted_at__isnull=False).only(
        "id", "run_id", "person_id"
    )
    runs = list(
        runs.only("id", "unit_id").prefetch_related(
            Prefetch("expected", queryset=User.objects.only("id")),
            Prefetch("answers", queryset=submitted, to_attr="submitted_answers"),
        )
    )
    if not runs:
        return 0
    groups: dict[int, set[int]] = defaultdict(set)
    for unit_id, person_id in (
        RoleAssignment.objects.current(on=today)
        .filter(unit_id__in={r.unit_id for r in runs}, role__in=PARTY_GROUP_ROLES)
        .values_list("unit_id", "person_id")
    ):
        groups[unit_id].add(person_id)
    complete = []
    for run in runs:
        answered = {a.person_id for a in run.submitted_answers}
        expected = {p.pk for p in run.expected.all()}
        if answered and not (expected & groups[run.unit_id]) - answered:
            complete.append(run.pk)
    if not complete:
        return 0
    # Conditional update: a run released meanwhile (early, or by a last answer) stays as it is.
    return ExerciseRun.objects.filter(pk__in=complete, released_at__isnull=True).update(
        released_at=timezone.now(), release_kind=ExerciseRun.Release.ALL_ANSWERED
    )


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
