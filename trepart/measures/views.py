"""Measure pages. Thin: parse, check permission, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trepart.core import hooks
from trepart.core.concurrency import (
    StaleChange,
    current_version,
    posted_version,
    typed_texts,
    version_of,
)
from trepart.core.forms import add_validation_errors
from trepart.core.tenancy import municipality_member_required
from trepart.measures import forms, permissions, selectors, services
from trepart.measures.models import Decision, Measure, Stage
from trepart.meetings.permissions import agenda_items_visible_to, meetings_visible_to
from trepart.organisation.permissions import is_admin, unit_ids_with_any_role, units_visible_to


def _unit_or_404(request, unit_pk):
    unit = get_object_or_404(
        units_visible_to(request.user).select_related("municipality"), pk=unit_pk
    )
    if not permissions.can_view_unit_measures(request.user, unit):
        raise PermissionDenied
    return unit


def _measure_or_404(request, pk) -> Measure:
    qs = permissions.measures_visible_to(request.user).select_related(
        "unit", "unit__municipality", "municipality", "source_input", "source_agenda_item"
    )
    return get_object_or_404(qs, pk=pk)


def _changeable(request, pk) -> Measure:
    measure = _measure_or_404(request, pk)
    if not permissions.can_change(request.user, measure):
        raise PermissionDenied
    return measure


@municipality_member_required
def index(request):
    """The units whose measures this person may read, with counts per stage."""
    units = units_visible_to(request.user)
    if not is_admin(request.user):
        units = units.filter(pk__in=unit_ids_with_any_role(request.user))
    return render(request, "measures/index.html", {"rows": selectors.units_overview(list(units))})


@municipality_member_required
def board(request, unit_pk):
    """P4: the unit's measures by stage; overdue evaluations highlighted."""
    unit = _unit_or_404(request, unit_pk)
    context = selectors.board(unit, request.GET.get("stage"), request.GET.get("page"))
    context.update(
        unit=unit,
        stages=Stage,
        can_change=permissions.can_change_unit_measures(request.user, unit),
        create_form=forms.MeasureCreateForm(),
    )
    return render(request, "measures/board.html", context)


@municipality_member_required
def measure_create(request, unit_pk):
    unit = _unit_or_404(request, unit_pk)
    if not permissions.can_change_unit_measures(request.user, unit):
        raise PermissionDenied
    form = forms.MeasureCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The measure is created. Plan it with the six questions."))
            return redirect("measures:plan_edit", pk=measure.pk)
    return render(
        request,
        "measures/measure_create.html",
        {"unit": unit, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _detail_context(request, measure, **forms_with_errors) -> dict:
    can_change = permissions.can_change(request.user, measure)
    context = selectors.measure_detail(measure)
    context.update(selectors.measure_source_urls(request.user, measure))  # no links that 404
    missing = services.missing_for_trial(measure) if measure.stage == Stage.PLANNED else []
    context.update(
        measure=measure,
        unit=measure.unit,
        can_change=can_change,
        missing=missing,
        stages=[s for s in Stage if s != Stage.STOPPED],
        is_safety_rep=permissions.is_safety_rep_of(request.user, measure.unit),
        early_days=measure.days_left_in_trial()
        if measure.days_left_in_trial() > services.EARLY_EVALUATION_DAYS
        else 0,
        overdue=measure.evaluation_overdue(),
        can_edit_plan=can_change and measure.stage in (Stage.IDEA, Stage.PLANNED),
        can_mark_win=can_change
        and measure.decision == Decision.KEEP
        and not measure.is_win
        and not measure.needs_line_outcome
        and measure.stage in (Stage.DECIDED, Stage.DONE),
        risk_outdated=bool(
            context["risk"]
            and measure.replanned_at
            and context["risk"].recorded_at < measure.replanned_at
        ),
        # Panels higher apps add to the side column (MEASURE_PAGE_PANELS, e.g. experiences).
        page_panels=hooks.collect(hooks.MEASURE_PAGE_PANELS, request.user, measure, can_change),
    )
    if can_change:
        context.update(
            start_form=forms.TrialStartForm(),
            note_form=forms.NoteForm(),
            evidence_form=forms.EvidenceForm(),
            evaluate_form=forms.EvaluateForm(),
            decide_form=forms.DecideForm(),
            outcome_form=forms.OutcomeForm(),
            stop_form=forms.ReasonForm(),
            comment_form=forms.CommentForm(),
            win_form=forms.WinForm(),
            # Issue 9: every move form sends back the version this page shows (see
            # trepart/core/concurrency.py); the timeline is loaded above, so no extra query.
            version=version_of(context["events"]),
        )
        context.update(forms_with_errors)
    return context


# Issue 9: whether an action's form is on the measure page in the measure's current state, as
# _actions.html shows them. After a conflict a form still on the page keeps what was typed;
# otherwise the text is shown with the conflict message, so nothing typed is lost.
_FORM_ON_PAGE = {
    "start_form": lambda m, ctx: m.stage == Stage.PLANNED,
    "note_form": lambda m, ctx: m.stage == Stage.IN_TRIAL,
    "evidence_form": lambda m, ctx: m.stage in (Stage.IN_TRIAL, Stage.EVALUATED),
    "evaluate_form": lambda m, ctx: m.stage == Stage.IN_TRIAL,
    "decide_form": lambda m, ctx: m.stage == Stage.EVALUATED,
    "outcome_form": lambda m, ctx: m.stage == Stage.DECIDED and m.needs_line_outcome,
    "comment_form": lambda m, ctx: m.stage == Stage.DECIDED and not m.needs_line_outcome,
    "win_form": lambda m, ctx: ctx["can_mark_win"],
    "stop_form": lambda m, ctx: m.stage not in (Stage.DONE, Stage.STOPPED),
}


def _conflict(request, measure, exc: StaleChange, form_name: str, form):
    """Issue 9: the move raced another change and nothing of it was applied. The page again
    with the new state and the message at the top of the actions (409 Conflict)."""
    measure = _measure_or_404(request, measure.pk)
    context = _detail_context(request, measure, **{form_name: form})
    on_page = _FORM_ON_PAGE.get(form_name, lambda m, ctx: False)(measure, context)
    context["conflict"] = {
        "message": " ".join(exc.messages),
        "typed": [] if on_page else typed_texts(form),
    }
    context["open_form"] = form_name
    return render(request, "measures/measure_detail.html", context, status=409)


@municipality_member_required
def measure_detail(request, pk):
    measure = _measure_or_404(request, pk)
    return render(request, "measures/measure_detail.html", _detail_context(request, measure))


@municipality_member_required
def plan_edit(request, pk):
    measure = _changeable(request, pk)
    form = forms.PlanForm(request.POST or None, instance=None, initial=_plan_initial(measure))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(
                actor=request.user,
                measure=measure,
                version=posted_version(request.POST),
                **form.cleaned_data,
            )
        except StaleChange as exc:
            # Issue 9: the form keeps what was typed and now carries the new version.
            conflict = {"message": " ".join(exc.messages), "typed": []}
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("measures:measure_detail", pk=measure.pk)
    measure.refresh_from_db()
    return render(
        request,
        "measures/plan_form.html",
        {
            "measure": measure,
            "form": form,
            "missing": services.missing_for_trial(measure),
            "version": current_version(measure),
            "conflict": conflict,
        },
        status=409 if conflict else 400 if request.method == "POST" else 200,
    )


def _plan_initial(measure):
    return {name: getattr(measure, name) for name in forms.PLAN_FIELDS}


@municipality_member_required
def risk_edit(request, pk):
    """R26: the safety rep's HMS risk assessment."""
    measure = _changeable(request, pk)
    existing = selectors.measure_detail(measure)
    initial_rows = [
        {
            "description": r.description,
            "likelihood": r.likelihood,
            "consequence": r.consequence,
            "mitigation": r.mitigation,
        }
        for r in existing["risks"]
    ]
    risk = existing["risk"]
    form = forms.RiskForm(
        request.POST or None,
        initial={
            "summary": risk.summary if risk else "",
            "with_safety_rep": risk.with_safety_rep if risk else "",
        },
    )
    rows = forms.RiskRowFormSet(request.POST or None, initial=initial_rows, prefix="risk")
    is_safety_rep = permissions.is_safety_rep_of(request.user, measure.unit)
    context = {"measure": measure, "is_safety_rep": is_safety_rep}
    if request.method == "POST" and ("add_row" in request.POST or "remove_row" in request.POST):
        # Issue 10: add or remove a row. Nothing is saved; the form comes back with what was
        # typed. Without JavaScript this is a plain POST; htmx swaps only the rows.
        typed = forms.typed_risk_rows(request.POST)
        if "add_row" in request.POST and len(typed) < forms.RISK_ROWS_MAX:
            typed.append({})
        removed = request.POST.get("remove_row", "")
        if removed.isascii() and removed.isdigit() and int(removed) < len(typed):
            del typed[int(removed)]
        context.update(
            form=forms.RiskForm(
                initial={k: request.POST.get(k, "") for k in forms.RiskForm.base_fields}
            ),
            rows=forms.RiskRowEditFormSet(initial=typed or [{}], prefix="risk"),
            focus_row=len(typed) - 1 if "add_row" in request.POST else None,
        )
        return render(request, "measures/risk_form.html", context)
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            services.risk_assessment_save(
                actor=request.user,
                measure=measure,
                summary=form.cleaned_data["summary"],
                with_safety_rep=form.cleaned_data["with_safety_rep"],
                risks=[r for r in rows.cleaned_data if r],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The risk assessment is recorded."))
            return redirect("measures:measure_detail", pk=measure.pk)
    context.update(form=form, rows=rows)
    return render(
        request, "measures/risk_form.html", context, status=400 if request.method == "POST" else 200
    )


def _post_action(request, pk, form_class, form_name, call, success):
    """One POST action on the measure page: valid → service → redirect; else the page again
    with the form's errors (status 400)."""
    measure = _changeable(request, pk)
    form = form_class(request.POST, request.FILES)
    refused = ""
    if form.is_valid():
        try:
            # Issue 9: the version the page showed; the notes and evidence calls ignore it.
            call(measure, {**form.cleaned_data, "version": posted_version(request.POST)})
        except StaleChange as exc:
            return _conflict(request, measure, exc, form_name, form)
        except ValidationError as exc:
            add_validation_errors(form, exc)
            if not hasattr(exc, "error_dict"):
                refused = " ".join(exc.messages)
        else:
            messages.success(request, success)
            return redirect("measures:measure_detail", pk=measure.pk)
    measure.refresh_from_db()
    context = _detail_context(request, measure, **{form_name: form})
    context["open_form"] = form_name
    if refused and not _FORM_ON_PAGE.get(form_name, lambda m, ctx: False)(measure, context):
        # Issue 10: the form is no longer on the page (e.g. a second click after the stage
        # moved on): the reason is shown by the next step's actions, with what was typed.
        context["conflict"] = {"message": refused, "typed": typed_texts(form)}
    return render(request, "measures/measure_detail.html", context, status=400)


def _start(actor, measure, data):
    """The page lists what is missing next to the form; the message points to it."""
    try:
        services.trial_start(actor=actor, measure=measure, **data)
    except ValidationError as exc:
        if getattr(exc, "code", None) == "not_ready":
            raise ValidationError(
                _("The trial cannot start yet: answer what is missing in the list above."),
                code="not_ready",
            ) from exc
        raise


# The measure page's POST actions: (form, its name in the page's context, the service call,
# the message on success). One view each, all through _post_action.
_ACTIONS = {
    "trial_start": (
        forms.TrialStartForm,
        "start_form",
        _start,
        gettext_lazy("The trial has started."),
    ),
    "note_add": (
        forms.NoteForm,
        "note_form",
        lambda actor, m, d: services.note_add(actor=actor, measure=m, text=d["text"]),
        gettext_lazy("The note is added to the timeline."),
    ),
    "evidence_add": (
        forms.EvidenceForm,
        "evidence_form",
        lambda actor, m, d: services.evidence_add(
            actor=actor, measure=m, text=d["text"], upload=d["upload"]
        ),
        gettext_lazy("The evidence is added."),
    ),
    "evaluate": (
        forms.EvaluateForm,
        "evaluate_form",
        lambda actor, m, d: services.evaluate(actor=actor, measure=m, **d),
        gettext_lazy("The evaluation is recorded. Now decide."),
    ),
    "decide": (
        forms.DecideForm,
        "decide_form",
        lambda actor, m, d: services.decide(actor=actor, measure=m, **d),
        gettext_lazy("The group's decision is saved."),
    ),
    "outcome": (
        forms.OutcomeForm,
        "outcome_form",
        lambda actor, m, d: services.line_outcome_record(actor=actor, measure=m, **d),
        gettext_lazy("The decision line's outcome is recorded."),
    ),
    "complete": (
        forms.CommentForm,
        "comment_form",
        lambda actor, m, d: services.complete(
            actor=actor, measure=m, comment=d["comment"], version=d["version"]
        ),
        gettext_lazy("The measure is done."),
    ),
    "try_again": (
        forms.CommentForm,
        "comment_form",
        lambda actor, m, d: services.try_again(
            actor=actor, measure=m, comment=d["comment"], version=d["version"]
        ),
        gettext_lazy("Back to planning: adjust the plan for the next trial."),
    ),
    "stop": (
        forms.ReasonForm,
        "stop_form",
        lambda actor, m, d: services.stop(
            actor=actor, measure=m, reason=d["reason"], version=d["version"]
        ),
        gettext_lazy("The measure is stopped."),
    ),
    "win_mark": (
        forms.WinForm,
        "win_form",
        lambda actor, m, d: services.win_mark(
            actor=actor, measure=m, story=d["story"], version=d["version"]
        ),
        gettext_lazy("Marked as a win. Well done!"),
    ),
}


def _action_view(name: str):
    form_class, form_name, call, success = _ACTIONS[name]

    @require_POST
    @municipality_member_required
    def view(request, pk):
        return _post_action(
            request,
            pk,
            form_class,
            form_name,
            lambda measure, data: call(request.user, measure, data),
            success,
        )

    view.__name__ = view.__qualname__ = name
    return view


trial_start = _action_view("trial_start")
note_add = _action_view("note_add")
evidence_add = _action_view("evidence_add")
evaluate = _action_view("evaluate")
decide = _action_view("decide")
outcome = _action_view("outcome")
complete = _action_view("complete")
try_again = _action_view("try_again")
stop = _action_view("stop")
win_mark = _action_view("win_mark")


@municipality_member_required
def evidence_download(request, pk):
    evidence = get_object_or_404(
        permissions.evidence_visible_to(request.user).filter(filename__gt=""),
        pk=pk,
    )
    response = HttpResponse(bytes(evidence.content), content_type=evidence.content_type)
    response.headers["Content-Disposition"] = content_disposition_header(True, evidence.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@municipality_member_required
def from_agenda_item(request, item_pk):
    """P4: a measure from an agenda item of the unit's meeting."""
    item = get_object_or_404(
        agenda_items_visible_to(request.user)
        .filter(meeting__in=meetings_visible_to(request.user))
        .select_related("meeting", "meeting__unit"),
        pk=item_pk,
    )
    if item.meeting.unit is None or not permissions.can_change_unit_measures(
        request.user, item.meeting.unit
    ):
        raise PermissionDenied
    try:
        measure = services.measure_create_from_agenda_item(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("meetings:meeting_detail", pk=item.meeting_id)
    return redirect("measures:measure_detail", pk=measure.pk)
