"""Pages of the cooperation pulse (P6; R33–R35): the group's pulse page with its trends, the
answer page, and starting the period's pulse by hand.

Thin: the unit comes from `units_visible_to(user)` (another municipality: 404), the pulse from
`pulses_visible_to(user)`; who may see or answer is decided in `pulse` (403 otherwise). GET
never writes.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trepart.core.forms import add_validation_errors
from trepart.core.tenancy import municipality_member_required
from trepart.organisation.permissions import units_visible_to
from trepart.surveys import pulse, selectors_pulse, services_pulse
from trepart.surveys.forms_pulse import PulseAnswerForm
from trepart.surveys.models import Survey
from trepart.surveys.services import has_answered


def _unit(request, unit_pk):
    return get_object_or_404(
        units_visible_to(request.user).select_related("municipality"), pk=unit_pk
    )


@require_GET
@municipality_member_required
def pulse_unit(request, unit_pk):
    unit = _unit(request, unit_pk)
    if not pulse.can_view_pulse(request.user, unit):
        raise PermissionDenied
    context = selectors_pulse.unit_pulse(request.user, unit, timezone.localdate())
    context.update(unit=unit)
    return render(request, "surveys/pulse/unit.html", context)


@require_POST
@municipality_member_required
def pulse_start(request, unit_pk):
    unit = _unit(request, unit_pk)
    if not pulse.can_start_pulse(request.user, unit):
        raise PermissionDenied
    try:
        services_pulse.pulse_start(request.user, unit)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
        return redirect("surveys:pulse_unit", unit_pk=unit.pk)
    messages.success(request, _("The pulse is open. The group's members have been told by e-mail."))
    return redirect("surveys:pulse_answer", unit_pk=unit.pk)


@require_http_methods(["GET", "POST"])
@municipality_member_required
def pulse_answer(request, unit_pk):
    """R4: the group's members answer, once each, on a phone, without JavaScript."""
    unit = _unit(request, unit_pk)
    if not pulse.can_answer_pulse(request.user, unit):
        raise PermissionDenied
    today = timezone.localdate()
    survey = (
        pulse.pulses_visible_to(request.user)
        .filter(
            unit=unit,
            status=Survey.Status.OPEN,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .order_by("-opens_on", "-id")
        .first()
    )
    context = {"unit": unit, "survey": survey, "can_view": True}
    if survey is None:
        context["can_start"] = pulse.can_start_pulse(request.user, unit)
        return render(request, "surveys/pulse/answer.html", context)
    context["period"] = pulse.survey_period_label(survey)
    if has_answered(survey, request.user):
        context["answered"] = True
        return render(request, "surveys/pulse/answer.html", context)
    questions = list(survey.questions.all())
    form = PulseAnswerForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services_pulse.pulse_answer(request.user, survey, form.answers(), today=today)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Thank you! Your answer is saved, without your name."))
            return redirect("surveys:pulse_answer", unit_pk=unit.pk)
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/pulse/answer.html", context, status=status)
