"""`{% author_label person when as name %}`: who wrote a document, as the document shows it.

An erased person (PRODUCT P8, issue 13 §3) is shown by the role they held on the document's
date ("Unit leader"), not by their neutral name, which tells the roles held at the end
("Former safety rep"). R5: roles, not persons. Anyone else is shown by their name.

The role history is read once per erased person and template render (the render context
caches it), so a list of versions costs at most one query per erased author, never one per row.
The role-on-a-day rules live here (organisation knows roles) and are used by the erasure too
(trepart.personaldata.services), so the rewritten texts and the author lines agree.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.organisation.models import Role, RoleAssignment

register = template.Library()

_CACHE_KEY = "organisation.author_label.assignments"


def held_on(assignments: list[RoleAssignment], day: datetime.date) -> list[RoleAssignment]:
    """The assignments in force on a day; else the latest that had started; else the first."""
    held = [
        a for a in assignments if a.starts_on <= day and (a.ends_on is None or a.ends_on >= day)
    ]
    if held:
        return held
    before = [a for a in assignments if a.starts_on <= day]
    if before:
        latest = max(a.starts_on for a in before)
        return [a for a in before if a.starts_on == latest]
    return assignments[:1]


def role_names(assignments) -> list[str]:
    roles = []
    for a in assignments:
        if a.role not in roles:
            roles.append(a.role)
    if len(roles) > 1 and Role.EMPLOYEE in roles:
        roles.remove(Role.EMPLOYEE)  # "safety rep" says more than "safety rep and employee"
    return [str(Role(r).label) for r in roles]


def join_names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("%(roles)s and %(last)s") % {"roles": ", ".join(names[:-1]), "last": names[-1]}


def role_label_on(assignments: list[RoleAssignment], day: datetime.date) -> str:
    """What stands for an erased person in a document of that day: "Safety rep"."""
    names = role_names(held_on(assignments, day))
    return join_names(names) if names else _("A former user")


def _as_day(when) -> datetime.date:
    if isinstance(when, datetime.datetime):
        return timezone.localdate(when) if timezone.is_aware(when) else when.date()
    if isinstance(when, datetime.date):
        return when
    return timezone.localdate()


def author_name(person, when, cache: dict | None = None) -> str:
    """The person's name, or for an erased person the role held on `when` (a date or time)."""
    if person is None:
        return "—"
    if getattr(person, "erased_at", None) is None:
        return person.full_name
    cache = {} if cache is None else cache
    if person.pk not in cache:
        cache[person.pk] = list(
            RoleAssignment.objects.filter(person_id=person.pk).order_by("starts_on", "pk")
        )
    return role_label_on(cache[person.pk], _as_day(when))


@register.simple_tag(takes_context=True)
def author_label(context, person, when):
    cache = context.render_context.setdefault(_CACHE_KEY, {})
    return author_name(person, when, cache)
