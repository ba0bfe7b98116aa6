"""Staff input pages. Thin: parse, check permission, call a service or selector, render.

Anonymous pages (the unit's link and the receipt) are marked `anonymous_endpoint`: they never
read the client address, set no session and are logged without it (P3).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trepart.core import hooks, proofofwork, ratelimit
from trepart.core.concurrency import StaleChange, posted_version, typed_texts, version_of
from trepart.core.forms import add_validation_errors
from trepart.core.privacy import anonymous_endpoint
from trepart.core.tenancy import municipality_member_required
from trepart.inputs import channel, exports, permissions, selectors, services
from trepart.inputs.forms import AnswerForm, HideForm, InputForm, NamedInputForm, ReceiptLookupForm
from trepart.inputs.models import Input
from trepart.organisation.models import Unit
from trepart.organisation.permissions import unit_ids_with_any_role, units_visible_to


def _rates(name):
    return [ratelimit.Rate(limit, seconds) for limit, seconds in getattr(settings, name)]


def _private(response):
    """Anonymous pages: never cached, never indexed, and the address (with a receipt code or
    link) never sent as a referrer, not even with the page's own CSS to our own server:
    "strict-origin" sends the origin only. (Not "no-referrer": browsers then send
    `Origin: null` with the form's POST, which Django's CSRF check rightly refuses.)"""
    patch_cache_control(response, private=True, no_store=True)
    response.headers["Referrer-Policy"] = "strict-origin"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _use_municipality_language(request, municipality):
    """Without a chosen language, anonymous pages speak the municipality's language (P8)."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and municipality.default_language:
        translation.activate(municipality.default_language)
        request.LANGUAGE_CODE = municipality.default_language


def _scope_context(form, exc: services.OutOfScope) -> dict:
    return {"scope_message": exc.finding.message, "scope_kind": exc.finding.kind}


# --- anonymous: the unit's link -----------------------------------------------------------------


def _widget_strings() -> dict:
    """The ALTCHA widget's texts, in the page's language. The widget is invisible; these are
    only read if a browser shows it anyway (assistive technology, a failed check)."""
    return {
        "ariaLinkLabel": "ALTCHA",
        "cancel": _("Cancel"),
        "enterCode": _("Enter the code"),
        "enterCodeAria": _("Enter the code you hear. Press Space to play the sound."),
        "enterCodeFromImage": _("Enter the code from the image below to go on."),
        "error": _("The automatic check failed. You can still send."),
        "expired": _("The automatic check expired. You can still send."),
        "footer": "",
        "getAudioChallenge": _("Get the code as sound"),
        "label": _("Automatic check that a person is sending"),
        "loading": _("Loading …"),
        "reload": _("Reload"),
        "verificationRequired": _("The automatic check is needed."),
        "verified": _("Checked"),
        "verify": _("Check"),
        "verifying": _("Checking …"),
        "waitAlert": _("Checking … one moment."),
    }


def _link_refusal(link, solved: bool) -> str | None:
    """Issue 10 (R20, P3): abuse protection that costs a script and not a colleague.

    Without a solved proof-of-work challenge (JavaScript off, or a replayed or expired one)
    a submission counts against a strict bucket per link. Every submission counts against the
    link's ceiling, scaled to the unit's size, so that a whole unit can send after a staff
    meeting and a flood cannot fill the group's list. No key holds a person or an address.
    """
    if not solved and not ratelimit.hit(
        f"input-link-unsolved:{link.pk}", *channel.unsolved_rates()
    ):
        return _(
            "Many inputs were sent from this link just now without the automatic check that "
            "the page normally does in the background (it needs JavaScript). Wait a minute "
            "and send again – your text is kept."
        )
    if not ratelimit.hit(f"input-link:{link.pk}", *channel.link_ceiling(link.unit)):
        return _(
            "So many inputs have come through this link lately that it takes a break, to stop "
            "misuse. Your text is kept: send it again in an hour, or give it to your union rep "
            "or safety rep."
        )
    return None


@anonymous_endpoint
def anonymous_form(request, token):
    link = selectors.input_link_for_token(token)
    if link is None:
        return _private(render(request, "inputs/link_unknown.html", status=404))
    unit = link.unit
    _use_municipality_language(request, unit.municipality)
    context = {"unit": unit, "link": link, "answer_days": unit.municipality.input_answer_days}
    status = 200
    if request.method == "POST":
        form = InputForm(request.POST)
        if form.is_valid():
            # The challenge is spent here, whatever comes next; the page shown again carries
            # a fresh one, which the browser solves while the person reads it.
            verdict = proofofwork.verify(request.POST.get(proofofwork.FIELD))
            refusal = _link_refusal(link, verdict.solved)
            if refusal:
                context["refusal"] = refusal  # what was typed stays in the form
                status = 429
            else:
                try:
                    _item, code = services.input_submit(
                        unit=unit,
                        text=form.cleaned_data["text"],
                        category=form.cleaned_data["category"],
                        to_leader=request.POST.get("to_leader") == "1",
                    )
                except services.OutOfScope as exc:
                    context.update(_scope_context(form, exc))
                except ValidationError as exc:
                    add_validation_errors(form, exc)
                else:
                    return _private(redirect(_receipt_just_sent_url(code)))
    else:
        form = InputForm()
    context["form"] = form
    context["challenge"] = proofofwork.challenge_json()
    context["widget_strings"] = _widget_strings()
    return _private(render(request, "inputs/anonymous_form.html", context, status=status))


# --- anonymous: the receipt ---------------------------------------------------------------------


_SENT_SIGNER = signing.Signer(salt="trepart.inputs.receipt-sent")


def _receipt_just_sent_url(code: str) -> str:
    """The receipt right after sending. The `sent` mark is a signature of the code (no time in
    it): it shows the thank-you once. It proves only that the holder already has this code and
    helps guess no other. (A correct code is answered anyway, even while wrong codes are
    limited.)"""
    signature = _SENT_SIGNER.signature(code)
    return reverse("inputs:receipt", args=[code]) + f"?sent={signature}"


def _just_sent(request, code: str) -> bool:
    signature = request.GET.get("sent", "")
    return bool(signature) and constant_time_compare(signature, _SENT_SIGNER.signature(code))


def _wrong_code_limited() -> bool:
    """Count one wrong code (platform-wide, no address); True when wrong codes are limited.

    Issue 10: only wrong codes are counted and limited. A correct code is always answered,
    whatever flood of wrong codes goes on elsewhere: guessing stays futile because of the
    code's length, not because of this limit (decision 0002)."""
    return not ratelimit.hit("receipt-failures", *_rates("RECEIPT_FAILURE_RATES"))


@anonymous_endpoint
def receipt_lookup(request):
    form = ReceiptLookupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        code = services.normalise_receipt_code(form.cleaned_data["code"])
        item, _folded = channel.receipt_lookup(code)
        if item is not None:
            return _private(redirect("inputs:receipt", code=code))
        if _wrong_code_limited():
            form.add_error("code", _limited_message())
            status = 429
        else:
            form.add_error("code", _("We found no input with this code. Check the code."))
    return _private(render(request, "inputs/receipt_lookup.html", {"form": form}, status=status))


def _limited_message() -> str:
    return _(
        "We found no input with this code. Many wrong codes have been tried just now. Check "
        "that your code is right: a correct code is always shown."
    )


@anonymous_endpoint
def receipt(request, code):
    item, folded = channel.receipt_lookup(services.normalise_receipt_code(code))
    if item is None:
        # Reveals nothing: no unit, no municipality, the same page as a mistyped code.
        limited = _wrong_code_limited()
        context = {"form": ReceiptLookupForm(), "not_found": True, "limited": limited}
        return _private(
            render(request, "inputs/receipt_lookup.html", context, status=429 if limited else 404)
        )
    _use_municipality_language(request, item.municipality)
    context = {
        "item": item,
        "code": services.format_receipt_code(services.normalise_receipt_code(code)),
        "url": settings.SITE_URL
        + reverse("inputs:receipt", args=[services.normalise_receipt_code(code)]),
        "just_sent": _just_sent(request, code),
        "folded": folded,
        # The receipt reader is anonymous: follow-ups get no user and show no links.
        "follow_ups": _follow_ups(None, item),
    }
    return _private(render(request, "inputs/receipt.html", context))


# --- logged in: staff ---------------------------------------------------------------------------


def _my_units(user):
    return units_visible_to(user).filter(pk__in=unit_ids_with_any_role(user)).order_by("name")


@municipality_member_required
def index(request):
    """P3 item 9: my inputs and the public ones of my units; links to the groups' lists."""
    context = selectors.staff_inputs(request.user)
    context["my_units"] = list(_my_units(request.user))
    context["group_summaries"] = selectors.group_summaries(request.user)
    return render(request, "inputs/index.html", context)


@municipality_member_required
def input_new(request):
    units = list(_my_units(request.user))
    if not units:
        raise PermissionDenied
    initial_unit = request.GET.get("unit")
    form = NamedInputForm(
        request.POST or None,
        units=units_visible_to(request.user).filter(pk__in=[u.pk for u in units]),
        initial={"unit": initial_unit or units[0].pk},
    )
    context = {"form": form, "units": units}
    status = 200
    if request.method == "POST" and form.is_valid():
        # A hidden name is counted per unit, like the anonymous link: no trace of the person.
        key = (
            f"input-unit:{form.cleaned_data['unit'].pk}"
            if form.cleaned_data["hide_name"]
            else f"input-user:{request.user.pk}"
        )
        if not ratelimit.hit(key, *_rates("INPUT_USER_RATES")):
            form.add_error(None, _("You sent many inputs just now. Wait a minute and try again."))
            status = 429
        else:
            try:
                item, code = services.input_submit(
                    unit=form.cleaned_data["unit"],
                    text=form.cleaned_data["text"],
                    category=form.cleaned_data["category"],
                    author=request.user,
                    hide_name=form.cleaned_data["hide_name"],
                    to_leader=request.POST.get("to_leader") == "1",
                )
            except services.OutOfScope as exc:
                context.update(_scope_context(form, exc))
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                if code:
                    return _private(redirect(_receipt_just_sent_url(code)))
                messages.success(request, _("Thank you. Your input is sent to the group."))
                return redirect("inputs:input_detail", pk=item.pk)
    return render(request, "inputs/input_new.html", context, status=status)


# --- the party group ----------------------------------------------------------------------------


def _unit_or_404(request, unit_pk) -> Unit:
    return get_object_or_404(
        units_visible_to(request.user).select_related("municipality"), pk=unit_pk
    )


def _require_triage_unit(request, unit):
    if not (
        permissions.can_triage_unit(request.user, unit)
        or unit.pk in permissions.leader_unit_ids(request.user)
    ):
        raise PermissionDenied


@municipality_member_required
def unit_inputs(request, unit_pk):
    unit = _unit_or_404(request, unit_pk)
    _require_triage_unit(request, unit)
    context = selectors.unit_inputs(
        request.user, unit, request.GET.get("view", "open"), request.GET.get("page", 1)
    )
    link = selectors.input_link(unit)  # no writes on GET: a unit without a link shows none
    context.update(
        {
            "unit": unit,
            "link": link,
            "link_url": settings.SITE_URL + reverse("inputs:anonymous_form", args=[link.token])
            if link
            else "",
            "answer_days": unit.municipality.input_answer_days,
            "can_manage_link": permissions.can_manage_link(request.user, unit),
        }
    )
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "inputs/unit_inputs.html#list", context)
    return render(request, "inputs/unit_inputs.html", context)


@municipality_member_required
def poster_pdf(request, unit_pk):
    """A printable A4 poster with the unit's QR code for the break room (P3)."""
    unit = _unit_or_404(request, unit_pk)
    if not permissions.can_manage_link(request.user, unit):
        raise PermissionDenied
    link = selectors.input_link(unit)  # no writes on GET
    if link is None:
        raise Http404
    url = settings.SITE_URL + reverse("inputs:anonymous_form", args=[link.token])
    try:
        data = exports.poster_pdf(unit, url)
    except exports.ExportUnavailable:
        return render(request, "meetings/export/unavailable.html", {"meeting": None}, status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response.headers["Content-Disposition"] = content_disposition_header(
        False, f"innspill-{unit.name}.pdf"
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@municipality_member_required
def link_renew(request, unit_pk):
    unit = _unit_or_404(request, unit_pk)
    services.input_link_renew(actor=request.user, unit=unit)
    messages.success(
        request,
        _("The link is renewed. The old link and posters no longer work: print the new poster."),
    )
    return redirect("inputs:unit_inputs", unit_pk=unit.pk)


def _input_or_404(request, pk) -> Input:
    qs = permissions.inputs_visible_to(request.user).select_related(
        "unit",
        "unit__municipality",
        "municipality",
        "author",
        "answered_by",
        "hidden_by",
        "agenda_item",
        "agenda_item__meeting",
    )
    return get_object_or_404(qs, pk=pk)


def _take_up_targets(request, item) -> list[dict]:
    """Other ways to take the input up, contributed by higher apps (a measure, P4)."""
    return hooks.collect(hooks.INPUT_TAKE_UP_TARGETS, request.user, item)


def _follow_ups(user, item) -> list[dict]:
    """What became of the input in higher apps (the measure and its progress, P4)."""
    return hooks.collect(hooks.INPUT_FOLLOW_UPS, user, item)


def _detail_context(request, item, answer_form=None, hide_form=None) -> dict:
    can_triage = permissions.can_triage(request.user, item)
    context = {
        "item": item,
        "can_triage": can_triage,
        "sees_submitter": permissions.sees_submitter(request.user, item),
        "is_author": item.author_id == request.user.pk,
        "overdue": item.is_overdue(),
        "due_on": item.answer_due_on(),
        "follow_ups": _follow_ups(request.user, item),
    }
    if can_triage:
        meetings = selectors.coming_meetings(item.unit)
        context.update(selectors.input_detail(item))
        context["similar"] = selectors.similar_inputs(item)
        context["meetings"] = meetings
        context["answer_form"] = answer_form or AnswerForm(
            meetings=meetings,
            targets=_take_up_targets(request, item),
            initial={
                "answer": item.answer_draft or item.answer,
                "status": item.status if not item.is_open else "",
                "target": str(meetings[0].pk) if meetings else "",
                "referred_to": item.referred_to,
                "referred_to_name": item.referred_to_name,
            },
        )
        context["hide_form"] = hide_form or HideForm()
        # Issue 9: every triage form sends back the version this page shows (see
        # trepart/core/concurrency.py); the events are loaded above, so no extra query.
        context["version"] = version_of(context["events"])
    return context


def _conflict(request, item, exc: StaleChange, *, form=None, form_shown=None, **forms):
    """Issue 9: the change raced another one and nothing of it was applied. The page again with
    the new state and the message by the triage forms. The refused form keeps what was typed;
    when it is no longer on the page (`form_shown(item)` is false), the text is shown with the
    message instead (409 Conflict)."""
    item = _input_or_404(request, item.pk)
    context = _detail_context(request, item, **forms)
    context["conflict"] = {
        "message": " ".join(exc.messages),
        "typed": typed_texts(form) if form_shown and not form_shown(item) else [],
    }
    return render(request, "inputs/input_detail.html", context, status=409)


def _refused(request, item, exc: ValidationError):
    """Issue 10: a refused triage step is shown where the triage forms are (role=alert), not
    at the top of a long page; nothing was changed (400)."""
    context = _detail_context(request, _input_or_404(request, item.pk))
    context["conflict"] = {"message": " ".join(exc.messages), "typed": []}
    return render(request, "inputs/input_detail.html", context, status=400)


def _answer_form_shown(item) -> bool:
    return item.is_open and not item.hidden


def _hide_form_shown(item) -> bool:
    return not item.hidden


@municipality_member_required
def input_detail(request, pk):
    item = _input_or_404(request, pk)
    return render(request, "inputs/input_detail.html", _detail_context(request, item))


def _triage_input(request, pk) -> Input:
    item = _input_or_404(request, pk)
    if not permissions.can_triage(request.user, item):
        raise PermissionDenied
    return item


@require_POST
@municipality_member_required
def input_consider(request, pk):
    item = _triage_input(request, pk)
    try:
        services.input_consider(actor=request.user, item=item, version=posted_version(request.POST))
    except StaleChange as exc:
        return _conflict(request, item, exc)
    except ValidationError as exc:
        return _refused(request, item, exc)
    return redirect("inputs:input_detail", pk=item.pk)


@require_POST
@municipality_member_required
def input_answer(request, pk):
    """Save a draft answer, or close the input with the answer (R21)."""
    item = _triage_input(request, pk)
    meetings = selectors.coming_meetings(item.unit)
    form = AnswerForm(request.POST, meetings=meetings, targets=_take_up_targets(request, item))
    if form.is_valid():
        data = form.cleaned_data
        version = posted_version(request.POST)
        try:
            if request.POST.get("action") == "draft":  # P3: discussed in the group first
                services.input_draft_save(
                    actor=request.user, item=item, answer=data["answer"], version=version
                )
                messages.success(request, _("The draft is saved. Only the group sees it."))
            elif data["take_up_target"] and data["status"] == "taken_up":
                # Taken up elsewhere (as a measure, P4): the higher app that owns the target
                # does the whole work and closes the input with the answer (ARCHITECTURE rule 8).
                data["take_up_target"]["handler"](
                    actor=request.user,
                    item=item,
                    answer=data["answer"],
                    title=data["measure_title"],
                    version=version,
                )
                messages.success(request, _("The answer is sent to the submitter."))
            else:
                services.input_close(
                    actor=request.user,
                    item=item,
                    status=data["status"],
                    answer=data["answer"],
                    referred_to=data["referred_to"],
                    referred_to_name=data["referred_to_name"],
                    meeting=data["meeting"],
                    version=version,
                )
                messages.success(request, _("The answer is sent to the submitter."))
            return redirect("inputs:input_detail", pk=item.pk)
        except StaleChange as exc:
            return _conflict(
                request, item, exc, form=form, form_shown=_answer_form_shown, answer_form=form
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "meeting" in exc.error_dict:
                exc.error_dict["target"] = exc.error_dict.pop("meeting")
            if hasattr(exc, "error_dict") and "title" in exc.error_dict:
                exc.error_dict["measure_title"] = exc.error_dict.pop("title")
            add_validation_errors(form, exc)
    item.refresh_from_db()
    context = _detail_context(request, item, answer_form=form)
    return render(request, "inputs/input_detail.html", context, status=400)


@require_POST
@municipality_member_required
def input_reopen(request, pk):
    item = _triage_input(request, pk)
    try:
        services.input_reopen(actor=request.user, item=item, version=posted_version(request.POST))
        messages.success(request, _("The input is open again."))
    except StaleChange as exc:
        return _conflict(request, item, exc)
    except ValidationError as exc:
        return _refused(request, item, exc)
    return redirect("inputs:input_detail", pk=item.pk)


@require_POST
@municipality_member_required
def input_public(request, pk):
    item = _triage_input(request, pk)
    public = request.POST.get("public") == "1"
    try:
        services.input_set_public(
            actor=request.user, item=item, public=public, version=posted_version(request.POST)
        )
        if public:
            messages.success(
                request, _("Everyone at the workplace can now read the input and the answer.")
            )
        else:
            messages.success(request, _("Only the group and the submitter can read the input now."))
    except StaleChange as exc:
        return _conflict(request, item, exc)
    except ValidationError as exc:
        return _refused(request, item, exc)
    return redirect("inputs:input_detail", pk=item.pk)


@require_POST
@municipality_member_required
def input_hide(request, pk):
    item = _triage_input(request, pk)
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            services.input_hide(
                actor=request.user,
                item=item,
                reason=form.cleaned_data["reason"],
                version=posted_version(request.POST),
            )
            messages.success(request, _("The input is hidden. The reason is kept."))
            return redirect("inputs:input_detail", pk=item.pk)
        except StaleChange as exc:
            return _conflict(
                request, item, exc, form=form, form_shown=_hide_form_shown, hide_form=form
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
    context = _detail_context(request, item, hide_form=form)
    return render(request, "inputs/input_detail.html", context, status=400)


@require_POST
@municipality_member_required
def input_unhide(request, pk):
    item = _triage_input(request, pk)
    try:
        services.input_unhide(actor=request.user, item=item, version=posted_version(request.POST))
    except StaleChange as exc:
        return _conflict(request, item, exc)
    messages.success(request, _("The input is shown again."))
    return redirect("inputs:input_detail", pk=item.pk)
