"""Who may see and do what with reflection exercises (P6, R17, R18, R33, R34).

- A unit's current party-group members start exercises, answer them (each their own answers
  only) and turn insights from a released run into an agenda item or a measure.
- The unit's party group and the municipal administrators see the unit's list of runs and, once
  released, the answers side by side. Before release NOBODY sees anyone else's answers: not the
  starter, not the unit leader, not an administrator; only who has answered.
- The unit leader, or the member who started the run, may release it early.
- Employees at the unit: 403. Another municipality: 404.
"""

from __future__ import annotations

from django.db.models import Q

from trepart.organisation.models import Role
from trepart.organisation.permissions import current_roles, is_admin, party_group_unit_ids
from trepart.reflection.models import ExerciseRun


def is_group_member(user, unit) -> bool:
    """A current member of the unit's party group (R4)."""
    return (
        user.is_authenticated
        and user.municipality_id == unit.municipality_id
        and unit.pk in party_group_unit_ids(user)
    )


def can_view_unit_exercises(user, unit) -> bool:
    """The unit's list of runs: its party group and the municipal administrators."""
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return False
    return is_admin(user) or unit.pk in party_group_unit_ids(user)


def can_view_run(user, run: ExerciseRun) -> bool:
    return can_view_unit_exercises(user, run.unit)


def can_start(user, unit) -> bool:
    return is_group_member(user, unit)


def can_answer(user, run: ExerciseRun) -> bool:
    """Only current party-group members answer (a newcomer too), and only before release."""
    return not run.is_released and is_group_member(user, run.unit)


def is_chair(user, run: ExerciseRun) -> bool:
    """The unit leader or the member who started the run."""
    if not is_group_member(user, run.unit):
        return False
    if run.started_by_id == user.pk:
        return True
    return any(a.role == Role.UNIT_LEADER and a.unit_id == run.unit_id for a in current_roles(user))


def can_release(user, run: ExerciseRun) -> bool:
    return not run.is_released and is_chair(user, run)


def can_see_answers(user, run: ExerciseRun) -> bool:
    """Everyone's answers: only after release, and only for those who may view the run."""
    return run.is_released and can_view_run(user, run)


def can_turn_into(user, run: ExerciseRun) -> bool:
    """Turn an insight into an agenda item or a measure: the group, after release."""
    return run.is_released and is_group_member(user, run.unit)


def exercise_runs_visible_to(user):
    """Runs this person may open: their party groups' runs; administrators all of theirs."""
    if not user.is_authenticated or not user.municipality_id:
        return ExerciseRun.objects.none()
    qs = ExerciseRun.objects.filter(municipality_id=user.municipality_id)
    if is_admin(user):
        return qs
    return qs.filter(Q(unit_id__in=party_group_unit_ids(user)))
