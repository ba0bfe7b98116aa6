"""The experience library (P5, R28, R31): writes and reads of the experiences part.

R31: one good example is not municipal development until other units can learn from it. A party
group publishes what it tried, what happened and what it learned, with a contact *role*; a
person is named only when they themself agreed (they tick it for themself). A municipality that
opted in may share chosen experiences with every other municipality on the platform, read-only,
attributed to the municipality and never with a person's name. "We want to try this" makes an
idea-stage measure at the reader's own unit, linked to the source (`ExperienceAdoption`).

Services (writes) are keyword-only and check permission again; selectors own their joins so
the library keeps a fixed number of queries whatever the number of experiences.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.core.scope import check_scope
from trepart.measures import services as measure_services
from trepart.measures.models import Measure, Stage
from trepart.measures.permissions import can_change as can_change_measure
from trepart.measures.permissions import measures_visible_to
from trepart.organisation.models import PARTY_GROUP_ROLES, ServiceArea
from trepart.organisation.permissions import (
    current_roles,
    is_municipal_admin,
    party_group_unit_ids,
    units_visible_to,
)
from trepart.reporting.models import (
    Experience,
    ExperienceAdoption,
    ReportingSettings,
    Theme,
)
from trepart.reporting.permissions import (
    can_edit_experience,
    experiences_visible_to,
    party_group_member,
)

LIBRARY_LIMIT = 100  # per section; the reader narrows with the filters beyond that
TEXT_FIELDS = ("title", "tried", "happened", "learned", "contact_role")


# --- settings -----------------------------------------------------------------------------------


def reporting_settings(municipality) -> ReportingSettings:
    """The municipality's settings, or the defaults (unsaved: a GET never writes)."""
    found = ReportingSettings.objects.filter(municipality=municipality).first()
    return found or ReportingSettings(municipality=municipality)


def sharing_allowed(municipality) -> bool:
    """R31: the municipality opted in to share chosen experiences with other municipalities."""
    return ReportingSettings.objects.filter(
        municipality=municipality, share_experiences=True
    ).exists()


def reporting_settings_save(
    *, actor, municipality, period_months: int, due_days: int, share_experiences: bool
) -> ReportingSettings:
    """Municipal administrators choose the report period, the due days and sharing."""
    if not is_municipal_admin(actor, municipality):
        raise PermissionDenied
    with transaction.atomic():
        settings, _created = ReportingSettings.objects.update_or_create(
            municipality=municipality,
            defaults={
                "period_months": period_months,
                "due_days": due_days,
                "share_experiences": share_experiences,
            },
        )
    return settings


# --- from a measure -----------------------------------------------------------------------------


def measure_can_become_experience(measure: Measure) -> bool:
    """A win (R28) or a decided measure (kept, adjusted or reverted: all are worth learning
    from) may be published as an experience."""
    return measure.is_win or (
        bool(measure.decision) and measure.stage in (Stage.DECIDED, Stage.DONE)
    )


def _joined(*texts: str) -> str:
    return "\n\n".join(t.strip() for t in texts if t and t.strip())


def contact_role_suggestion(user, unit) -> str:
    """The writer's own role at the unit, as a role and not a name ("Safety rep at X").
    Never the union: being a rep must not reveal a person's union to other municipalities."""
    for assignment in current_roles(user):
        if assignment.unit_id == unit.pk and assignment.role in PARTY_GROUP_ROLES:
            return _("%(role)s at %(unit)s") % {
                "role": assignment.get_role_display(),
                "unit": unit.name,
            }
    return ""


def initial_from_measure(measure: Measure) -> dict:
    """The form pre-filled from the measure: its plan, its findings and its decision."""
    return {
        "title": measure.title,
        "tried": _joined(measure.problem, measure.need_and_purpose, measure.goals),
        "happened": _joined(measure.findings, measure.win_story, measure.line_outcome),
        "learned": _joined(measure.assessment, measure.decision_note),
    }


# --- writing ------------------------------------------------------------------------------------


def _clean_texts(fields: dict) -> dict:
    cleaned = {name: (fields.get(name) or "").strip() for name in TEXT_FIELDS}
    errors = {}
    for name in ("title", "tried", "happened", "learned"):
        if not cleaned[name]:
            errors[name] = _("Write something here.")
    if fields.get("theme") not in Theme.values:
        errors["theme"] = _("Choose a theme.")
    if errors:
        raise ValidationError(errors)
    # R14: personnel cases and wages never belong to the party group, nor in the library.
    finding = check_scope(*(cleaned[name] for name in TEXT_FIELDS))
    if finding:
        raise ValidationError(finding.message, code=f"out_of_scope_{finding.kind}")
    cleaned["title"] = cleaned["title"][:200]
    cleaned["contact_role"] = cleaned["contact_role"][:160]
    return cleaned


def experience_create(
    *,
    actor,
    unit,
    title: str,
    theme: str,
    tried: str,
    happened: str,
    learned: str,
    contact_role: str = "",
    contact_me: bool = False,
    shared: bool = False,
    source_measure: Measure | None = None,
) -> Experience:
    """A draft experience of the unit's party group. The writer may name themself as the
    contact (their own agreement); nobody names anybody else."""
    if not party_group_member(actor, unit):
        raise PermissionDenied
    if source_measure is not None and (
        source_measure.unit_id != unit.pk or not measure_can_become_experience(source_measure)
    ):
        raise ValidationError(_("This measure cannot be published as an experience yet."))
    texts = _clean_texts(
        {
            "title": title,
            "theme": theme,
            "tried": tried,
            "happened": happened,
            "learned": learned,
            "contact_role": contact_role,
        }
    )
    with transaction.atomic():
        return Experience.objects.create(
            municipality_id=unit.municipality_id,
            unit=unit,
            theme=theme,
            contact_person=actor if contact_me else None,
            # R31: shared only when the municipality opted in and the group chose it.
            shared=bool(shared) and sharing_allowed(unit.municipality_id),
            source_measure=source_measure,
            created_by=actor,
            **texts,
        )


def experience_update(
    *,
    actor,
    experience: Experience,
    title: str,
    theme: str,
    tried: str,
    happened: str,
    learned: str,
    contact_role: str = "",
    contact_me: bool = False,
    shared: bool = False,
) -> Experience:
    """Change the texts. The contact person changes only for the writer themself: they may name
    themself or withdraw; a colleague's agreement stays theirs to withdraw."""
    if not can_edit_experience(actor, experience):
        raise PermissionDenied
    texts = _clean_texts(
        {
            "title": title,
            "theme": theme,
            "tried": tried,
            "happened": happened,
            "learned": learned,
            "contact_role": contact_role,
        }
    )
    with transaction.atomic():
        experience = Experience.objects.select_for_update().get(pk=experience.pk)
        for name, value in texts.items():
            setattr(experience, name, value)
        experience.theme = theme
        if contact_me:
            experience.contact_person = actor
        elif experience.contact_person_id == actor.pk:
            experience.contact_person = None
        experience.shared = bool(shared) and sharing_allowed(experience.municipality_id)
        experience.save()
    return experience


def experience_publish(*, actor, experience: Experience) -> Experience:
    """Draft → published: the municipality's library (and other municipalities if shared)."""
    if not can_edit_experience(actor, experience):
        raise PermissionDenied
    with transaction.atomic():
        experience = Experience.objects.select_for_update().get(pk=experience.pk)
        if experience.status != Experience.Status.PUBLISHED:
            experience.status = Experience.Status.PUBLISHED
            experience.published_at = timezone.now()
            experience.save(update_fields=["status", "published_at"])
    return experience


def try_units(user, experience: Experience) -> list:
    """The units where this person may start "we want to try this": their own party groups,
    never the unit that wrote the experience."""
    if experience.status != Experience.Status.PUBLISHED:
        return []
    ids = party_group_unit_ids(user) - {experience.unit_id}
    if not ids:
        return []
    return list(units_visible_to(user).filter(pk__in=ids).order_by("name"))


def experience_try(*, actor, experience: Experience, unit) -> Measure:
    """ "We want to try this": an idea-stage measure at the reader's unit, linked to the source
    both ways (the measure shows where it came from; the experience counts who tries it). A
    second click answers with the measure the unit already made."""
    if unit.pk not in {u.pk for u in try_units(actor, experience)}:
        raise PermissionDenied
    if not experiences_visible_to(actor).filter(pk=experience.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        existing = (
            ExperienceAdoption.objects.select_for_update()
            .filter(experience=experience, unit=unit)
            .select_related("measure")
            .first()
        )
        if existing is not None:
            return existing.measure
        measure = measure_services.measure_create(
            actor=actor,
            unit=unit,
            title=experience.title[:160],
            problem=_("Inspired by “%(title)s” from %(unit)s, %(municipality)s. What they learned:")
            % {
                "title": experience.title,
                "unit": experience.unit.name,
                "municipality": experience.municipality.name,
            }
            + "\n\n"
            + experience.learned,
        )
        ExperienceAdoption.objects.create(
            experience=experience,
            municipality_id=unit.municipality_id,
            unit=unit,
            measure=measure,
            created_by=actor,
        )
    return measure


# --- reading ------------------------------------------------------------------------------------


SOURCE_OWN = "own"
SOURCE_OTHERS = "others"


def library(user, *, q: str = "", area=None, theme: str = "", unit=None, source: str = ""):
    """The library's two sections: the municipality's own experiences (published, and the
    drafts of the reader's party groups) and those other municipalities share (R31). Each a
    list of at most LIBRARY_LIMIT with its total count; four queries whatever the data."""
    qs = (
        experiences_visible_to(user)
        .select_related("unit", "unit__service_area", "municipality")
        .annotate(adoption_count=Count("adoptions"))
        .order_by("-published_at", "-id")
    )
    q = (q or "").strip()[:200]
    if q:
        match = Q()
        for name in ("title", "tried", "happened", "learned", "unit__name"):
            match |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(match)
    if theme in Theme.values:
        qs = qs.filter(theme=theme)
    if unit is not None:
        qs = qs.filter(unit=unit)
    own_qs = qs.filter(municipality_id=user.municipality_id)
    others_qs = qs.exclude(municipality_id=user.municipality_id)
    if area is not None:
        own_qs = own_qs.filter(unit__service_area=area)
        # Other municipalities have their own service areas: matched by name.
        others_qs = others_qs.filter(unit__service_area__name__iexact=area.name)
    if unit is not None:
        others_qs = others_qs.none()
    sections = {}
    if source != SOURCE_OTHERS:
        sections["own"] = _section(own_qs)
    if source != SOURCE_OWN and unit is None:
        sections["others"] = _section(others_qs)
    return sections


def _section(qs) -> dict:
    rows = list(qs[: LIBRARY_LIMIT + 1])
    return {"experiences": rows[:LIBRARY_LIMIT], "more": len(rows) > LIBRARY_LIMIT}


def experience_for(user, pk) -> Experience:
    """One experience this person may read (404 otherwise), with what its page shows."""
    return get_object_or_404(
        experiences_visible_to(user).select_related(
            "unit", "unit__service_area", "municipality", "contact_person", "source_measure"
        ),
        pk=pk,
    )


def experience_detail(user, experience: Experience) -> dict:
    """What the experience page shows this reader (R31: no names to other municipalities)."""
    own = experience.municipality_id == user.municipality_id
    adoptions = list(
        experience.adoptions.select_related("unit", "measure").order_by("created_at", "id")
    )
    visible_measures = set(
        measures_visible_to(user)
        .filter(
            pk__in=[a.measure_id for a in adoptions]
            + ([experience.source_measure_id] if experience.source_measure_id else [])
        )
        .values_list("pk", flat=True)
    )
    return {
        "experience": experience,
        "own_municipality": own,
        # The named contact only inside the municipality, and only because they agreed.
        "contact_person": experience.contact_person if own else None,
        "source_measure_url_ok": experience.source_measure_id in visible_measures,
        "adoption_count": len(adoptions),
        # Other municipalities see the count, not which units of ours try it.
        "adoptions": [
            {
                "unit": a.unit,
                "measure": a.measure,
                "can_open": a.measure_id in visible_measures,
            }
            for a in adoptions
            if a.unit.municipality_id == user.municipality_id
        ],
        "adopted_unit_ids": {a.unit_id for a in adoptions},
        "can_edit": can_edit_experience(user, experience),
    }


def measure_panels(user, measure: Measure, can_change: bool) -> list[dict]:
    """MEASURE_PAGE_PANELS: where an adopted measure came from, and "publish as an experience"
    for a win or a decided measure (with the experiences already made from it). Three queries
    at most."""
    panels = []
    adoption = (
        ExperienceAdoption.objects.filter(measure=measure)
        .select_related("experience", "experience__unit", "experience__municipality")
        .first()
    )
    if adoption is not None:
        experience = adoption.experience
        panels.append(
            {
                "order": 20,
                "template": "reporting/experiences/_measure_adopted_panel.html",
                "experience": experience,
                "can_open": experiences_visible_to(user).filter(pk=experience.pk).exists(),
            }
        )
    if measure_can_become_experience(measure):
        made = list(
            experiences_visible_to(user)
            .filter(source_measure=measure)
            .order_by("-published_at", "-id")
        )
        can_publish = can_change and can_change_measure(user, measure)
        if made or can_publish:
            panels.append(
                {
                    "order": 30,
                    "template": "reporting/experiences/_measure_publish_panel.html",
                    "experiences": made,
                    "can_publish": can_publish,
                    "measure": measure,
                }
            )
    return panels


def service_areas(user) -> list:
    """The municipality's service areas, for the library's filter (one query)."""
    if not user.municipality_id:
        return []
    return list(ServiceArea.objects.filter(municipality_id=user.municipality_id).order_by("name"))


def writer_units(user) -> list:
    """The units whose party group this person belongs to: where they may write experiences."""
    return list(units_visible_to(user).filter(pk__in=party_group_unit_ids(user)).order_by("name"))
