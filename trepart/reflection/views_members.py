"""Pages for telling the members (R19). Thin: look up, check permission, call a service."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trepart.core.forms import add_validation_errors
from trepart.core.tenancy import municipality_member_required
from trepart.organisation.permissions import unit_ids_with_any_role
from trepart.reflection import selectors_members as sel
from trepart.reflection import services_members as services
from trepart.reflection.forms_members import BriefForm


def _brief_or_404(request, pk):
    """404 outside the municipality and for those without a role at the meeting's unit (another
    unit's private thing, issue 15); 403 for the unit's own people who may not see it
    (employees)."""
    brief = get_object_or_404(
        sel.briefs_in_municipality(request.user).select_related(
            "person", "union", "meeting", "meeting__unit", "municipality"
        ),
        pk=pk,
    )
    if not sel.can_view_brief(request.user, brief):
        unit_id = brief.meeting.unit_id
        if unit_id is not None and unit_id not in unit_ids_with_any_role(request.user):
            raise Http404
        raise PermissionDenied
    return brief


def _subject(brief) -> str:
    return _("What the %(group)s at %(unit)s works on") % {
        "group": brief.meeting.unit.party_group_label(),
        "unit": brief.meeting.unit.name,
    }


def _page(request, brief, form=None, status=200):
    can_edit = sel.can_edit_brief(request.user, brief)
    if can_edit and form is None:
        form = BriefForm(initial={"text": brief.text})
    subject = _subject(brief)
    context = {
        "brief": brief,
        "role_text": sel.role_label(brief),
        "can_edit": can_edit,
        "form": form,
        "meeting": brief.meeting,
        # mailto: opens the rep's own mail client with the text (no address: they choose).
        "mailto": f"mailto:?subject={quote(subject)}&body={quote(brief.text)}",
        "subject": subject,
    }
    return render(request, "reflection/members/brief_detail.html", context, status=status)


@municipality_member_required
def brief_detail(request, pk):
    brief = _brief_or_404(request, pk)
    if request.method != "POST":
        return _page(request, brief)
    if not sel.can_edit_brief(request.user, brief):
        raise PermissionDenied
    form = BriefForm(request.POST)
    if form.is_valid():
        try:
            services.brief_save(actor=request.user, brief=brief, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The summary is saved."))
            return redirect("reflection:brief_detail", pk=brief.pk)
    return _page(request, brief, form=form, status=400)


@require_POST
@municipality_member_required
def brief_shared(request, pk):
    brief = _brief_or_404(request, pk)
    if not sel.can_edit_brief(request.user, brief):
        raise PermissionDenied
    shared = request.POST.get("undo") is None
    services.brief_mark_shared(actor=request.user, brief=brief, shared=shared)
    if shared:
        messages.success(
            request,
            _("Noted: you shared it on %(day)s. The group can see that.")
            % {"day": timezone.localdate().strftime("%d.%m.%Y")},
        )
    else:
        messages.info(request, _("Undone: the summary is marked as not shared yet."))
    return redirect("reflection:brief_detail", pk=brief.pk)
