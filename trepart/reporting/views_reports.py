"""Report pages (P5, R30–R32). Thin: parse, check permission, call a service or selector,
render. Every object comes from a `…_visible_to(user)` queryset (another municipality: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trepart.core.forms import add_validation_errors
from trepart.core.tenancy import municipality_member_required
from trepart.organisation.permissions import (
    is_admin,
    is_steering_member,
    party_group_unit_ids,
    unit_ids_with_any_role,
    units_visible_to,
)
from trepart.reporting import forms_reports as forms
from trepart.reporting import permissions, services_reports
from trepart.reporting import selectors_reports as sel
from trepart.reporting.models import UnitReport


def _unit_or_404(request, unit_pk):
    unit = get_object_or_404(
        units_visible_to(request.user).select_related("municipality", "service_area"), pk=unit_pk
    )
    user = request.user
    if not (
        is_admin(user)
        or unit.pk in unit_ids_with_any_role(user)
        or permissions.can_ask_unit(user, unit)
    ):
        raise PermissionDenied
    return unit


def _report_or_404(request, pk) -> UnitReport:
    qs = permissions.reports_visible_to(request.user).select_related(
        "unit", "unit__municipality", "unit__service_area", "updated_by"
    )
    return get_object_or_404(qs, pk=pk)


def _question_or_404(request, pk):
    qs = permissions.questions_visible_to(request.user).select_related(
        "unit", "unit__municipality", "asked_by", "answered_by", "report"
    )
    return get_object_or_404(qs, pk=pk)


@municipality_member_required
def unit_reports(request, unit_pk):
    """The unit's reports (drafts for its party group), the report to start, open questions."""
    unit = _unit_or_404(request, unit_pk)
    user = request.user
    context = sel.unit_reports(
        permissions.reports_visible_to(user), permissions.questions_visible_to(user), unit
    )
    is_group = unit.pk in party_group_unit_ids(user)
    period = services_reports.report_period_to_start(unit) if is_group else None
    for r in context["reports"]:
        r.period_text = sel.period_label(r.period_start, r.period_end)
        r.late = bool(r.first_sent_at) and timezone.localdate(r.first_sent_at) > r.due_on
    context.update(
        unit=unit,
        today=timezone.localdate(),
        answerable_ids={
            q.pk for q in context["open_questions"] if permissions.can_answer_question(user, q)
        },
        is_group=is_group,
        period_to_start=sel.period_label(*period) if period else None,
        can_ask=permissions.can_ask_unit(user, unit),
        answer_form=forms.AnswerForm(),
    )
    return render(request, "reporting/reports/unit_reports.html", context)


@municipality_member_required
@require_POST
def report_start(request, unit_pk):
    unit = _unit_or_404(request, unit_pk)
    try:
        report = services_reports.report_start(actor=request.user, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:unit_reports", unit.pk)
    messages.success(request, _("The report is drafted from your records. Add your own words."))
    return redirect("reporting:report_detail", report.pk)


def _detail(request, report, response_form=None, question_form=None, status=200):
    user = request.user
    can_edit = permissions.can_edit_report(user, report)
    context = sel.report_detail(report, permissions.questions_visible_to(user), editing=can_edit)
    can_respond = permissions.can_respond(user, report)
    context.update(
        report=report,
        today=timezone.localdate(),
        can_edit=can_edit,
        can_respond=can_respond,
        response_form=response_form or forms.ResponseForm(),
        question_form=question_form or forms.QuestionForm(),
        agenda=sel.agenda_state(user) if can_respond else {"may": False},
        answerable={q.pk for q in context["questions"] if permissions.can_answer_question(user, q)},
    )
    return render(request, "reporting/reports/report_detail.html", context, status=status)


@municipality_member_required
def report_detail(request, pk):
    return _detail(request, _report_or_404(request, pk))


@municipality_member_required
def report_edit(request, pk):
    """The group's own words; "Send" sends it (or the correction) as a new version (R30)."""
    report = _report_or_404(request, pk)
    if not permissions.can_edit_report(request.user, report):
        raise PermissionDenied
    if report.status == UnitReport.Status.SENT:
        return redirect("reporting:report_detail", report.pk)
    correcting = report.status == UnitReport.Status.CORRECTING
    initial = {"went_well": report.went_well, "hard": report.hard, "need": report.need}
    form = forms.ReportForm(request.POST or None, initial=initial, correcting=correcting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services_reports.report_save(
                actor=request.user,
                report=report,
                went_well=data["went_well"],
                hard=data["hard"],
                need=data["need"],
            )
            if "send" in request.POST:
                services_reports.report_send(
                    actor=request.user, report=report, change_note=data.get("change_note", "")
                )
                messages.success(request, _("The report is sent to the steering group."))
            else:
                messages.success(request, _("Saved."))
                return redirect("reporting:report_edit", report.pk)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            return redirect("reporting:report_detail", report.pk)
    figures = sel.figure_rows(
        sel.report_figures(report.unit, report.period_start, report.period_end)
    )
    return render(
        request,
        "reporting/reports/report_edit.html",
        {
            "report": report,
            "form": form,
            "correcting": correcting,
            "figures": figures,
            "period_label": sel.period_label(report.period_start, report.period_end),
        },
        status=400 if form.errors else 200,
    )


@municipality_member_required
@require_POST
def report_correct(request, pk):
    report = _report_or_404(request, pk)
    try:
        services_reports.report_correction_start(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:report_detail", report.pk)
    return redirect("reporting:report_edit", report.pk)


@municipality_member_required
def report_versions(request, pk):
    """Every sent version, with what changed from the one before (R30)."""
    report = _report_or_404(request, pk)
    versions = list(report.versions.select_related("sent_by").order_by("-number"))
    pairs = []
    for i, version in enumerate(versions):
        before = versions[i + 1] if i + 1 < len(versions) else None
        pairs.append({"version": version, "changes": _changes(before, version)})
    return render(
        request,
        "reporting/reports/report_versions.html",
        {
            "report": report,
            "pairs": pairs,
            "period_label": sel.period_label(report.period_start, report.period_end),
        },
    )


def _changes(before, after) -> list[dict]:
    if before is None:
        return []
    labels = {
        "went_well": _("What went well"),
        "hard": _("What is hard"),
        "need": _("What we need from the steering group"),
    }
    changes = [
        {"field": label, "before": before.content.get(key, ""), "after": after.content.get(key, "")}
        for key, label in labels.items()
        if before.content.get(key, "") != after.content.get(key, "")
    ]
    old = dict(sel.figure_rows(before.content.get("figures", {}))["rows"])
    for label, value in sel.figure_rows(after.content.get("figures", {}))["rows"]:
        if old.get(label) != value:
            changes.append({"field": label, "before": old.get(label, ""), "after": value})
    return changes


@municipality_member_required
@require_POST
def report_respond(request, pk):
    report = _report_or_404(request, pk)
    if not permissions.can_respond(request.user, report):
        raise PermissionDenied
    form = forms.ResponseForm(request.POST)
    if form.is_valid():
        try:
            services_reports.response_add(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Your response is added."))
            return redirect("reporting:report_detail", report.pk)
    return _detail(request, report, response_form=form, status=400)


@municipality_member_required
@require_POST
def report_ask(request, pk):
    report = _report_or_404(request, pk)
    if not permissions.can_respond(request.user, report):
        raise PermissionDenied
    form = forms.QuestionForm(request.POST)
    if form.is_valid():
        try:
            services_reports.question_ask(
                actor=request.user, unit=report.unit, report=report, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Your question is sent to the unit."))
            return redirect("reporting:report_detail", report.pk)
    return _detail(request, report, question_form=form, status=400)


@municipality_member_required
@require_POST
def report_to_agenda(request, pk):
    report = _report_or_404(request, pk)
    if not permissions.can_respond(request.user, report):
        raise PermissionDenied
    try:
        item = services_reports.report_to_agenda(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The report is on the agenda of the steering group meeting %(date)s.")
            % {"date": date_format(timezone.localtime(item.meeting.starts_at), "j. F Y")},
        )
    return redirect("reporting:report_detail", report.pk)


@municipality_member_required
def question_ask(request, unit_pk):
    """A steering-group member asks a unit a question without a report (R31–R32)."""
    unit = _unit_or_404(request, unit_pk)
    if not permissions.can_ask_unit(request.user, unit):
        raise PermissionDenied
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_reports.question_ask(
                actor=request.user, unit=unit, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Your question is sent to the unit."))
            return redirect("reporting:unit_reports", unit.pk)
    return render(
        request,
        "reporting/reports/question_ask.html",
        {"unit": unit, "form": form},
        status=400 if form.errors else 200,
    )


def _question_page(request, question, form=None, status=200):
    user = request.user
    can_answer = question.is_open and permissions.can_answer_question(user, question)
    can_agenda = is_steering_member(user)
    return render(
        request,
        "reporting/reports/question_detail.html",
        {
            "question": question,
            "can_answer": can_answer,
            "form": form or forms.AnswerForm(),
            "agenda": sel.agenda_state(user) if can_agenda else {"may": False},
            "report_visible": question.report_id
            and permissions.reports_visible_to(user).filter(pk=question.report_id).exists(),
        },
        status=status,
    )


@municipality_member_required
def question_detail(request, pk):
    return _question_page(request, _question_or_404(request, pk))


@municipality_member_required
@require_POST
def question_answer(request, pk):
    question = _question_or_404(request, pk)
    if not permissions.can_answer_question(request.user, question):
        raise PermissionDenied
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services_reports.question_answer(
                actor=request.user, question=question, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Your answer is sent."))
            return redirect("reporting:question_detail", question.pk)
    return _question_page(request, question, form=form, status=400)


@municipality_member_required
@require_POST
def question_to_agenda(request, pk):
    question = _question_or_404(request, pk)
    if not is_steering_member(request.user):
        raise PermissionDenied
    try:
        services_reports.question_to_agenda(actor=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The question is on the steering group's agenda."))
    return redirect("reporting:question_detail", question.pk)


@municipality_member_required
@require_POST
def experience_to_agenda(request, pk):
    """R31: an experience onto the steering group's agenda (steering-group members)."""
    experience = get_object_or_404(permissions.experiences_visible_to(request.user), pk=pk)
    if not is_steering_member(request.user):
        raise PermissionDenied
    try:
        services_reports.experience_to_agenda(actor=request.user, experience=experience)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The experience is on the steering group's agenda."))
    return redirect("reporting:experience_detail", experience.pk)


@municipality_member_required
def steering_reports(request):
    """All sent reports the reader may read, newest first (R31)."""
    user = request.user
    if not (is_steering_member(user) or is_admin(user)):
        raise PermissionDenied
    period = request.GET.get("period", "")
    area = request.GET.get("area", "")
    context = sel.steering_reports(
        permissions.reports_visible_to(user), period=period, service_area=area
    )
    context.update(period=period, area=area)
    return render(request, "reporting/reports/steering_reports.html", context)
