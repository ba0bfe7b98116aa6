"""The home page: what needs this person now, from their current roles."""

from django.utils.translation import gettext as _

from trepart.organisation import composition
from trepart.organisation.models import PARTY_GROUP_ROLES, Role, Unit
from trepart.organisation.permissions import current_roles


def _home_measures(user):
    from trepart.measures.selectors import home_measures

    return home_measures(user)


def home_for(user) -> dict:
    """Sections for the home page. Queries are fixed: one snapshot for all relevant units."""
    municipality = user.municipality
    roles = current_roles(user)
    role_set = {a.role for a in roles}
    my_unit_ids = {a.unit_id for a in roles if a.unit_id}
    party_unit_ids = {a.unit_id for a in roles if a.unit_id and a.role in PARTY_GROUP_ROLES}
    is_admin = Role.MUNICIPAL_ADMIN in role_set
    chief_unions = {a.union_id for a in roles if a.role == Role.CHIEF_UNION_REP}
    is_chief_safety = Role.CHIEF_SAFETY_REP in role_set
    in_steering = bool(
        role_set
        & {Role.POLITICIAN, Role.ADMINISTRATION, Role.CHIEF_UNION_REP, Role.CHIEF_SAFETY_REP}
    )

    needs_all_units = is_admin or chief_unions or is_chief_safety
    units = Unit.objects.filter(municipality=municipality).select_related(
        "service_area", "municipality"
    )
    if not needs_all_units:
        units = units.filter(pk__in=my_unit_ids)
    snapshots = composition.unit_snapshots(municipality, units=units)

    sections = []
    # Party group members: their own group's findings.
    for s in snapshots:
        if s.unit.pk in party_unit_ids:
            findings = composition.unit_findings(s)
            if findings:
                sections.append(
                    {
                        "title": _("Composition of %(group)s at %(unit)s")
                        % {"group": s.unit.party_group_label(), "unit": s.unit},
                        "findings": findings,
                        "link": s.unit,
                    }
                )
    # R6: chief union reps follow up their own union's gaps; the chief safety rep the safety reps.
    if chief_unions or is_chief_safety:
        followups = []
        for s in snapshots:
            for f in composition.unit_findings(s):
                if f.rule == "unit_without_safety_rep" and is_chief_safety:
                    followups.append(f)
                if f.rule == "union_without_rep" and any(
                    p.union_id in chief_unions
                    and p.union_id not in {a.union_id for a in s.holders(Role.LOCAL_UNION_REP)}
                    for p in s.unions_present
                ):
                    followups.append(f)
        sections.append(
            {
                "title": _("Vacancies to follow up"),
                "findings": followups,
                "empty": _("No vacancies among the local reps you follow up."),
            }
        )
    if is_admin:
        all_findings = [f for s in snapshots for f in composition.unit_findings(s)]
        sections.append(
            {
                "title": _("Composition across the municipality"),
                "summary": {
                    "errors": sum(1 for f in all_findings if f.severity == composition.ERROR),
                    "warnings": sum(1 for f in all_findings if f.severity == composition.WARNING),
                    "advice": sum(1 for f in all_findings if f.severity == composition.ADVICE),
                },
                "manage_link": True,
            }
        )
    if in_steering or is_admin:
        findings = composition.steering_findings(composition.steering_snapshot(municipality))
        sections.append(
            {
                "title": _("Composition of %(group)s")
                % {"group": municipality.steering_group_label},
                "findings": findings,
                "empty": _("The steering group has the recommended composition."),
                "steering_link": True,
            }
        )
    my_units = [s.unit for s in snapshots if s.unit.pk in my_unit_ids]
    from trepart.inputs import selectors as input_selectors
    from trepart.meetings import permissions as meeting_permissions
    from trepart.meetings import selectors as meeting_selectors

    visible = meeting_permissions.meetings_visible_to(user)
    return {
        # P3: what waits for an answer in the person's groups, and answers to their own input.
        "input_summaries": input_selectors.group_summaries(user),
        "my_recent_inputs": input_selectors.staff_inputs(user)["mine"][:5],
        "can_give_input": bool(my_unit_ids),
        # P4: trials to evaluate soon, and decisions waiting for the decision line.
        "home_measures": _home_measures(user),
        "sections": sections,
        "roles": roles,
        "my_units": my_units,
        "next_meetings": meeting_selectors.next_meetings_for(user, visible, limit=3),
        "open_actions": meeting_selectors.my_actions(user)["open"][:10],
    }
