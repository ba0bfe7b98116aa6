"""Pages of the experience library (P5, R28, R31) and the municipality's reporting settings.

Thin: parse, check permission, call a service or selector of `reporting.experiences`, render.
Every lookup starts from `experiences_visible_to(user)`, `measures_visible_to(user)` or
`units_visible_to(user)`: another municipality's draft or unshared experience is a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trepart.core.forms import add_validation_errors, posted_id
from trepart.core.tenancy import municipality_member_required
from trepart.measures.permissions import can_change as can_change_measure
from trepart.measures.permissions import measures_visible_to
from trepart.organisation.permissions import is_municipal_admin, units_visible_to
from trepart.reporting import experiences as exp
from trepart.reporting import selectors_reports
from trepart.reporting.forms_experiences import ExperienceForm, ReportingSettingsForm, TryForm
from trepart.reporting.models import Theme


@municipality_member_required
def experience_library(request):
    """Everyone in the municipality reads the library; filters are plain GET (no JS needed)."""
    user = request.user
    query = request.GET.get("q", "").strip()[:200]
    areas = exp.service_areas(user)
    area_id = posted_id(request.GET.get("area"))
    area = next((a for a in areas if a.pk == area_id), None)
    theme = request.GET.get("theme", "")
    theme = theme if theme in Theme.values else ""
    source = request.GET.get("source", "")
    source = source if source in (exp.SOURCE_OWN, exp.SOURCE_OTHERS) else ""
    unit_id = posted_id(request.GET.get("unit"))
    unit = units_visible_to(user).filter(pk=unit_id).first() if unit_id else None
    sections = exp.library(user, q=query, area=area, theme=theme, unit=unit, source=source)
    context = {
        "sections": sections,
        "query": query,
        "areas": areas,
        "area_id": area.pk if area else None,
        "themes": Theme.choices,
        "theme": theme,
        "source": source,
        "unit": unit,
        "filtered": bool(query or area or theme or source or unit),
        "can_write": bool(exp.writer_units(user)),
        "is_admin": is_municipal_admin(user),
    }
    if request.htmx:
        return render(request, "reporting/experiences/library.html#results", context)
    return render(request, "reporting/experiences/library.html", context)


@municipality_member_required
def experience_detail(request, pk):
    experience = exp.experience_for(request.user, pk)
    context = exp.experience_detail(request.user, experience)
    units = [
        u
        for u in exp.try_units(request.user, experience)
        if u.pk not in context["adopted_unit_ids"]
    ]
    context.update(try_form=TryForm(units=units) if units else None, try_units=units)
    if experience.status == experience.Status.PUBLISHED:
        context["agenda"] = selectors_reports.agenda_state(request.user)  # R31
    return render(request, "reporting/experiences/detail.html", context)


def _source_measure(request):
    """The measure named in ?measure=<id>: one this person may change, or 404/403."""
    measure_id = request.GET.get("measure")
    if measure_id is None:
        return None
    measure = get_object_or_404(
        measures_visible_to(request.user).select_related("unit", "municipality"),
        pk=posted_id(measure_id),
    )
    if not can_change_measure(request.user, measure):
        raise PermissionDenied
    return measure


def _form_data(form) -> dict:
    data = {
        name: form.cleaned_data.get(name, "")
        for name in ("title", "theme", "tried", "happened", "learned", "contact_role")
    }
    data["contact_me"] = form.cleaned_data.get("contact_me", False)
    data["shared"] = form.cleaned_data.get("shared", False)
    return data


@municipality_member_required
def experience_create(request):
    """A party group writes an experience: from a win or a decided measure (pre-filled), or on
    its own. It starts as a draft (R31: published when the group is ready)."""
    user = request.user
    measure = _source_measure(request)
    if measure is not None:
        if not exp.measure_can_become_experience(measure):
            messages.error(
                request,
                _("Only a win or a decided measure can be published as an experience."),
            )
            return redirect("measures:measure_detail", pk=measure.pk)
        units = [measure.unit]
        initial = exp.initial_from_measure(measure)
    else:
        units = exp.writer_units(user)
        if not units:
            raise PermissionDenied
        initial = {}
    if len(units) == 1:
        initial["contact_role"] = exp.contact_role_suggestion(user, units[0])
    form = ExperienceForm(
        request.POST or None,
        initial=initial,
        units=units,
        sharing_allowed=exp.sharing_allowed(user.municipality_id),
    )
    if request.method == "POST" and form.is_valid():
        if "unit" in form.fields:
            unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        else:
            unit = units[0]
        try:
            experience = exp.experience_create(
                actor=user, unit=unit, source_measure=measure, **_form_data(form)
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request, _("The experience is saved as a draft. Publish it when you are ready.")
            )
            return redirect("reporting:experience_detail", pk=experience.pk)
    action = reverse("reporting:experience_create")
    if measure is not None:
        action += "?" + urlencode({"measure": measure.pk})
    return render(
        request,
        "reporting/experiences/form.html",
        {"form": form, "measure": measure, "action": action, "experience": None},
        status=400 if request.method == "POST" else 200,
    )


@municipality_member_required
def experience_edit(request, pk):
    user = request.user
    experience = exp.experience_for(user, pk)
    if not exp.can_edit_experience(user, experience):
        raise PermissionDenied
    initial = {
        "title": experience.title,
        "theme": experience.theme,
        "tried": experience.tried,
        "happened": experience.happened,
        "learned": experience.learned,
        "contact_role": experience.contact_role,
        "contact_me": experience.contact_person_id == user.pk,
        "shared": experience.shared,
    }
    form = ExperienceForm(
        request.POST or None,
        initial=initial,
        sharing_allowed=exp.sharing_allowed(experience.municipality_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            exp.experience_update(actor=user, experience=experience, **_form_data(form))
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The experience is saved."))
            return redirect("reporting:experience_detail", pk=experience.pk)
    return render(
        request,
        "reporting/experiences/form.html",
        {
            "form": form,
            "measure": experience.source_measure,
            "action": reverse("reporting:experience_edit", args=[experience.pk]),
            "experience": experience,
            # A colleague named with their agreement: only they can take it away.
            "other_contact": experience.contact_person
            if experience.contact_person_id not in (None, user.pk)
            else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@municipality_member_required
def experience_publish(request, pk):
    experience = exp.experience_for(request.user, pk)
    if not exp.can_edit_experience(request.user, experience):
        raise PermissionDenied
    exp.experience_publish(actor=request.user, experience=experience)
    messages.success(request, _("The experience is published in the library."))
    return redirect("reporting:experience_detail", pk=experience.pk)


@require_POST
@municipality_member_required
def experience_try(request, pk):
    """ "We want to try this": an idea-stage measure at one of the reader's units."""
    experience = exp.experience_for(request.user, pk)
    units = exp.try_units(request.user, experience)
    if not units:
        raise PermissionDenied
    form = TryForm(request.POST, units=units)
    if len(units) == 1 and not request.POST.get("unit"):
        form = TryForm({"unit": units[0].pk}, units=units)
    if not form.is_valid():
        context = exp.experience_detail(request.user, experience)
        context.update(try_form=form, try_units=units)
        return render(request, "reporting/experiences/detail.html", context, status=400)
    unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
    try:
        measure = exp.experience_try(actor=request.user, experience=experience, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:experience_detail", pk=experience.pk)
    messages.success(
        request,
        _("A new idea is on %(unit)s's measures board. Plan it with the six questions.")
        % {"unit": unit.name},
    )
    return redirect("measures:measure_detail", pk=measure.pk)


@municipality_member_required
def reporting_settings(request):
    """Municipal administrators: the report period, the due days and sharing experiences."""
    user = request.user
    if not is_municipal_admin(user):
        raise PermissionDenied
    municipality = user.municipality
    form = ReportingSettingsForm(
        request.POST or None, instance=exp.reporting_settings(municipality)
    )
    if request.method == "POST" and form.is_valid():
        exp.reporting_settings_save(
            actor=user,
            municipality=municipality,
            period_months=form.cleaned_data["period_months"],
            due_days=form.cleaned_data["due_days"],
            share_experiences=form.cleaned_data["share_experiences"],
        )
        messages.success(request, _("The settings are saved."))
        return redirect("reporting:reporting_settings")
    return render(
        request,
        "reporting/experiences/settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
