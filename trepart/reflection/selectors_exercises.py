"""Reads for reflection exercises (P6). Each function keeps a fixed number of queries.

Privacy before release is decided here, once: `answers_readable_by()` is the only road to
answer texts, and before release it yields the reader's own answer and nothing else, whoever
the reader is (the starter, the unit leader, an administrator).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.utils import timezone

from trepart.accounts.models import User
from trepart.meetings.models import Meeting
from trepart.organisation.models import PARTY_GROUP_ROLES, RoleAssignment
from trepart.organisation.permissions import (
    current_roles,
    party_group_unit_ids,
    unit_ids_with_any_role,
)
from trepart.reflection import catalogue_exercises as catalogue
from trepart.reflection import permissions_exercises as permissions
from trepart.reflection.models import ExerciseAnswer, ExerciseOutcome, ExerciseRun


def run_for(user, pk) -> ExerciseRun:
    """A run of the user's municipality that they may view: 404 outside the municipality and for
    those without a role at the unit (another unit's private thing: its existence is not
    told, issue 15), 403 for the unit's own people who may not see it."""
    if not user.is_authenticated or not user.municipality_id:
        raise PermissionDenied
    run = (
        ExerciseRun.objects.filter(municipality_id=user.municipality_id, pk=pk)
        .select_related("unit", "started_by", "released_by")
        .first()
    )
    if run is None:
        raise Http404
    if not permissions.can_view_run(user, run):
        if run.unit_id not in unit_ids_with_any_role(user):
            raise Http404
        raise PermissionDenied
    return run


def answers_readable_by(user, run: ExerciseRun):
    """The answers this person may read: every submitted answer after release; before release
    only their own (a draft too). Nobody reads another member's answer before release."""
    qs = ExerciseAnswer.objects.filter(run=run).select_related("person")
    if permissions.can_see_answers(user, run):
        return qs.filter(submitted_at__isnull=False)
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(person_id=user.pk)


def waiting_for_ids(run: ExerciseRun, group_ids: set[int]) -> set[int]:
    """Who is still expected to answer: the group at the start who are still in it, minus
    those who have submitted."""
    expected = set(run.expected.values_list("pk", flat=True))
    submitted = set(
        run.answers.filter(submitted_at__isnull=False).values_list("person_id", flat=True)
    )
    return (expected & group_ids) - submitted


def _group_ids(unit) -> set[int]:
    return set(
        RoleAssignment.objects.current()
        .filter(municipality_id=unit.municipality_id, unit=unit, role__in=PARTY_GROUP_ROLES)
        .values_list("person_id", flat=True)
    )


def next_meeting(unit) -> Meeting | None:
    """The party group's next planned meeting whose agenda is still open."""
    return (
        Meeting.objects.filter(
            municipality_id=unit.municipality_id,
            unit=unit,
            status=Meeting.Status.PLANNED,
            starts_at__gte=timezone.now(),
        )
        .exclude(minutes_status=Meeting.MinutesStatus.PUBLISHED)
        .order_by("starts_at")
        .first()
    )


def unit_runs(user, unit) -> dict:
    """The unit's runs, running first, with "n of m have answered" counted as on the run page
    (the group at the start who are still in it, and anyone else who answered) and whether the
    reader has answered. Four queries, whatever the number of runs and answers."""
    group_ids = _group_ids(unit)
    submitted = ExerciseAnswer.objects.filter(submitted_at__isnull=False).only(
        "id", "run_id", "person_id"
    )
    runs = list(
        permissions.exercise_runs_visible_to(user)
        .filter(unit=unit)
        .select_related("started_by")
        .prefetch_related(
            Prefetch("expected", queryset=User.objects.only("id")),
            Prefetch("answers", queryset=submitted, to_attr="submitted_answers"),
        )
        .order_by("-started_at", "-id")
    )
    for run in runs:
        run.exercise_info = catalogue.get(run.exercise)
        answered = {a.person_id for a in run.submitted_answers}
        waiting = {p.pk for p in run.expected.all() if p.pk in group_ids} - answered
        run.answered_count = len(answered)
        run.expected_count = len(answered) + len(waiting)
        run.answered_by_me = user.pk in answered
    return {
        "running": [r for r in runs if not r.is_released],
        "released": [r for r in runs if r.is_released],
    }


def run_detail(user, run: ExerciseRun) -> dict:
    """Everything the run page shows. Answer texts only through `answers_readable_by`."""
    exercise = catalogue.get(run.exercise)
    group_ids = _group_ids(run.unit)
    expected = list(run.expected.all().order_by("full_name"))
    statuses = list(
        ExerciseAnswer.objects.filter(run=run)
        .select_related("person")
        .only("id", "person__id", "person__full_name", "role", "submitted_at", "run_id")
    )
    submitted = [a for a in statuses if a.submitted_at]
    submitted_ids = {a.person_id for a in submitted}
    waiting = [p for p in expected if p.pk in group_ids and p.pk not in submitted_ids]
    answered = sorted((a.person for a in submitted), key=lambda p: p.full_name)
    readable = list(answers_readable_by(user, run))
    own = next((a for a in readable if a.person_id == user.pk), None)
    released = run.is_released and permissions.can_see_answers(user, run)
    kind = catalogue.KIND_OF_ROLE.get(_role_of(user, run)) if user.is_authenticated else None
    return {
        "run": run,
        "exercise": exercise,
        "answered": answered,
        "waiting": waiting,
        "answered_count": len(answered),
        "total_count": len(answered) + len(waiting),
        "own": own,
        "own_submitted": bool(own and own.submitted_at),
        "own_questions": _own_questions(exercise, kind, own) if own else [],
        "blocks": _side_by_side(exercise, readable) if released else [],
        "outcomes": list(
            ExerciseOutcome.objects.filter(run=run).select_related(
                "agenda_item", "agenda_item__meeting", "measure"
            )
        )
        if run.is_released
        else [],
        "can_answer": permissions.can_answer(user, run),
        "can_release": permissions.can_release(user, run),
        "can_turn_into": permissions.can_turn_into(user, run),
        "next_meeting": next_meeting(run.unit) if permissions.can_turn_into(user, run) else None,
    }


def _role_of(user, run) -> str:
    roles = {a.role for a in current_roles(user) if a.unit_id == run.unit_id}
    return next((r for r in catalogue.ROLE_PRECEDENCE if r in roles), "")


def _own_questions(exercise, kind, answer) -> list[dict]:
    answer_kind = catalogue.KIND_OF_ROLE.get(answer.role, kind)
    return [
        {"key": key, "text": text, "answer": answer.answers.get(key, "")}
        for key, text, _help in exercise.questions_for(answer_kind)
    ]


def _side_by_side(exercise, answers) -> list[dict]:
    """One block per question; inside it one column per role kind (R18: see the whole)."""
    kinds_present = {catalogue.KIND_OF_ROLE.get(a.role) for a in answers}
    blocks = []
    for block in exercise.blocks:
        columns = []
        for kind in catalogue.ROLE_KINDS:
            if kind not in kinds_present:
                continue
            entries = [
                {"person": a.person, "role": a.get_role_display(), "text": a.answers.get(block.key)}
                for a in sorted(answers, key=lambda a: a.person.full_name)
                if catalogue.KIND_OF_ROLE.get(a.role) == kind
            ]
            columns.append(
                {
                    "kind": kind,
                    "label": catalogue.ROLE_KIND_LABELS[kind],
                    "question": block.by_role.get(kind, ""),
                    "entries": entries,
                }
            )
        blocks.append(
            {"key": block.key, "label": block.label, "text": block.text, "columns": columns}
        )
    return blocks


def waiting_for_me(user) -> list[ExerciseRun]:
    """Runs in the person's party groups that wait for their answer (for the home page)."""
    unit_ids = party_group_unit_ids(user)
    if not unit_ids:
        return []
    mine = ExerciseAnswer.objects.filter(
        run=OuterRef("pk"), person_id=user.pk, submitted_at__isnull=False
    )
    runs = list(
        ExerciseRun.objects.filter(
            municipality_id=user.municipality_id,
            unit_id__in=unit_ids,
            released_at__isnull=True,
        )
        .annotate(done=Exists(mine))
        .filter(done=False)
        .select_related("unit")
        .order_by("started_at")[:10]
    )
    for run in runs:
        run.exercise_info = catalogue.get(run.exercise)
    return runs
