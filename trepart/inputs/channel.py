"""Reads for the anonymous channel (issue 10, P3; decision 0002): how much one unit's link may
take, and which input a receipt code follows.

- The ceiling on a link is scaled to the unit's size, so that a whole unit can send after a
  staff meeting while a flood cannot fill the group's list.
- A receipt code is either an input's own code or the code of a repeat folded into it.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Sum

from trepart.core.ratelimit import Rate
from trepart.inputs import selectors
from trepart.inputs.models import Input, InputReceipt
from trepart.inputs.services import receipt_hash
from trepart.organisation.models import UNIT_ROLES, RoleAssignment, UnionPresence


def unit_size(unit) -> int:
    """About how many people work at the unit: the larger of the people holding a current role
    there (employees, leaders, reps) and the union members reported there. Neither is a staff
    list; the ceiling's minimum covers units with little registered. Two queries."""
    people = (
        RoleAssignment.objects.current()
        .filter(unit=unit, role__in=UNIT_ROLES)
        .values("person")
        .distinct()
        .count()
    )
    members = UnionPresence.objects.filter(unit=unit).aggregate(n=Sum("member_count"))["n"] or 0
    return max(people, members)


def link_ceiling(unit) -> list[Rate]:
    """Every submission through the unit's link counts against these windows
    (settings.INPUT_LINK_CEILING: the larger of a minimum and so many per person)."""
    size = unit_size(unit)
    return [
        Rate(max(int(minimum), int(per_person * size)), int(seconds))
        for minimum, per_person, seconds in settings.INPUT_LINK_CEILING
    ]


def unsolved_rates() -> list[Rate]:
    """Submissions without a solved proof-of-work challenge (JavaScript off): strict."""
    return [Rate(limit, seconds) for limit, seconds in settings.INPUT_LINK_UNSOLVED_RATES]


def receipt_lookup(code: str) -> tuple[Input | None, bool]:
    """The input a receipt code follows, and whether the code is a folded repeat's."""
    item = selectors.receipt_lookup(code)
    if item is not None or not code:
        return item, False
    folded = (
        InputReceipt.objects.select_related(
            "input__unit", "input__municipality", "input__agenda_item__meeting"
        )
        .filter(receipt_hash=receipt_hash(code))
        .first()
    )
    return (folded.input, True) if folded else (None, False)
