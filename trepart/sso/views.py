"""Single sign-on pages (issue 13). Thin: check, call oidc/services/selectors, render."""

import io

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.util import random_hex

from trepart.core.forms import add_validation_errors
from trepart.core.tenancy import municipality_member_required
from trepart.sso import oidc, selectors, services
from trepart.sso.backends import OidcBackend
from trepart.sso.forms import CodeForm, LoginPolicyForm, ProviderForm
from trepart.sso.oidc import LoginRefused
from trepart.sso.permissions import can_manage_sign_in, second_factor_needed

BACKEND = "trepart.sso.backends.OidcBackend"
SESSION_SSO = "sso_provider"  # the provider of this session's single sign-on
SESSION_TOTP_KEY = "sso_totp_key"  # the key being set up, until confirmed

# What the refusal page says for each reason (issue 13: a clear page, never a 500).
REFUSALS = {
    "state": gettext_lazy(
        "The login could not be completed: it was started in another window, took too long or "
        "was already used. Please start again."
    ),
    "cancelled": gettext_lazy("The login was cancelled or not completed at the sign-in service."),
    "disabled": gettext_lazy("This sign-in service is not in use. Choose another way to log in."),
    "unreachable": gettext_lazy(
        "Trepart could not reach the sign-in service. Try again in a while, or log in another way."
    ),
    "token": gettext_lazy(
        "The sign-in service did not confirm the login in a way Trepart can trust. Please start "
        "again. If it happens again, tell your administrator."
    ),
    "nonce": gettext_lazy(
        "The answer from the sign-in service did not belong to this login attempt. Please start "
        "again."
    ),
    "audience": gettext_lazy(
        "The answer from the sign-in service was meant for another application. Tell your "
        "administrator: the client ID may be wrong."
    ),
    "issuer": gettext_lazy(
        "The answer came from another sign-in service than the one configured. Tell your "
        "administrator: the issuer address may be wrong."
    ),
    "expired": gettext_lazy("The login from the sign-in service had expired. Please start again."),
    "unknown_person": gettext_lazy(
        "You were recognised by the sign-in service, but Trepart has no active person in the "
        "municipality with that account or with a verified e-mail address from it. Ask your "
        "administrator to register you with the e-mail address you use there."
    ),
    "linked_elsewhere": gettext_lazy(
        "This Trepart account is already linked to another account at the sign-in service, or "
        "that account is linked to another person. Ask your administrator for help."
    ),
}


def _refused(request, reason, status=403):
    return render(
        request,
        "sso/refused.html",
        {"message": REFUSALS.get(reason, REFUSALS["token"]), "reason": reason},
        status=status,
    )


def _posted(request):
    """The form data of a POST (even an empty one: an unticked box sends nothing), else None."""
    return request.POST if request.method == "POST" else None


def _safe_next(request, value) -> str:
    if isinstance(value, str) and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


@never_cache
def login_start(request, pk):
    """The "Log in with …" button: off to the provider with state, nonce and PKCE (S256)."""
    provider = selectors.enabled_provider(pk)
    if provider is None:
        return _refused(request, "disabled", status=404)
    try:
        url = oidc.begin(request, provider, next_url=_safe_next(request, request.GET.get("next")))
    except LoginRefused as exc:
        return _refused(request, exc.reason)
    return redirect(url)


@require_POST
@municipality_member_required
def link_start(request, pk):
    """Link one's account at a service of one's own municipality (e.g. ID-porten)."""
    provider = get_object_or_404(selectors.providers_visible_to(request.user), pk=pk, enabled=True)
    try:
        url = oidc.begin(request, provider, next_url="", link_user_id=request.user.pk)
    except LoginRefused as exc:
        return _refused(request, exc.reason)
    # Not a redirect: the Content Security Policy allows forms to post only to our own site
    # (form-action 'self'), and browsers apply that to the redirects after a form too. A link
    # to the service is an ordinary navigation.
    response = render(request, "sso/continue.html", {"provider": provider, "provider_url": url})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def callback(request):
    """Where every provider sends the browser back (the registered redirect URI)."""
    try:
        attempt = oidc.take_state(request, request.GET.get("state"))
        if request.GET.get("error"):
            raise LoginRefused("cancelled")
        provider = selectors.enabled_provider(attempt.get("provider"))
        if provider is None:
            raise LoginRefused("disabled")
        link_user = None
        if attempt.get("link_user"):
            if not request.user.is_authenticated or request.user.pk != attempt["link_user"]:
                raise LoginRefused("state")
            if second_factor_needed(request):
                # A password-only admin session must not gain an identity that counts as
                # verified (the callback itself is open to finish ordinary logins).
                url = reverse("sso:second_factor") + "?" + urlencode({"next": "/accounts/me/"})
                return redirect(url)
            link_user = request.user
        user = OidcBackend().authenticate(
            request,
            sso_provider=provider,
            nonce=attempt.get("nonce"),
            code_verifier=attempt.get("code_verifier"),
            link_user=link_user,
        )
    except LoginRefused as exc:
        return _refused(request, exc.reason)
    if link_user is not None:
        messages.success(
            request,
            _("Your account is linked. Next time you can log in with %(label)s.")
            % {"label": provider.label},
        )
        return redirect("accounts:own_page")
    login(request, user, backend=BACKEND)
    request.session[SESSION_SSO] = provider.pk
    return redirect(_safe_next(request, attempt.get("next")) or "home:home")


@require_POST
@login_required
def identity_unlink(request, pk):
    identity = next((i for i in selectors.identities_of(request.user) if i.pk == pk), None)
    if identity is None:
        raise Http404
    services.identity_unlink(actor=request.user, identity=identity)
    messages.success(request, _("The link to %(label)s is removed.") % {"label": identity.provider})
    return redirect("accounts:own_page")


# The second factor (issue 13) -------------------------------------------------------------


def _totp_uri(user, key) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice(user=user, key=key, name="Trepart").config_url


def _setup_key(request) -> str:
    key = request.session.get(SESSION_TOTP_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = random_hex(20)
        request.session[SESSION_TOTP_KEY] = key
    return key


@never_cache
@login_required
def second_factor(request):
    """Enter a code from the authenticator app, or set one up first (QR code or the key)."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    setting_up = not selectors.has_totp_device(request.user) or request.GET.get("setup") == "1"
    if setting_up and selectors.has_totp_device(request.user) and not request.user.is_verified():
        setting_up = False  # replacing the app needs the old one first
    form = CodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if setting_up:
            device = services.totp_device_confirm(
                user=request.user, key=_setup_key(request), token=code
            )
        else:
            device = next(
                (d for d in selectors.totp_devices(request.user) if d.verify_token(code)), None
            )
        if device is not None:
            otp_login(request, device)
            request.session.pop(SESSION_TOTP_KEY, None)
            if setting_up:
                messages.success(request, _("The authenticator app is set up."))
            return redirect(next_url or "organisation:manage")
        form.add_error(
            "code",
            _("The code is not right. Check that the phone's clock is correct and try again.")
            if setting_up
            else _(
                "The code is not right, or there were too many attempts. Wait a little and try again."
            ),
        )
    context = {"form": form, "next": next_url, "setting_up": setting_up}
    if setting_up:
        key = _setup_key(request)
        context["manual_key"] = _base32(key)
    return render(request, "sso/second_factor.html", context, status=400 if form.errors else 200)


def _base32(hex_key) -> str:
    import base64

    text = base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@never_cache
@login_required
def second_factor_qr(request):
    """The QR code of the key being set up, as an SVG image (no script, no inline style)."""
    key = request.session.get(SESSION_TOTP_KEY)
    if not isinstance(key, str) or len(key) != 40:
        raise Http404
    qr = segno.make(_totp_uri(request.user, key), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=5, border=2, dark="#000", light="#fff", title=_("QR code"))
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


# The municipal admin's settings page (/manage/sign-in/) -------------------------------------


def _require_admin(request):
    if not can_manage_sign_in(request.user):
        raise PermissionDenied


@municipality_member_required
def settings_page(request):
    _require_admin(request)
    municipality = request.user.municipality
    policy = selectors.login_policy(municipality)
    form = LoginPolicyForm(_posted(request), initial={"password_login": policy.password_login})
    if request.method == "POST" and form.is_valid():
        try:
            services.login_policy_set(
                actor=request.user,
                municipality=municipality,
                password_login=form.cleaned_data["password_login"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The login settings are saved."))
            return redirect("sso:settings")
    return render(
        request,
        "sso/settings.html",
        {
            "form": form,
            "policy": policy,
            "providers": list(selectors.providers_visible_to(request.user)),
            "redirect_uri": oidc.redirect_uri(request),
        },
        status=400 if form.errors else 200,
    )


def _provider_form_page(request, provider=None):
    _require_admin(request)
    form = ProviderForm(_posted(request), instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_save(
                actor=request.user,
                municipality=request.user.municipality,
                provider=provider,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The sign-in service is saved."))
            return redirect("sso:settings")
    return render(
        request,
        "sso/provider_form.html",
        {"form": form, "provider": provider, "redirect_uri": oidc.redirect_uri(request)},
        status=400 if form.errors else 200,
    )


@municipality_member_required
def provider_create(request):
    return _provider_form_page(request)


@municipality_member_required
def provider_edit(request, pk):
    _require_admin(request)
    provider = get_object_or_404(selectors.providers_visible_to(request.user), pk=pk)
    return _provider_form_page(request, provider)
