"""What organisation adds to pages it does not own (the home page, the navigation)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from trepart.core import freshness
from trepart.organisation import composition
from trepart.organisation.models import PARTY_GROUP_ROLES, Role, Unit
from trepart.organisation.permissions import can_manage_roles


def main_navigation(user) -> list[dict]:
    items = [
        {
            "order": 40,
            "label": _("Structure"),
            "url": reverse("organisation:structure"),
            "prefixes": ("/structure/", "/units/"),
        },
        {
            "order": 50,
            "label": user.municipality.steering_group_label,
            "url": reverse("organisation:steering_group"),
            "prefixes": ("/steering-group/",),
        },
    ]
    if can_manage_roles(user, user.municipality):
        items.append(
            {
                "order": 90,
                "label": _("Administration"),
                "url": reverse("organisation:manage"),
                "prefixes": ("/manage/",),
            }
        )
    return items


def home_panels(user, home) -> list[dict]:
    """The person's workplaces and the composition findings they follow up (R1, R4–R6).

    One composition snapshot for all relevant units, whatever their number.
    """
    municipality = user.municipality
    roles = home["roles"]
    role_set = {a.role for a in roles}
    my_unit_ids = home["unit_ids"]
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
    if needs_all_units:
        # Issue 14: every unit's snapshot, the same for everyone who follows them all up; kept
        # in this process until a unit, role or union of the municipality changes.
        snapshots = freshness.cached(
            "composition-snapshots",
            municipality.pk,
            lambda: composition.unit_snapshots(municipality, units=units, with_people=False),
        )
    else:
        units = units.filter(pk__in=my_unit_ids)
        snapshots = composition.unit_snapshots(municipality, units=units, with_people=False)

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
                # R6: only the vacancies of the chief rep's own union(s).
                if f.rule == "union_without_rep" and f.union_id in chief_unions:
                    followups.append(f)
        sections.append(
            {
                "title": _("Vacancies to follow up"),
                "findings": followups,
                "empty": _("No vacancies among the local reps you follow up."),
            }
        )
    if is_admin:
        # Counted from the same list the administration page shows under "Party groups".
        entries = composition.party_group_findings(snapshots)
        sections.append(
            {
                "title": _("Party groups across the municipality"),
                "summary": composition.severity_counts(
                    f for entry in entries for f in entry["findings"]
                ),
                "unit_count": len(entries),
                "empty": _("Every party group has the recommended composition."),
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
    panels = [
        {
            "order": 20,
            "template": "organisation/partials/_home_composition.html",
            "sections": sections,
            # Findings link to the pre-filled role form for those who may register roles.
            "can_manage": is_admin,
        }
    ]
    if my_units:
        panels.append(
            {
                "order": 10,
                "template": "organisation/partials/_home_units.html",
                "my_units": my_units,
            }
        )
    return panels
