"""What the exercises part contributes to other apps' pages and jobs (trepart.core.hooks).

Each function keeps a fixed number of queries, whatever the data.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _


def home_panels(user, home) -> list[dict]:
    """P6: "an exercise waits for your answer", only when one does."""
    from trepart.reflection import selectors_exercises as selectors

    runs = selectors.waiting_for_me(user)
    if not runs:
        return []
    return [
        {"order": 25, "template": "reflection/exercises/partials/_home_panel.html", "runs": runs}
    ]


def unit_page_links(user, unit) -> list[dict]:
    from trepart.reflection import permissions_exercises as permissions

    if not permissions.can_view_unit_exercises(user, unit):
        return []
    return [
        {
            "order": 50,
            "label": _("Reflection exercises"),
            "url": reverse("reflection:exercise_list", args=[unit.pk]),
        }
    ]


def unit_page_panels(user, unit) -> list[dict]:
    """Running exercises on the unit page, for those who may open them."""
    from trepart.reflection import permissions_exercises as permissions
    from trepart.reflection import selectors_exercises as selectors

    if not permissions.can_view_unit_exercises(user, unit):
        return []
    running = selectors.unit_runs(user, unit)["running"]
    if not running:
        return []
    return [
        {
            "order": 40,
            "template": "reflection/exercises/partials/_unit_panel.html",
            "runs": running,
        }
    ]


def agenda_item_sources(user, items) -> dict[int, list[dict]]:
    """Agenda items made from an exercise's insight link back to the run (one query)."""
    from trepart.reflection import permissions_exercises as permissions
    from trepart.reflection.models import ExerciseOutcome

    pks = [it.pk for it in items]
    if not pks or not user.is_authenticated:
        return {}
    outcomes = list(
        ExerciseOutcome.objects.filter(
            agenda_item_id__in=pks, run__municipality_id=user.municipality_id
        ).select_related("run", "run__unit")
    )
    result: dict[int, list[dict]] = {}
    for o in outcomes:
        may = permissions.can_view_run(user, o.run)
        result.setdefault(o.agenda_item_id, []).append(
            {
                "label": _("From a reflection exercise"),
                "url": reverse("reflection:run_detail", args=[o.run_id]) if may else None,
            }
        )
    return result


def roles_changed(assignment, change) -> None:
    """ROLES_CHANGED (after commit): when a party-group role at a unit ends, that unit's waiting
    runs may now be complete (the last missing member left the group, R5), so release them. A
    few queries for one unit (`release_complete_runs`). A role that ends on a later day is
    caught by the daily job on the first day the person is no longer in the group."""
    from trepart.organisation.models import PARTY_GROUP_ROLES
    from trepart.reflection import services_exercises as services

    if change != "ended" or not assignment.unit_id or assignment.role not in PARTY_GROUP_ROLES:
        return
    services.release_complete_runs(unit_ids=[assignment.unit_id])


def release_complete_runs(today, stdout, now: bool = False) -> int:
    """DAILY_JOBS (`manage.py daily`, contract: trepart.core.daily): release the runs that became
    complete because a member's role ended, also roles ended ahead of time, on the first day the
    person is no longer in the group (R5)."""
    from trepart.core.daily import run_task
    from trepart.reflection import tasks_exercises as tasks

    return run_task(
        tasks.release_complete_runs,
        label="Exercises",
        today=today,
        now=now,
        stdout=stdout,
        counts="run(s) released (everyone still in the group has answered)",
    )


def register() -> None:
    """Register this part's hook functions."""
    from trepart.core import hooks

    hooks.register(hooks.ROLES_CHANGED, roles_changed)
    hooks.register(hooks.DAILY_JOBS, release_complete_runs)  # `manage.py daily`
    hooks.register(hooks.HOME_PANELS, home_panels)
    hooks.register(hooks.UNIT_PAGE_LINKS, unit_page_links)
    hooks.register(hooks.UNIT_PAGE_PANELS, unit_page_panels)
    hooks.register(hooks.AGENDA_ITEM_SOURCES, agenda_item_sources)
