"""Pages of the handover part: the newcomer's onboarding page, the group's way of working, and
the chief reps' overview with their private notes (R5, R6).

Thin: parse, check permission, call a selector or service, render. Units are looked up in
`units_visible_to(user)` (another municipality's unit is a 404); notes only ever come from
`notes_visible_to(user)` (the author's own).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trepart.continuity import permissions, selectors, services
from trepart.continuity.forms import FollowUpNoteForm, GroupPracticeForm
from trepart.core.concurrency import StaleChange
from trepart.core.forms import posted_id
from trepart.core.tenancy import municipality_member_required
from trepart.organisation.permissions import units_visible_to


def _unit(request, pk):
    return get_object_or_404(
        units_visible_to(request.user).select_related("municipality", "service_area"), pk=pk
    )


@municipality_member_required
def onboarding(request, pk):
    """R5: what a newcomer to the party group needs first."""
    unit = _unit(request, pk)
    if not permissions.can_view_onboarding(request.user, unit):
        raise PermissionDenied
    context = selectors.onboarding(request.user, unit)
    context.update(unit=unit, can_edit=permissions.can_edit_practice(request.user, unit))
    return render(request, "continuity/onboarding.html", context)


@municipality_member_required
def practice_edit(request, pk):
    """The group's members write down their way of working (R13)."""
    unit = _unit(request, pk)
    if not permissions.can_edit_practice(request.user, unit):
        raise PermissionDenied
    practice = selectors.group_practice(unit)
    initial = {
        "text": practice.text if practice else selectors.suggested_practice(),
        "seen": services.practice_version(practice),
    }
    form = GroupPracticeForm(request.POST or None, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.group_practice_save(
                actor=request.user,
                unit=unit,
                text=form.cleaned_data["text"],
                seen=form.cleaned_data["seen"],
            )
        except StaleChange as exc:
            # Keep what was typed; show the colleague's text and take it as the new base.
            form.add_error(None, exc)
            current = selectors.group_practice(unit)
            form.data = form.data.copy()
            form.data["seen"] = services.practice_version(current)
        else:
            messages.success(request, _("The group's way of working is saved."))
            return redirect(reverse("continuity:onboarding", args=[unit.pk]) + "#practice")
    return render(
        request,
        "continuity/practice_form.html",
        {"unit": unit, "form": form, "practice": practice, "current": current},
        status=400 if request.method == "POST" else 200,
    )


def _scope(request, scopes):
    key = request.GET.get("scope") or request.POST.get("scope") or ""
    return next((s for s in scopes if s.key == key), scopes[0] if scopes else None)


def _overview_context(request, scope, scopes, note_form=None):
    user = request.user
    data = selectors.local_reps_overview(user, scope)
    may_write = permissions.may_write_notes(user, scope)
    reps = selectors.reps_for_notes(data["rows"]) if may_write else []
    if may_write and note_form is None:
        note_form = FollowUpNoteForm(reps=reps)
    return {
        **data,
        "scope": scope,
        "scopes": scopes,
        "may_write": may_write,
        "note_form": note_form if may_write else None,
        "notes": selectors.notes_of(permissions.notes_visible_to(user)) if may_write else [],
        "is_admin_view": not permissions.own_scopes(user),
    }


@municipality_member_required
def local_reps(request):
    """R6: the chief rep's overview of their local reps across the municipality's units."""
    if not permissions.can_view_local_reps(request.user):
        raise PermissionDenied
    scopes = permissions.overview_scopes(request.user)
    scope = _scope(request, scopes)
    if scope is None:
        raise PermissionDenied
    return render(request, "continuity/local_reps.html", _overview_context(request, scope, scopes))


@require_POST
@municipality_member_required
def note_create(request):
    """A chief rep records a conversation with a local rep; private to the author (R6)."""
    user = request.user
    scopes = permissions.own_scopes(user)
    if not scopes:
        raise PermissionDenied
    scope = _scope(request, scopes)
    data = selectors.local_reps_overview(user, scope)
    reps = selectors.reps_for_notes(data["rows"])
    form = FollowUpNoteForm(request.POST, reps=reps)
    if form.is_valid():
        assignment = form.reps.get(posted_id(str(form.cleaned_data["rep"])))
        if assignment is None:
            form.add_error("rep", _("Choose a rep from the list."))
        else:
            services.follow_up_note_create(
                actor=user,
                assignment=assignment,
                held_on=form.cleaned_data["held_on"],
                text=form.cleaned_data["text"],
            )
            messages.success(request, _("The note is saved. Only you can read it."))
            return redirect(reverse("continuity:local_reps") + f"?scope={scope.key}#notes")
    context = _overview_context(request, scope, permissions.overview_scopes(user), form)
    return render(request, "continuity/local_reps.html", context, status=400)
