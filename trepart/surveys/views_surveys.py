"""Pages of the staff surveys (P7; R17, R22, R23, R25).

Thin: parse, check permission, call a service or selector, render. Every lookup of a survey
starts from `surveys_visible_to(user)` (another municipality's survey is a 404) or, on the
anonymous link, from the survey's token. The anonymous answer page is an `anonymous_endpoint`:
no address in the access log, no session, no user stored even when someone is logged in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trepart.core import proofofwork, ratelimit
from trepart.core.forms import add_validation_errors, posted_id
from trepart.core.privacy import anonymous_endpoint
from trepart.core.tenancy import municipality_member_required
from trepart.inputs import channel
from trepart.inputs.exports import qr_svg
from trepart.measures.permissions import measures_visible_to
from trepart.organisation.permissions import unit_ids_with_any_role, units_visible_to
from trepart.surveys import exports, permissions, selectors, services
from trepart.surveys import services_surveys as authoring
from trepart.surveys.forms import (
    MUNICIPALITY,
    QuestionForm,
    SurveyCreateForm,
    SurveyForm,
    SurveySettingsForm,
)
from trepart.surveys.models import Question, Survey
from trepart.surveys.services_surveys import likert_labels
from trepart.surveys.thresholds import municipality_threshold

ANSWERED_SALT = "trepart.surveys.answered"
# A municipality-wide link has no unit to scale the ceiling by.
MUNICIPAL_LINK_RATES = [ratelimit.Rate(300, 3600), ratelimit.Rate(2000, 86400)]


def _private(response):
    """Answer pages: never cached, never indexed, no address sent as referrer."""
    patch_cache_control(response, private=True, no_store=True)
    response.headers["Referrer-Policy"] = "strict-origin"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- list, create, run -------------------------------------------------------------------------


@municipality_member_required
def survey_list(request):
    context = selectors.survey_list(request.user)
    context.update(
        can_create=permissions.can_create(request.user),
        can_change_settings=permissions.can_change_settings(request.user),
    )
    return render(request, "surveys/list.html", context)


def _create_choices(user):
    units = list(permissions.creatable_units(user).order_by("name"))
    measures = list(
        measures_visible_to(user)
        .filter(unit__in=units, stage__in=authoring.EVALUATION_STAGES)
        .select_related("unit")
        .order_by("title")
    )
    return units, measures


@municipality_member_required
def survey_create(request):
    """A party group (or the administration, for the whole municipality) starts a survey from
    a template. ?unit=<id>, ?measure=<id> and ?kind= preselect (from the unit and measure pages)."""
    user = request.user
    if not permissions.can_create(user):
        raise PermissionDenied
    units, measures = _create_choices(user)
    municipality_allowed = permissions.runs_municipality_surveys(user)
    initial = {}
    unit_id, measure_id = posted_id(request.GET.get("unit")), posted_id(request.GET.get("measure"))
    if unit_id and any(u.pk == unit_id for u in units):
        initial["scope"] = str(unit_id)
    if measure_id and any(m.pk == measure_id for m in measures):
        initial.update(measure=str(measure_id), kind=Survey.Kind.TRIAL_EVALUATION)
    if request.GET.get("kind") in Survey.Kind.values:
        initial.setdefault("kind", request.GET["kind"])
    form = SurveyCreateForm(
        request.POST or None,
        initial=initial,
        units=units,
        municipality_allowed=municipality_allowed,
        measures=measures,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = None
        if data["scope"] != MUNICIPALITY:
            unit = next(u for u in units if str(u.pk) == data["scope"])
        measure = next((m for m in measures if str(m.pk) == data.get("measure")), None)
        try:
            survey = authoring.survey_create(
                actor=user, kind=data["kind"], unit=unit, measure=measure, audience=data["audience"]
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request, _("The survey is saved as a draft. Check the questions, then open it.")
            )
            return redirect("surveys:survey_detail", pk=survey.pk)
    return render(
        request,
        "surveys/create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _detail_context(request, survey, *, form=None, question_forms=None, add_form=None):
    questions = list(survey.questions.all())
    locked = authoring.questions_locked(survey)
    question_forms = question_forms or {}
    link = request.build_absolute_uri(reverse("surveys:survey_answer_link", args=[survey.token]))
    rows = [
        {
            "question": q,
            "form": question_forms.get(q.pk)
            or QuestionForm(
                initial={"kind": q.kind, "text": q.text, "choices": "\n".join(q.choices)},
                prefix=f"q{q.pk}",
            ),
        }
        for q in questions
    ]
    return {
        "survey": survey,
        "rows": rows,
        "locked": locked,
        "form": form
        or SurveyForm(
            initial={
                "title": survey.title,
                "intro": survey.intro,
                "audience": survey.audience,
                "opens_on": survey.opens_on,
                "closes_on": survey.closes_on,
            }
        ),
        "add_form": add_form or QuestionForm(prefix="new"),
        "is_open": services.is_open(survey),
        "link": link,
        "answer_url": request.build_absolute_uri(
            reverse("surveys:survey_answer", args=[survey.pk])
        ),
        "likert_labels": likert_labels(),
        "qr": qr_svg(link) if survey.audience == Survey.Audience.ANONYMOUS_LINK else "",
    }


def _survey_to_run(request, pk) -> Survey:
    survey = selectors.survey_for(request.user, pk)
    if not permissions.can_run(request.user, survey):
        raise PermissionDenied
    return survey


@municipality_member_required
def survey_detail(request, pk):
    """Run a survey: its settings, its questions (until the first answer), open and close."""
    survey = _survey_to_run(request, pk)
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                authoring.survey_update(actor=request.user, survey=survey, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, _("The survey is saved."))
                return redirect("surveys:survey_detail", pk=survey.pk)
        return render(
            request, "surveys/detail.html", _detail_context(request, survey, form=form), status=400
        )
    return render(request, "surveys/detail.html", _detail_context(request, survey))


@require_POST
@municipality_member_required
def question_add(request, pk):
    survey = _survey_to_run(request, pk)
    form = QuestionForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            authoring.question_add(
                actor=request.user,
                survey=survey,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                choices=form.cleaned_data["choice_list"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The question is added."))
            return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + "#questions")
    return render(
        request, "surveys/detail.html", _detail_context(request, survey, add_form=form), status=400
    )


@require_POST
@municipality_member_required
def question_edit(request, pk, question_pk):
    survey = _survey_to_run(request, pk)
    question = get_object_or_404(survey.questions.all(), pk=question_pk)
    if request.POST.get("delete") == "1":
        try:
            authoring.question_delete(actor=request.user, question=question)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The question is removed."))
        return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + "#questions")
    form = QuestionForm(request.POST, prefix=f"q{question.pk}")
    if form.is_valid():
        try:
            authoring.question_update(
                actor=request.user,
                question=question,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                choices=form.cleaned_data["choice_list"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The question is saved."))
            return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + "#questions")
    return render(
        request,
        "surveys/detail.html",
        _detail_context(request, survey, question_forms={question.pk: form}),
        status=400,
    )


@require_POST
@municipality_member_required
def survey_status(request, pk):
    """Open (a draft) or close (an open survey)."""
    survey = _survey_to_run(request, pk)
    action = request.POST.get("action")
    service = {"open": authoring.survey_open, "close": authoring.survey_close}.get(action)
    if service is None:
        messages.error(request, _("Choose to open or to close the survey."))
        return redirect("surveys:survey_detail", pk=survey.pk)
    try:
        service(actor=request.user, survey=survey)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The survey is open. Share the link.")
            if action == "open"
            else _("The survey is closed."),
        )
    return redirect("surveys:survey_detail", pk=survey.pk)


# --- results ---------------------------------------------------------------------------------


def _survey_results_for(request, pk) -> Survey:
    survey = selectors.survey_for(request.user, pk)
    if not permissions.can_see_results(request.user, survey):
        raise PermissionDenied
    return survey


@municipality_member_required
def survey_results(request, pk):
    survey = _survey_results_for(request, pk)
    return render(
        request,
        "surveys/results.html",
        {
            "results": selectors.survey_results(survey),
            "survey": survey,
            "can_run": permissions.can_run(request.user, survey),
        },
    )


@municipality_member_required
def survey_export(request, pk):
    """The aggregates as an Excel workbook, with the same hiding as the page."""
    survey = _survey_results_for(request, pk)
    with translation.override(exports.workbook_language()):
        content, filename = exports.results_workbook(selectors.survey_results(survey))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- answering -------------------------------------------------------------------------------


def _answer_context(survey, posted=None, errors=None) -> dict:
    posted = posted or {}
    errors = errors or {}
    likert = likert_labels()
    questions = []
    for q in survey.questions.all():
        value = posted.get(f"q{q.pk}", "")
        if q.kind == Question.Kind.LIKERT:
            options = [(str(i), f"{i} – {label}") for i, label in enumerate(likert, start=1)]
        elif q.kind == Question.Kind.CHOICE:
            options = [(str(i), c) for i, c in enumerate(q.choices)]
        else:
            options = []
        questions.append(
            {"q": q, "value": value, "options": options, "error": errors.get(f"q{q.pk}")}
        )
    return {"survey": survey, "questions": questions, "errors": errors}


def _posted_answers(request) -> dict:
    return {
        key[1:]: value[:3000]
        for key, value in request.POST.items()
        if key.startswith("q") and key[1:].isdigit()
    }


def _errors_of(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            k: " ".join(str(m) for e in v for m in e.messages) for k, v in exc.error_dict.items()
        }
    return {"general": " ".join(exc.messages)}


def _closed_page(request, survey, status=200):
    not_yet = bool(survey.opens_on and survey.opens_on > timezone.localdate())
    return render(
        request,
        "surveys/answer_closed.html",
        {"survey": survey, "not_yet": not_yet and survey.status == Survey.Status.OPEN},
        status=status,
    )


@municipality_member_required
def survey_answer(request, pk):
    """Staff who log in: one answer per person (the Respondent row), never linked to it."""
    user = request.user
    survey = selectors.survey_for(user, pk)
    if not permissions.may_answer(user, survey):
        raise PermissionDenied
    if survey.audience == Survey.Audience.ANONYMOUS_LINK:
        return redirect("surveys:survey_answer_link", token=survey.token)
    if services.has_answered(survey, user):
        return _private(
            render(request, "surveys/answer_done.html", {"survey": survey, "again": True})
        )
    if not services.is_open(survey):
        return _private(_closed_page(request, survey))
    if request.method == "POST":
        answers = _posted_answers(request)
        try:
            services.response_submit(
                survey=survey, answers=answers, person=user, unit=_answer_unit(user, survey)
            )
        except ValidationError as exc:
            if services.has_answered(survey, user):  # a second tab or a double click
                return _private(
                    render(request, "surveys/answer_done.html", {"survey": survey, "again": True})
                )
            context = _answer_context(survey, request.POST, _errors_of(exc))
            return _private(render(request, "surveys/answer.html", context, status=400))
        return _private(redirect("surveys:survey_answered", pk=survey.pk))
    return _private(render(request, "surveys/answer.html", _answer_context(survey)))


def _answer_unit(user, survey):
    """For a survey of the whole municipality, the answer is counted under the person's unit
    when they have exactly one (for breakdowns that respect the threshold); else none."""
    if survey.unit_id is not None:
        return survey.unit
    ids = unit_ids_with_any_role(user)
    if len(ids) != 1:
        return None
    return units_visible_to(user).filter(pk__in=ids).first()


@municipality_member_required
def survey_answered(request, pk):
    survey = selectors.survey_for(request.user, pk)
    if not services.has_answered(survey, request.user):
        return redirect("surveys:survey_answer", pk=survey.pk)
    return _private(render(request, "surveys/answer_done.html", {"survey": survey}))


def _cookie_name(survey) -> str:
    return f"trepart_survey_{survey.pk}"


def _answered_in_this_browser(request, survey) -> bool:
    value = request.get_signed_cookie(_cookie_name(survey), default=None, salt=ANSWERED_SALT)
    return value == survey.token


def _link_refusal(survey, solved: bool) -> str | None:
    """Abuse protection as on the anonymous input link (issue 10): a strict bucket without a
    solved proof of work, and a ceiling per link scaled to the unit's size. No key holds a
    person or an address."""
    if not solved and not ratelimit.hit(
        f"survey-link-unsolved:{survey.pk}", *channel.unsolved_rates()
    ):
        return _(
            "Many answers were sent from this link just now without the automatic check that "
            "the page normally does in the background (it needs JavaScript). Wait a minute "
            "and send again – your answers are kept."
        )
    rates = channel.link_ceiling(survey.unit) if survey.unit_id else MUNICIPAL_LINK_RATES
    if not ratelimit.hit(f"survey-link:{survey.pk}", *rates):
        return _(
            "So many answers have come through this link lately that it takes a break, to stop "
            "misuse. Your answers are kept: send them again in an hour."
        )
    return None


def _widget_strings() -> dict:
    """The ALTCHA widget's texts (the same as on the anonymous input form)."""
    return {
        "ariaLinkLabel": "ALTCHA",
        "cancel": _("Cancel"),
        "enterCode": _("Enter the code"),
        "error": _("The automatic check failed. You can still send."),
        "expired": _("The automatic check expired. You can still send."),
        "footer": "",
        "label": _("Automatic check that a person is sending"),
        "loading": _("Loading …"),
        "reload": _("Reload"),
        "verificationRequired": _("The automatic check is needed."),
        "verified": _("Checked"),
        "verify": _("Check"),
        "verifying": _("Checking …"),
        "waitAlert": _("Checking … one moment."),
    }


def _use_municipality_language(request, municipality):
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and municipality.default_language:
        translation.activate(municipality.default_language)
        request.LANGUAGE_CODE = municipality.default_language


@anonymous_endpoint
def survey_answer_link(request, token):
    """The anonymous link: no login, no person, no address. One answer per browser (a signed
    cookie that holds only the survey's token), proof of work and rate limits against floods."""
    survey = selectors.survey_for_token(token)
    if survey is None:
        return _private(render(request, "surveys/answer_unknown.html", status=404))
    _use_municipality_language(request, survey.municipality)
    if survey.audience != Survey.Audience.ANONYMOUS_LINK:
        # A survey for staff who log in: its own page (which asks them to log in first).
        return _private(redirect("surveys:survey_answer", pk=survey.pk))
    if _answered_in_this_browser(request, survey):
        return _private(
            render(
                request,
                "surveys/answer_done.html",
                {"survey": survey, "again": True, "anonymous": True},
            )
        )
    if not services.is_open(survey):
        return _private(_closed_page(request, survey))
    status = 200
    context = _answer_context(survey)
    if request.method == "POST":
        answers = _posted_answers(request)
        try:
            services.clean_answers(survey, answers)
        except ValidationError as exc:
            context = _answer_context(survey, request.POST, _errors_of(exc))
            status = 400
        else:
            verdict = proofofwork.verify(request.POST.get(proofofwork.FIELD))
            refusal = _link_refusal(survey, verdict.solved)
            if refusal:
                context = _answer_context(survey, request.POST)
                context["refusal"] = refusal
                status = 429
            else:
                try:
                    # P7: no person, not even when someone happens to be logged in.
                    services.response_submit(survey=survey, answers=answers, person=None)
                except ValidationError as exc:
                    context = _answer_context(survey, request.POST, _errors_of(exc))
                    status = 400
                else:
                    response = redirect("surveys:survey_answer_link_done", token=survey.token)
                    response.set_signed_cookie(
                        _cookie_name(survey),
                        survey.token,
                        salt=ANSWERED_SALT,
                        max_age=365 * 86400,
                        path=reverse("surveys:survey_answer_link", args=[survey.token]),
                        httponly=True,
                        samesite="Lax",
                        secure=request.is_secure(),
                    )
                    return _private(response)
    context.update(
        challenge=proofofwork.challenge_json(),
        widget_strings=_widget_strings(),
        anonymous=True,
    )
    return _private(render(request, "surveys/answer.html", context, status=status))


@anonymous_endpoint
def survey_answer_link_done(request, token):
    survey = selectors.survey_for_token(token)
    if survey is None:
        return _private(render(request, "surveys/answer_unknown.html", status=404))
    _use_municipality_language(request, survey.municipality)
    return _private(
        render(request, "surveys/answer_done.html", {"survey": survey, "anonymous": True})
    )


# --- participation and settings -------------------------------------------------------------


@municipality_member_required
def participation(request, unit_pk):
    """R23: how many used the channel and answered surveys, per quarter, counts only."""
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    if not permissions.can_see_participation(request.user, unit):
        raise PermissionDenied
    data = selectors.participation(unit, timezone.localdate())
    context = {**data, "participation": data, **selectors.survey_list(request.user, unit)}
    context["can_create"] = permissions.can_create_for_unit(request.user, unit)
    return render(request, "surveys/participation.html", context)


@municipality_member_required
def survey_settings(request):
    user = request.user
    if not permissions.can_change_settings(user):
        raise PermissionDenied
    form = SurveySettingsForm(
        request.POST or None, initial={"threshold": municipality_threshold(user.municipality_id)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            authoring.settings_update(
                actor=user, municipality=user.municipality, threshold=form.cleaned_data["threshold"]
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The survey settings are saved."))
            return redirect("surveys:survey_list")
    return render(
        request,
        "surveys/settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
