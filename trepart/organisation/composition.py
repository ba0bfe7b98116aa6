"""Composition check for party groups and the steering group (R1, R4, R5).

One function per rule. Each takes a snapshot of the current roles and returns findings with a
plain-language explanation and how to fix it. The check explains; it never forbids a
municipality's own choice (R1).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trepart.organisation.models import (
    PARTY_GROUP_ROLES,
    STEERING_GROUP_ROLES,
    PoliticalSide,
    Role,
    RoleAssignment,
    UnionPresence,
    Unit,
)

ERROR = "error"  # the group is missing something the method requires
WARNING = "warning"  # should be fixed
ADVICE = "advice"  # a recommendation, not a requirement

SEVERITY_ORDER = {ERROR: 0, WARNING: 1, ADVICE: 2}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    rule_ref: str
    title: str
    explanation: str
    fix: str
    unit: Unit | None = None
    # What to register to fix it, as the role-assignment form's GET parameters (role, unit,
    # union, side), and the link's text; empty when the fix is not one registration.
    register: tuple[tuple[str, str], ...] = ()
    register_label: str = ""
    union_id: int | None = None

    @property
    def register_query(self) -> str:
        """`role=safety_rep&unit=3`: pre-fills the form the finding's link opens."""
        return urlencode(self.register)

    @property
    def severity_label(self) -> str:
        return {ERROR: _("Missing"), WARNING: _("Should be fixed"), ADVICE: _("Advice")}[
            self.severity
        ]

    @property
    def color(self) -> str:
        """Designsystemet colour for the severity."""
        return {ERROR: "danger", WARNING: "warning", ADVICE: "info"}[self.severity]


@dataclass
class UnitSnapshot:
    unit: Unit
    assignments: list[RoleAssignment] = field(default_factory=list)
    unions_present: list = field(default_factory=list)

    def holders(self, *roles):
        return [a for a in self.assignments if a.role in roles]


@dataclass
class SteeringSnapshot:
    assignments: list[RoleAssignment] = field(default_factory=list)

    def holders(self, *roles):
        return [a for a in self.assignments if a.role in roles]


# --- party group rules (R4, R5) ---------------------------------------------------------------


def check_unit_leader(s: UnitSnapshot) -> list[Finding]:
    """R4: the unit leader carries the party group's leader side."""
    if s.holders(Role.UNIT_LEADER):
        return []
    return [
        Finding(
            rule="unit_without_leader",
            severity=ERROR,
            rule_ref="R4",
            unit=s.unit,
            title=_("No unit leader"),
            explanation=_(
                "The party group needs the unit's leader. Without a registered leader nobody "
                "is responsible for calling meetings and following up."
            ),
            fix=_("Register the unit leader under People and roles."),
            register=_at_unit(s, Role.UNIT_LEADER),
            register_label=_("Register the unit leader"),
        )
    ]


def _at_unit(s: UnitSnapshot, role: str, **extra) -> tuple[tuple[str, str], ...]:
    return (("role", role), ("unit", str(s.unit.pk)), *((k, str(v)) for k, v in extra.items()))


def check_safety_rep(s: UnitSnapshot) -> list[Finding]:
    """R4: the local safety rep is a member of every party group."""
    if s.holders(Role.SAFETY_REP):
        return []
    return [
        Finding(
            rule="unit_without_safety_rep",
            severity=ERROR,
            rule_ref="R4",
            unit=s.unit,
            title=_("No safety rep"),
            explanation=_(
                "The safety rep is a member of the party group and looks after the working "
                "environment when changes are made. This unit has none registered."
            ),
            fix=_(
                "Register the elected safety rep. If none has been elected, the chief safety rep "
                "can help arrange an election."
            ),
            register=_at_unit(s, Role.SAFETY_REP),
            register_label=_("Register the safety rep"),
        )
    ]


def check_union_reps(s: UnitSnapshot) -> list[Finding]:
    """R4: local reps from all unions present; leaving a union out creates resistance."""
    represented = {a.union_id for a in s.holders(Role.LOCAL_UNION_REP)}
    findings = []
    for presence in s.unions_present:
        if presence.union_id in represented:
            continue
        findings.append(
            Finding(
                rule="union_without_rep",
                severity=WARNING,
                rule_ref="R4",
                unit=s.unit,
                title=_("%(union)s has members here but no local rep") % {"union": presence.union},
                explanation=_(
                    "All unions with members at the unit should be invited to the party group. "
                    "A small union decides itself whether to take part, but must be asked."
                ),
                fix=_(
                    "Ask the chief union rep of %(union)s whether a local rep can be appointed, "
                    "and register them."
                )
                % {"union": presence.union},
                register=_at_unit(s, Role.LOCAL_UNION_REP, union=presence.union_id),
                register_label=_("Register a local rep for %(union)s")
                % {"union": presence.union.short_name},
                union_id=presence.union_id,
            )
        )
    return findings


def _party_role_kinds(s: UnitSnapshot) -> set[str]:
    kinds = set()
    for a in s.holders(*PARTY_GROUP_ROLES):
        kinds.add("leader" if a.role in (Role.UNIT_LEADER, Role.DEPARTMENT_LEADER) else a.role)
    return kinds


def check_party_group_roles(s: UnitSnapshot) -> list[Finding]:
    """R4: a party group has at least two of the three sides (leader, union rep, safety rep)."""
    kinds = _party_role_kinds(s)
    if len(kinds) >= 2:
        return []
    return [
        Finding(
            rule="party_group_too_few_roles",
            severity=ERROR,
            rule_ref="R4",
            unit=s.unit,
            title=_("The party group has too few roles"),
            explanation=ngettext(
                "Only %(count)d of the three sides (leader, union reps, safety rep) is "
                "represented, so there is no cooperation between parties.",
                "Only %(count)d of the three sides (leader, union reps, safety rep) are "
                "represented, so there is no cooperation between parties.",
                len(kinds),
            )
            % {"count": len(kinds)},
            fix=_("Register the missing leader, union reps or safety rep."),
            register=(("unit", str(s.unit.pk)),),
            register_label=_("Register a role at %(unit)s") % {"unit": s.unit.name},
        )
    ]


def check_party_group_fragile(s: UnitSnapshot) -> list[Finding]:
    """R5: cooperation must rest on roles, not on two people who get along."""
    people = {a.person_id for a in s.holders(*PARTY_GROUP_ROLES)}
    if len(people) != 2 or len(_party_role_kinds(s)) < 2:
        return []
    return [
        Finding(
            rule="party_group_fragile",
            severity=ADVICE,
            rule_ref="R5",
            unit=s.unit,
            title=_("The party group rests on two people"),
            explanation=_(
                "When cooperation depends on two persons it easily stops when one of them "
                "leaves. Groups with more roles survive turnover better."
            ),
            fix=_(
                "Consider adding department leaders, reps of other unions or a deputy safety rep."
            ),
            register=(("unit", str(s.unit.pk)),),
            register_label=_("Register a role at %(unit)s") % {"unit": s.unit.name},
        )
    ]


UNIT_RULES = [
    check_unit_leader,
    check_safety_rep,
    check_union_reps,
    check_party_group_roles,
    check_party_group_fragile,
]


# --- steering group rules (R1) ----------------------------------------------------------------


def check_steering_opposition(s: SteeringSnapshot) -> list[Finding]:
    """R1: both position and opposition should be present, since power shifts after elections."""
    politicians = s.holders(Role.POLITICIAN)
    if not politicians or any(a.side == PoliticalSide.OPPOSITION for a in politicians):
        return []
    return [
        Finding(
            rule="steering_without_opposition",
            severity=WARNING,
            rule_ref="R1",
            title=_("No politicians from the opposition"),
            explanation=_(
                "The steering group has politicians from the position only. After an election "
                "the majority may change, and the work should survive it."
            ),
            fix=_("Ask the council to appoint a member from the opposition."),
            register=(("role", Role.POLITICIAN), ("side", PoliticalSide.OPPOSITION)),
            register_label=_("Register a politician from the opposition"),
        )
    ]


def check_steering_chief_safety_rep(s: SteeringSnapshot) -> list[Finding]:
    """R1: the chief safety rep is a member of the steering group."""
    if s.holders(Role.CHIEF_SAFETY_REP):
        return []
    return [
        Finding(
            rule="steering_without_chief_safety_rep",
            severity=WARNING,
            rule_ref="R1",
            title=_("No chief safety rep"),
            explanation=_(
                "The chief safety rep coordinates the local safety reps and brings the working "
                "environment into the steering group."
            ),
            fix=_("Register the chief safety rep under People and roles."),
            register=(("role", Role.CHIEF_SAFETY_REP),),
            register_label=_("Register the chief safety rep"),
        )
    ]


def _party_sizes(s: SteeringSnapshot) -> dict[str, int]:
    return {
        role: len({a.person_id for a in s.holders(role)})
        for role in (Role.POLITICIAN, Role.ADMINISTRATION, Role.CHIEF_UNION_REP)
    }


def _sizes_text(sizes: dict[str, int]) -> str:
    parts = [
        ngettext("%(count)d politician", "%(count)d politicians", sizes[Role.POLITICIAN]),
        ngettext(
            "%(count)d from the administration",
            "%(count)d from the administration",
            sizes[Role.ADMINISTRATION],
        ),
        ngettext(
            "%(count)d chief union rep", "%(count)d chief union reps", sizes[Role.CHIEF_UNION_REP]
        ),
    ]
    counts = [sizes[Role.POLITICIAN], sizes[Role.ADMINISTRATION], sizes[Role.CHIEF_UNION_REP]]
    return ", ".join(part % {"count": count} for part, count in zip(parts, counts, strict=True))


def check_steering_party_balance(s: SteeringSnapshot) -> list[Finding]:
    """R1: equal representation of politicians, administration and chief union reps."""
    sizes = _party_sizes(s)
    if len(set(sizes.values())) == 1:
        return []
    return [
        Finding(
            rule="steering_unequal_parties",
            severity=WARNING,
            rule_ref="R1",
            title=_("The three parties are not equally represented"),
            explanation=_(
                "The steering group has %(sizes)s. Equal numbers from each party give equal "
                "standing in the dialogue."
            )
            % {"sizes": _sizes_text(sizes)},
            fix=_("Adjust the appointments so that each party has the same number of members."),
        )
    ]


def check_steering_party_size(s: SteeringSnapshot) -> list[Finding]:
    """R1: the recommendation is at least three from each party (advice, not a requirement)."""
    sizes = _party_sizes(s)
    if all(count >= 3 for count in sizes.values()):
        return []
    return [
        Finding(
            rule="steering_small_parties",
            severity=ADVICE,
            rule_ref="R1",
            title=_("Fewer than three members from a party"),
            explanation=_(
                "It is recommended to have at least three from each party; now there are "
                "%(sizes)s. Municipalities choose differently, and a smaller group can work well."
            )
            % {"sizes": _sizes_text(sizes)},
            fix=_("Consider appointing more members where a party has fewer than three."),
        )
    ]


STEERING_RULES = [
    check_steering_opposition,
    check_steering_chief_safety_rep,
    check_steering_party_balance,
    check_steering_party_size,
]


# --- snapshots: a fixed number of queries however many units ------------------------------------


def unit_snapshots(
    municipality, units=None, on: datetime.date | None = None, *, with_people: bool = True
) -> list[UnitSnapshot]:
    """Snapshots of the given units (default: all of the municipality) in three queries.

    Issue 14: ``with_people=False`` when only the findings are wanted (the home page across
    every unit of a large municipality): the rules need no person rows, only their ids.
    """
    if units is None:
        units = Unit.objects.filter(municipality=municipality).select_related(
            "service_area", "municipality"
        )
    units = list(units)
    ids = [u.pk for u in units]
    by_unit: dict[int, UnitSnapshot] = {u.pk: UnitSnapshot(unit=u) for u in units}
    assignments = (
        RoleAssignment.objects.current(on)
        .filter(municipality=municipality, unit_id__in=ids, role__in=PARTY_GROUP_ROLES)
        .select_related(*(("person", "union", "department") if with_people else ("union",)))
    )
    for a in assignments:
        by_unit[a.unit_id].assignments.append(a)
    for p in UnionPresence.objects.filter(unit_id__in=ids).select_related("union"):
        by_unit[p.unit_id].unions_present.append(p)
    return [by_unit[u.pk] for u in units]


def steering_snapshot(municipality, on: datetime.date | None = None) -> SteeringSnapshot:
    return SteeringSnapshot(
        assignments=list(
            RoleAssignment.objects.current(on)
            .filter(municipality=municipality, role__in=STEERING_GROUP_ROLES)
            .select_related("person", "union")
        )
    )


def _sorted(findings):
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def unit_findings(snapshot: UnitSnapshot) -> list[Finding]:
    return _sorted(f for rule in UNIT_RULES for f in rule(snapshot))


def steering_findings(snapshot: SteeringSnapshot) -> list[Finding]:
    return _sorted(f for rule in STEERING_RULES for f in rule(snapshot))


def severity_counts(findings) -> dict:
    """How many findings of each severity: the one way every summary is counted, so a summary
    always agrees with the findings listed under it."""
    findings = list(findings)
    counts = {
        "errors": sum(1 for f in findings if f.severity == ERROR),
        "warnings": sum(1 for f in findings if f.severity == WARNING),
        "advice": sum(1 for f in findings if f.severity == ADVICE),
    }
    counts["total"] = len(findings)
    return counts


def party_group_findings(snapshots) -> list[dict]:
    """The units that have findings, each with its findings, in the snapshots' order; with
    their `severity_counts` this is what the administration page lists and the home page sums."""
    entries = []
    for s in snapshots:
        findings = unit_findings(s)
        if findings:
            entries.append({"unit": s.unit, "findings": findings})
    return entries


def composition_issues(municipality, on: datetime.date | None = None) -> dict:
    """All findings of a municipality: per unit, and for the steering group."""
    snapshots = unit_snapshots(municipality, on=on)
    units = party_group_findings(snapshots)
    return {
        "units": {s.unit.pk: unit_findings(s) for s in snapshots},
        "unit_findings": units,
        "unit_counts": severity_counts(f for entry in units for f in entry["findings"]),
        "steering_group": steering_findings(steering_snapshot(municipality, on=on)),
        "snapshots": snapshots,
    }
