"""Pages of the exercises part (P6): the unit's runs, starting a run, answering privately, the run
page (who has answered; after release the answers side by side by role), early release and
turning an insight into an agenda item or a measure.

Thin: parse, check permission, call a service or selector, render. Units are looked up through
`units_visible_to(user)` and runs through `selectors_exercises.run_for` (another municipality's
run is a 404; an employee of the unit gets a 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trepart.core.forms import add_validation_errors
from trepart.core.tenancy import municipality_member_required
from trepart.organisation.permissions import units_visible_to
from trepart.reflection import catalogue_exercises as catalogue
from trepart.reflection import permissions_exercises as permissions
from trepart.reflection import selectors_exercises as selectors
from trepart.reflection import services_exercises as services
from trepart.reflection.forms_exercises import AnswerForm, InsightForm, ReleaseForm, StartForm


def _unit(request, unit_pk):
    return get_object_or_404(units_visible_to(request.user), pk=unit_pk)


@municipality_member_required
def exercise_list(request, unit_pk):
    unit = _unit(request, unit_pk)
    if not permissions.can_view_unit_exercises(request.user, unit):
        raise PermissionDenied
    context = selectors.unit_runs(request.user, unit)
    context.update(unit=unit, can_start=permissions.can_start(request.user, unit))
    return render(request, "reflection/exercises/list.html", context)


@municipality_member_required
def exercise_start(request, unit_pk):
    unit = _unit(request, unit_pk)
    if not permissions.can_start(request.user, unit):
        raise PermissionDenied
    form = StartForm(request.POST or None, initial={"exercise": request.GET.get("exercise")})
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_start(
                actor=request.user,
                unit=unit,
                exercise=form.cleaned_data["exercise"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("The exercise is started. Everyone in the group can now answer on their own."),
            )
            return redirect("reflection:run_answer", pk=run.pk)
    return render(
        request,
        "reflection/exercises/start.html",
        {"unit": unit, "form": form, "exercises": list(catalogue.EXERCISES.values())},
        status=400 if request.method == "POST" else 200,
    )


def _run_page(request, run, *, release_form=None, insight_form=None, status=200):
    context = selectors.run_detail(request.user, run)
    context.update(
        release_form=release_form or ReleaseForm(),
        insight_form=insight_form or InsightForm(),
        credit=catalogue.CREDIT,
    )
    return render(request, "reflection/exercises/run.html", context, status=status)


@municipality_member_required
def run_detail(request, pk):
    run = selectors.run_for(request.user, pk)
    return _run_page(request, run)


@municipality_member_required
def run_answer(request, pk):
    """Each member answers privately, as a draft or submitted (phone-first, no JS needed). Once
    submitted, a save replaces the submitted answer (no draft any more); after release the page
    only redirects (answers can no longer change)."""
    user = request.user
    run = selectors.run_for(user, pk)
    if run.is_released:
        messages.info(request, _("The answers have been released."))
        return redirect("reflection:run_detail", pk=run.pk)
    if not permissions.can_answer(user, run):
        raise PermissionDenied
    exercise = catalogue.get(run.exercise)
    kind = catalogue.KIND_OF_ROLE.get(services.member_role(user, run.unit))
    questions = exercise.questions_for(kind)
    own = selectors.answers_readable_by(user, run).filter(person_id=user.pk).first()
    initial = {f"q_{k}": v for k, v in (own.answers if own else {}).items()}
    form = AnswerForm(request.POST or None, questions=questions, initial=initial)
    was_submitted = bool(own and own.submitted_at)
    if request.method == "POST" and form.is_valid():
        submit = was_submitted or request.POST.get("action") != "draft"
        try:
            services.answer_save(actor=user, run=run, answers=form.answers(), submit=submit)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.error_dict.items():
                    for error in errors:
                        form.add_error(f"q_{key}" if f"q_{key}" in form.fields else None, error)
            else:
                add_validation_errors(form, exc)
        else:
            run.refresh_from_db()
            if run.is_released:
                messages.success(
                    request, _("Thank you. Everyone has answered, so the answers are now shown.")
                )
            elif was_submitted:
                messages.success(
                    request,
                    _(
                        "Your changes are saved. They replace the answers you sent, and the "
                        "group sees them when the answers are shown."
                    ),
                )
            elif submit:
                messages.success(
                    request,
                    _("Thank you. Your answers are shown to the group when everyone has answered."),
                )
            else:
                messages.success(request, _("Your draft is saved. Only you can see it."))
                return redirect("reflection:run_answer", pk=run.pk)
            return redirect("reflection:run_detail", pk=run.pk)
    return render(
        request,
        "reflection/exercises/answer.html",
        {
            "run": run,
            "exercise": exercise,
            "intro": exercise.intro_for(kind),
            "form": form,
            "own": own,
            "credit": catalogue.CREDIT,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@municipality_member_required
def run_release(request, pk):
    """The chair shows the answers before everyone has answered (with a confirmation)."""
    run = selectors.run_for(request.user, pk)
    if run.is_released:
        return redirect("reflection:run_detail", pk=run.pk)
    if not permissions.can_release(request.user, run):
        raise PermissionDenied
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            services.run_release(actor=request.user, run=run)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The answers are now shown to the group."))
            return redirect("reflection:run_detail", pk=run.pk)
    return _run_page(request, run, release_form=form, status=400)


@require_POST
@municipality_member_required
def run_insight(request, pk):
    """Turn an insight into an agenda item on the next meeting, or a measure, in one step."""
    run = selectors.run_for(request.user, pk)
    if not permissions.can_turn_into(request.user, run):
        raise PermissionDenied
    form = InsightForm(request.POST)
    if form.is_valid():
        try:
            outcome = services.insight_turn(actor=request.user, run=run, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            if outcome.agenda_item_id:
                messages.success(request, _("The insight is on the agenda of the next meeting."))
            else:
                messages.success(request, _("The insight is a new measure on your unit's board."))
            return redirect(reverse("reflection:run_detail", args=[run.pk]) + "#outcomes")
    return _run_page(request, run, insight_form=form, status=400)
