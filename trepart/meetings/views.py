"""Meeting pages. Thin: parse, check permission, call a service or selector, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trepart.core import hooks
from trepart.core.forms import add_validation_errors, posted_id
from trepart.core.tenancy import municipality_member_required
from trepart.meetings import permissions, selectors, services
from trepart.meetings.forms import (
    ActionForm,
    CancelForm,
    ChairForm,
    ItemMinutesForm,
    ItemProposeForm,
    MeetingForm,
    MoveForm,
    NotAgreedForm,
    PublishForm,
    ReferralForm,
    ReferralOutcomeForm,
    SeriesForm,
    StandingItemForm,
)
from trepart.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingKind,
)
from trepart.organisation.permissions import people_in_municipality, units_visible_to


def _errors_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _group(request, unit_pk):
    """(municipality, unit or None for the steering group); 404 outside the municipality."""
    municipality = request.user.municipality
    if unit_pk is None:
        return municipality, None
    unit = get_object_or_404(
        units_visible_to(request.user).select_related("municipality"), pk=unit_pk
    )
    return municipality, unit


def _group_url(unit) -> str:
    if unit is None:
        return reverse("meetings:steering_group")
    return reverse("meetings:unit_group", args=[unit.pk])


def _group_label(municipality, unit) -> str:
    return municipality.steering_group_label if unit is None else unit.party_group_label()


def _meeting_or_404(request, pk) -> Meeting:
    """A meeting this person may open; anything else (other municipality too) is a 404."""
    qs = permissions.meetings_visible_to(request.user).select_related(
        "unit", "municipality", "chair", "series"
    )
    return get_object_or_404(qs, pk=pk)


def _editable_meeting(request, pk) -> Meeting:
    meeting = _meeting_or_404(request, pk)
    if not permissions.can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _back(meeting, anchor="", request=None):
    """Back to the meeting page at `anchor`; in meeting mode, at the item being worked on."""
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    if request is not None and request.POST.get("mode") == "meeting":
        item_id = posted_id(request.POST.get("current", ""))
        url += "?mode=meeting" + (f"&item={item_id}" if item_id else "")
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _refuse(request, meeting, target: str, message: str, *, status=400, **overrides):
    """Issue 10: a refusal is shown next to what was refused (the part of the page with the id
    `target`, which the form's address jumps to), announced to screen readers (role=alert), and
    the page keeps what the person typed (`overrides` carry the bound forms)."""
    refusal = {"target": target, "message": message}
    context = _meeting_context(request, meeting, refusal=refusal, **overrides)
    return render(request, "meetings/meeting_detail.html", context, status=status)


# --- group pages --------------------------------------------------------------------------------


@municipality_member_required
def group(request, unit_pk=None):
    return _group_page(request, unit_pk)


def _group_page(request, unit_pk, standing_form=None, status=200):
    municipality, unit = _group(request, unit_pk)
    visible = permissions.meetings_visible_to(request.user)
    context = selectors.group_meetings(
        request.user,
        municipality,
        unit,
        visible_qs=visible,
        schedule_qs=permissions.meeting_schedule_visible_to(request.user),
    )
    is_member = permissions.is_group_member(request.user, unit)
    context.update(
        unit=unit,
        group_label=_group_label(municipality, unit),
        is_member=is_member,
        standing_items=selectors.standing_items(municipality, unit) if is_member else [],
        standing_form=(standing_form or StandingItemForm()) if is_member else None,
        group_url=_group_url(unit),
        members=selectors.group_members(municipality, unit),
        # R15: items not agreed on that wait for the next meeting to be planned.
        waiting_items=selectors.waiting_items(municipality, unit) if is_member else [],
    )
    return render(request, "meetings/group.html", context, status=status)


@municipality_member_required
def series_create(request, unit_pk=None):
    municipality, unit = _group(request, unit_pk)
    if not permissions.can_plan_meetings(request.user, unit):
        raise PermissionDenied
    today = timezone.localdate()
    initial = {
        # R10: monthly is the suggested default for a new group.
        "title": _("Meeting in %(group)s") % {"group": _group_label(municipality, unit)},
        "kind": MeetingKind.DEVELOPMENT,
        "frequency": "monthly",
        "ordinal": 1,
        "weekday": 1,
        "start_time": datetime.time(14, 0),
        "end_time": datetime.time(15, 0),
        "starts_on": today,
    }
    themes = selectors.steering_themes_not_yet_standing(municipality) if unit is None else []
    form = SeriesForm(request.POST or None, initial=initial, steering=unit is None, themes=themes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("kind", MeetingKind.DIALOGUE)
        chosen = data.pop("themes", [])
        try:
            if chosen:  # before the meetings are made, so they carry the themes (R3)
                services.standing_themes_add(
                    actor=request.user, municipality=municipality, themes=chosen
                )
            series = services.series_create(
                actor=request.user, municipality=municipality, unit=unit, **data
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            count = series.meetings.count()
            messages.success(
                request,
                _("The series is created with %(count)d meetings for the coming year.")
                % {"count": count},
            )
            return redirect(_group_url(unit))
    return render(
        request,
        "meetings/series_form.html",
        {
            "form": form,
            "unit": unit,
            "group_label": _group_label(municipality, unit),
            "group_url": _group_url(unit),
        },
    )


@municipality_member_required
def meeting_create(request, unit_pk=None):
    municipality, unit = _group(request, unit_pk)
    if not permissions.can_plan_meetings(request.user, unit):
        raise PermissionDenied
    initial = {
        "title": _("Meeting in %(group)s") % {"group": _group_label(municipality, unit)},
        "kind": MeetingKind.DEVELOPMENT,
        "start_time": datetime.time(14, 0),
        "end_time": datetime.time(15, 0),
    }
    form = MeetingForm(request.POST or None, initial=initial, steering=unit is None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("kind", MeetingKind.DIALOGUE)
        try:
            meeting = services.meeting_create(
                actor=request.user, municipality=municipality, unit=unit, **data
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "unit": unit,
            "group_label": _group_label(municipality, unit),
            "group_url": _group_url(unit),
        },
    )


@require_POST
@municipality_member_required
def standing_item_add(request, unit_pk=None):
    municipality, unit = _group(request, unit_pk)
    form = StandingItemForm(request.POST)
    if not permissions.can_plan_meetings(request.user, unit):
        raise PermissionDenied
    if form.is_valid():
        try:
            services.standing_item_add(
                actor=request.user,
                municipality=municipality,
                unit=unit,
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            form.add_error("title", _errors_text(exc))  # by the one field there is
        else:
            messages.success(request, _("The standing item is added to new meetings."))
            return redirect(_group_url(unit) + "#standing")
    # Issue 10: the error by the field, in its section, with what was typed.
    return _group_page(request, unit_pk, standing_form=form, status=400)


@require_POST
@municipality_member_required
def standing_item_remove(request, pk):
    item = get_object_or_404(permissions.standing_items_visible_to(request.user), pk=pk)
    services.standing_item_remove(actor=request.user, item=item)
    messages.success(request, _("The standing item is removed from new meetings."))
    return redirect(_group_url(item.unit) + "#standing")


# --- the meeting page ---------------------------------------------------------------------------


def _meeting_context(request, meeting, **overrides):
    context = selectors.meeting_detail(meeting, request.user)
    can_edit = permissions.can_edit_meeting(request.user, meeting)
    members = selectors.group_members(meeting.municipality, meeting.unit)
    member_people = (
        people_in_municipality(request.user)
        .filter(pk__in=[m["person"].pk for m in members])
        .order_by("full_name")
    )
    attendance_by_person = {a.person_id: a for a in context["attendance"] if a.person_id}
    context.update(
        meeting=meeting,
        can_edit=can_edit and meeting.minutes_editable,
        is_member=can_edit,
        # R30: after publishing, the order changes only in a correction.
        can_order=can_edit
        and meeting.minutes_editable
        and (not meeting.chair_id or meeting.chair_id == request.user.pk),
        group_label=_group_label(meeting.municipality, meeting.unit),
        group_url=_group_url(meeting.unit),
        members=[
            {
                **m,
                "status": getattr(attendance_by_person.get(m["person"].pk), "status", None),
            }
            for m in members
        ],
        guests=[a for a in context["attendance"] if a.person_id is None],
        chair_suggestion=selectors.chair_suggestion(meeting)
        if can_edit and not meeting.chair_id
        else None,
        chair_form=ChairForm(people=member_people, initial={"chair": meeting.chair_id})
        if can_edit
        else None,
        propose_form=ItemProposeForm(steering=meeting.is_steering) if can_edit else None,
        action_form=ActionForm(municipality=meeting.municipality) if can_edit else None,
        referral_form=ReferralForm() if can_edit else None,
        outcome_form=ReferralOutcomeForm() if can_edit else None,
        publish_form=PublishForm() if can_edit else None,
        item_forms={
            it.pk: ItemMinutesForm(
                prefix=f"item{it.pk}",
                initial={
                    "revision": it.revision,
                    "summary": it.summary,
                    "way_forward": it.way_forward,
                    "decisions": it.decisions,
                },
            )
            for it in context["items"]
        }
        if can_edit
        else {},
        latest_version=context["versions"][0] if context["versions"] else None,
        meeting_started=meeting.starts_at <= timezone.now(),
    )
    context.update(overrides)
    typed = context.get("attendance_typed")  # a refused save: show what was chosen
    if typed:
        for m in context["members"]:
            m["status"] = typed["statuses"].get(m["person"].pk, m["status"])
    bound = context.get("bound_item_form")  # (item id, the posted form): keeps what was typed
    bound_na = context.get("bound_not_agreed_form")  # the same for "not agreed" (R15)
    can_disagree = can_edit and meeting.minutes_editable and not meeting.is_steering
    for it in context["items"]:
        it.form = bound[1] if bound and bound[0] == it.pk else context["item_forms"].get(it.pk)
        it.not_agreed_open = bool(bound_na and bound_na[0] == it.pk)
        if can_disagree and not it.standing and it.status != AgendaItem.Status.CLOSED:
            it.not_agreed_form = (
                bound_na[1] if it.not_agreed_open else _not_agreed_form(it, meeting.municipality)
            )
        it.anchor = f"item-{it.pk}"
        it.folded = it.status == AgendaItem.Status.CLOSED
        it.referral_target = f"referral-{it.pk}"
        it.referral_kept = context.get("open_form") == it.referral_target
        targets = {it.anchor, it.referral_target}
        for r in it.referrals.all():
            r.outcome_target = f"outcome-{r.pk}"
            r.outcome_kept = context.get("open_form") == r.outcome_target
            targets.add(r.outcome_target)
        # A folded (closed) item opens when something in it was refused.
        it.unfold = bool(context.get("refusal")) and context["refusal"]["target"] in targets
        # R12: a consultation item on a development meeting is flagged.
        it.misplaced_consultation = (
            it.kind == "consultation" and meeting.kind == MeetingKind.DEVELOPMENT
        )
    context.update(_meeting_mode(request, context["items"]))
    # Panels from higher apps (hooks.MEETING_PAGE_PANELS), e.g. "tell the members" (R19).
    context["page_panels"] = hooks.collect(hooks.MEETING_PAGE_PANELS, request.user, meeting)
    return context


def _not_agreed_form(item, municipality) -> NotAgreedForm:
    """R15: the positions form, with the positions written before (a reopened item) or the
    roles of a party group as a start."""
    positions = list(item.positions.all())
    if positions:
        initial = {f"holder_{i}": p.holder for i, p in enumerate(positions)}
        initial.update({f"text_{i}": p.text for i, p in enumerate(positions)})
    else:
        holders = [_("The leader"), _("The union reps"), _("The safety rep")]
        initial = {f"holder_{i}": h for i, h in enumerate(holders)}
    initial["in_between"] = item.in_between
    return NotAgreedForm(prefix=f"item{item.pk}na", initial=initial)


def _meeting_mode(request, items) -> dict:
    """Issue 10: "meeting mode" shows one item at a time with previous/next, so a long agenda
    can be worked through on a phone or a shared screen. Plain links: works without JavaScript
    and with the keyboard. The item comes from `?item=` (or the posted `current`); unknown or
    foreign ids fall back to the first open item."""
    data = request.POST if request.method == "POST" else request.GET
    if data.get("mode") != "meeting" or not items:
        return {"meeting_mode": False}
    wanted = posted_id(data.get("item") or data.get("current") or "")
    index = next((i for i, it in enumerate(items) if it.pk == wanted), None)
    if index is None:
        index = next((i for i, it in enumerate(items) if it.status != "closed"), 0)
    return {
        "meeting_mode": True,
        "current_item": items[index],
        "current_number": index + 1,
        "previous_item": items[index - 1] if index > 0 else None,
        "next_item": items[index + 1] if index + 1 < len(items) else None,
    }


@municipality_member_required
def meeting_detail(request, pk):
    meeting = _meeting_or_404(request, pk)
    if permissions.sees_only_published(request.user, meeting):
        version = meeting.versions.select_related("published_by").first()
        if version is None:
            raise Http404
        return render(
            request,
            "meetings/minutes_published.html",
            {
                "meeting": meeting,
                "version": version,
                "content": version.content,
                "group_label": _group_label(meeting.municipality, meeting.unit),
                "group_url": _group_url(meeting.unit),
            },
        )
    return render(request, "meetings/meeting_detail.html", _meeting_context(request, meeting))


@municipality_member_required
def meeting_edit(request, pk):
    meeting = _editable_meeting(request, pk)
    local_start = timezone.localtime(meeting.starts_at)
    move_form = MoveForm(
        request.POST if request.POST.get("action") == "move" else None,
        initial={
            "day": local_start.date(),
            "start_time": local_start.time(),
            "end_time": timezone.localtime(meeting.ends_at).time(),
            "location": meeting.location,
        },
    )
    cancel_form = CancelForm(request.POST if request.POST.get("action") == "cancel" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "move" and move_form.is_valid():
                services.meeting_move(actor=request.user, meeting=meeting, **move_form.cleaned_data)
                messages.success(
                    request, _("The meeting is moved. The rest of the series is unchanged.")
                )
                return _back(meeting)
            if request.POST.get("action") == "cancel" and cancel_form.is_valid():
                services.meeting_cancel(
                    actor=request.user, meeting=meeting, reason=cancel_form.cleaned_data["reason"]
                )
                messages.success(
                    request, _("The meeting is cancelled. The rest of the series is unchanged.")
                )
                return redirect(_group_url(meeting.unit))
        except ValidationError as exc:
            messages.error(request, _errors_text(exc))
    return render(
        request,
        "meetings/meeting_edit.html",
        {
            "meeting": meeting,
            "move_form": move_form,
            "cancel_form": cancel_form,
            "group_label": _group_label(meeting.municipality, meeting.unit),
            "group_url": _group_url(meeting.unit),
        },
    )


@require_POST
@municipality_member_required
def chair_set(request, pk):
    meeting = _editable_meeting(request, pk)
    members = selectors.group_members(meeting.municipality, meeting.unit)
    people = people_in_municipality(request.user).filter(pk__in=[m["person"].pk for m in members])
    form = ChairForm(request.POST, people=people)
    if form.is_valid():
        try:
            services.chair_set(
                actor=request.user, meeting=meeting, person=form.cleaned_data["chair"]
            )
        except ValidationError as exc:
            return _refuse(request, meeting, "chair", _errors_text(exc))
        messages.success(request, _("The chair is set."))
        return _back(meeting, "chair", request)
    return _refuse(request, meeting, "chair", _("Choose a member of the group as chair."))


@require_POST
@municipality_member_required
def item_propose(request, pk):
    meeting = _editable_meeting(request, pk)
    form = ItemProposeForm(request.POST, steering=meeting.is_steering)
    if form.is_valid():
        try:
            services.agenda_item_propose(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The item is on the agenda."))
            return _back(meeting, "agenda", request)
    context = _meeting_context(request, meeting, propose_form=form)
    return render(request, "meetings/meeting_detail.html", context, status=400)


def _item_for_edit(request, pk) -> AgendaItem:
    item = get_object_or_404(
        permissions.agenda_items_visible_to(request.user).select_related(
            "meeting", "meeting__unit", "meeting__municipality"
        ),
        pk=pk,
        meeting__municipality_id=request.user.municipality_id,
    )
    if not permissions.can_edit_meeting(request.user, item.meeting):
        if permissions.can_view_meeting(request.user, item.meeting):
            raise PermissionDenied
        raise Http404
    return item


@require_POST
@municipality_member_required
def item_move(request, pk, direction):
    item = _item_for_edit(request, pk)
    try:
        services.agenda_item_move(
            actor=request.user, item=item, direction=1 if direction == "down" else -1
        )
    except ValidationError as exc:  # R30: published minutes change only in a correction
        return _refuse(request, item.meeting, f"item-{item.pk}", _errors_text(exc))
    return _back(item.meeting, f"item-{item.pk}", request)


@require_POST
@municipality_member_required
def item_remove(request, pk):
    item = _item_for_edit(request, pk)
    try:
        services.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        return _refuse(request, item.meeting, f"item-{item.pk}", _errors_text(exc))
    return _back(item.meeting, "agenda")


@require_POST
@municipality_member_required
def item_minutes(request, pk):
    """Save one item's minutes. Used by autosave (htmx) and by the plain Save button."""
    item = _item_for_edit(request, pk)
    refused = _save_minutes(request, item)
    if refused is not None:
        return refused
    item.refresh_from_db()
    if request.htmx:
        return render(request, "meetings/partials/_item_status.html", {"item": item, "saved": True})
    messages.success(request, _("Saved."))
    return _back(item.meeting, f"item-{item.pk}", request)


def _save_minutes(request, item, **kept):
    """Save the posted minutes of one item. None when saved; otherwise the response that shows
    the refusal next to the item and keeps what was typed (issue 10); `kept` carries other
    bound forms of the same item (the positions, R15)."""
    meeting = item.meeting
    form = ItemMinutesForm(request.POST, prefix=f"item{item.pk}")
    if not form.is_valid():
        # A missing or tampered field (e.g. the hidden revision): the form again, never a 500.
        error = _(
            "The minutes were not saved: the form was incomplete. Check the text and save again."
        )
        if request.htmx:
            context = {"item": item, "error": error}
            return render(request, "meetings/partials/_item_status.html", context, status=400)
        # Keep what this person typed, with the errors by the fields.
        return _refuse(
            request, meeting, f"item-{item.pk}", error, bound_item_form=(item.pk, form), **kept
        )
    data = form.cleaned_data
    # "Keep my text" after a conflict: the person saw the other version and chose theirs.
    keep_mine = request.POST.get("keep_mine", "")
    revision = int(keep_mine) if keep_mine.isascii() and keep_mine.isdigit() else data["revision"]
    try:
        services.item_minutes_save(
            actor=request.user,
            item=item,
            revision=revision,
            summary=data["summary"],
            way_forward=data["way_forward"],
            decisions=data.get("decisions", ""),
        )
    except services.MinutesConflict as conflict:
        context = {"item": conflict.item, "mine": data, "form": form}
        if request.htmx:
            return render(request, "meetings/partials/_item_conflict.html", context)
        return _refuse(
            request,
            meeting,
            f"item-{item.pk}",
            _(
                "Someone else saved this item while you were writing. Nothing is lost: compare and choose below."
            ),
            status=409,
            conflict={"item_id": item.pk, **context},
            bound_item_form=(item.pk, form),  # keep what this person typed
            **kept,
        )
    except ValidationError as exc:
        if request.htmx:
            return render(
                request,
                "meetings/partials/_item_status.html",
                {"item": item, "error": _errors_text(exc)},
            )
        return _refuse(
            request,
            meeting,
            f"item-{item.pk}",
            _errors_text(exc),
            bound_item_form=(item.pk, form),
            **kept,
        )
    return None


@require_POST
@municipality_member_required
def item_close(request, pk):
    """Close (or reopen) an item. The Close button belongs to the item's minutes form, so what
    was typed is saved first and is never lost when closing is refused (R13, issue 10)."""
    item = _item_for_edit(request, pk)
    meeting = item.meeting
    try:
        if request.POST.get("reopen"):
            services.item_reopen(actor=request.user, item=item)
        else:
            # Refused before saving, so a stale tab changes nothing on a not-agreed item (R15).
            services.check_item_closable(item)
            if f"item{item.pk}-revision" in request.POST:
                refused = _save_minutes(request, item)
                if refused is not None:
                    return refused
                item.refresh_from_db()
            services.item_close(actor=request.user, item=item)
    except ValidationError as exc:
        return _refuse(request, meeting, f"item-{item.pk}", _errors_text(exc))
    return _back(meeting, f"item-{item.pk}", request)


@require_POST
@municipality_member_required
def item_not_agreed(request, pk):
    """R15: close the item as "not agreed — continue at the next meeting", with each side's
    position. Part of the item's minutes form (formaction), so the text is saved first; a
    refusal is shown in the item with everything typed kept (issue 10)."""
    item = _item_for_edit(request, pk)
    meeting = item.meeting
    form = NotAgreedForm(request.POST, prefix=f"item{item.pk}na")
    if f"item{item.pk}-revision" in request.POST:
        refused = _save_minutes(request, item, bound_not_agreed_form=(item.pk, form))
        if refused is not None:
            return refused
        item.refresh_from_db()
    if not form.is_valid():
        return _refuse(
            request,
            meeting,
            f"item-{item.pk}",
            " ".join(dict.fromkeys(e for errors in form.errors.values() for e in errors)),
            bound_not_agreed_form=(item.pk, form),
        )
    try:
        services.item_not_agreed(
            actor=request.user,
            item=item,
            positions=form.positions(),
            in_between=form.cleaned_data["in_between"],
        )
    except ValidationError as exc:
        return _refuse(
            request,
            meeting,
            f"item-{item.pk}",
            _errors_text(exc),
            bound_not_agreed_form=(item.pk, form),
        )
    item.refresh_from_db()
    continuation = selectors.continuation_of(item)
    if continuation is not None:
        messages.success(
            request,
            _("Not agreed. The item continues at the meeting on %(date)s.")
            % {"date": date_format(timezone.localtime(continuation.meeting.starts_at), "j. F Y")},
        )
    else:
        messages.success(
            request,
            _(
                "Not agreed. No meeting is planned yet: the item waits and is put on the agenda "
                "of the next meeting that is planned."
            ),
        )
    return _back(meeting, f"item-{item.pk}", request)


@require_POST
@municipality_member_required
def attendance_save(request, pk):
    meeting = _editable_meeting(request, pk)
    members = selectors.group_members(meeting.municipality, meeting.unit)
    statuses = {}
    for m in members:
        value = request.POST.get(f"attendance-{m['person'].pk}")
        if value in (Attendance.Status.PRESENT, Attendance.Status.ABSENT):
            statuses[m["person"]] = (value, m["label"])
    guests = [g for g in request.POST.get("guests", "").splitlines() if g.strip()]
    try:
        services.attendance_record(
            actor=request.user, meeting=meeting, statuses=statuses, guests=guests
        )
    except ValidationError as exc:
        typed = {"statuses": {p.pk: v for p, (v, _label) in statuses.items()}}
        typed["guests"] = request.POST.get("guests", "")
        return _refuse(request, meeting, "attendance", _errors_text(exc), attendance_typed=typed)
    messages.success(request, _("Attendance is saved."))
    return _back(meeting, "attendance", request)


@require_POST
@municipality_member_required
def action_add(request, pk):
    meeting = _editable_meeting(request, pk)
    form = ActionForm(request.POST, municipality=meeting.municipality)
    item = None
    if request.POST.get("item"):
        # A junk or foreign item id is a form error, not a ValueError (a 500) or a 404.
        item_id = posted_id(request.POST["item"])
        item = meeting.items.filter(pk=item_id).first() if item_id is not None else None
        if item is None:
            return _refuse(request, meeting, "agenda", _("Unknown item."))
    if form.is_valid():
        try:
            services.action_add(actor=request.user, meeting=meeting, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The action is added."))
            return _back(meeting, f"item-{item.pk}" if item else "actions", request)
    context = _meeting_context(
        request, meeting, action_form=form, action_form_item=item.pk if item else None
    )
    return render(request, "meetings/meeting_detail.html", context, status=400)


@require_POST
@municipality_member_required
def action_done(request, pk):
    action = get_object_or_404(
        permissions.actions_visible_to(request.user).select_related("meeting"),
        pk=pk,
        meeting__municipality_id=request.user.municipality_id,
    )
    if action.assignee_id != request.user.pk and not permissions.can_edit_meeting(
        request.user, action.meeting
    ):
        raise Http404
    services.action_set_done(actor=request.user, action=action, done=not request.POST.get("undo"))
    if request.POST.get("next") == "my_actions":
        return redirect("meetings:my_actions")
    return _back(action.meeting, "actions")


@require_POST
@municipality_member_required
def referral_add(request, pk):
    item = _item_for_edit(request, pk)
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            services.referral_add(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            error = _errors_text(exc)
        else:
            messages.success(request, _("The referral to the decision line is recorded."))
            return _back(item.meeting, f"item-{item.pk}", request)
    else:
        error = _("Say which body the item is referred to, and the date.")
    # The form reopens under its item with what was typed.
    target = f"referral-{item.pk}"
    return _refuse(request, item.meeting, target, error, referral_form=form, open_form=target)


@require_POST
@municipality_member_required
def referral_outcome(request, pk):
    referral = get_object_or_404(
        permissions.referrals_visible_to(request.user).select_related("agenda_item__meeting"),
        pk=pk,
        agenda_item__meeting__municipality_id=request.user.municipality_id,
    )
    meeting = referral.agenda_item.meeting
    if not permissions.can_edit_meeting(request.user, meeting):
        raise Http404
    form = ReferralOutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.referral_outcome(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            error = _errors_text(exc)
        else:
            messages.success(request, _("The outcome is recorded."))
            return _back(meeting, f"item-{referral.agenda_item_id}", request)
    else:
        error = _("Write the outcome and its date.")
    target = f"outcome-{referral.pk}"
    return _refuse(request, meeting, target, error, outcome_form=form, open_form=target)


@require_POST
@municipality_member_required
def minutes_publish(request, pk):
    meeting = _editable_meeting(request, pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        version = services.minutes_publish(
            actor=request.user,
            meeting=meeting,
            change_note=form.cleaned_data.get("change_note", ""),
        )
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return _refuse(request, meeting, "publish", _errors_text(exc), publish_form=form)
    messages.success(
        request,
        _("Version %(number)d of the minutes is published to everyone at the workplace.")
        % {"number": version.number},
    )
    return _back(meeting)


@require_POST
@municipality_member_required
def minutes_correct(request, pk):
    meeting = _editable_meeting(request, pk)
    try:
        services.minutes_correction_start(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        return _refuse(request, meeting, "publish", _errors_text(exc))
    else:
        messages.info(
            request,
            _(
                "You are correcting the minutes. The published version stays until you publish the correction."
            ),
        )
    return _back(meeting)


@municipality_member_required
def minutes_versions(request, pk):
    meeting = _meeting_or_404(request, pk)
    versions = list(meeting.versions.select_related("published_by"))
    if not versions:
        raise Http404
    pairs = []
    for newer, older in zip(versions, versions[1:] + [None], strict=True):
        pairs.append(
            {"version": newer, "changes": selectors.version_changes(older, newer) if older else []}
        )
    return render(
        request,
        "meetings/minutes_versions.html",
        {
            "meeting": meeting,
            "pairs": pairs,
            "group_label": _group_label(meeting.municipality, meeting.unit),
            "group_url": _group_url(meeting.unit),
        },
    )


@municipality_member_required
def my_actions(request):
    return render(request, "meetings/my_actions.html", selectors.my_actions(request.user))


@municipality_member_required
def index(request):
    """My groups' meetings: where I take part, and the workplaces whose minutes I read."""
    user = request.user
    unit_ids = permissions.unit_ids_with_any_role(user)
    if permissions.is_admin(user):
        units = units_visible_to(user).order_by("name")
    else:
        units = units_visible_to(user).filter(pk__in=unit_ids).order_by("name")
    visible = permissions.meetings_visible_to(user)
    return render(
        request,
        "meetings/index.html",
        {
            "units": units,
            "member_unit_ids": permissions.party_group_unit_ids(user),
            "steering_visible": permissions.is_steering_member(user)
            or bool(permissions.party_group_unit_ids(user))
            or permissions.is_admin(user),
            "next_meetings": selectors.next_meetings_for(
                user, visible, limit=5, schedule_qs=permissions.meeting_schedule_visible_to(user)
            ),
            "open_actions": selectors.my_actions(user)["open"],
        },
    )


@require_POST
@municipality_member_required
def agenda_send(request, pk):
    meeting = _editable_meeting(request, pk)
    try:
        services.agenda_send(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        return _refuse(request, meeting, "agenda", _errors_text(exc))
    else:
        messages.success(
            request, _("The agenda and the calendar invitation are sent to the group.")
        )
    return _back(meeting, "agenda")
