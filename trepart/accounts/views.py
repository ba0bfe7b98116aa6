"""Accounts pages of our own (login and password reset are Django's views, see urls.py)."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from trepart.accounts import selectors, services
from trepart.accounts.forms import InvitationPasswordForm, OwnLanguageForm
from trepart.core import hooks

# The link's token is a secret: no Referer to other sites, nothing kept in caches. Not
# "no-referrer": the browser would then post the form with `Origin: null`, which CSRF refuses.
NO_REFERRER = "same-origin"


def _invalid(request, reason: str):
    """A used, replaced, expired or unknown link: a clear page that names nobody."""
    response = render(
        request,
        "accounts/invitation_invalid.html",
        {"reason": reason},
        status=404 if reason == "unknown" else 410,
    )
    response["Referrer-Policy"] = NO_REFERRER
    return response


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def invitation_accept(request, token):
    """The invitation link: choose a first password once, then you are logged in."""
    try:
        invitation = services.invitation_check(selectors.invitation_by_token(token))
    except services.InvitationNotValid as exc:
        return _invalid(request, exc.reason)
    person = invitation.person
    form = InvitationPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except services.InvitationNotValid as exc:
            return _invalid(request, exc.reason)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to Trepart! Your password is saved. Next time, log in with %(email)s.")
            % {"email": person.email},
        )
        return redirect("home:home")
    response = render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "person": person, "invitation": invitation},
        status=400 if form.is_bound else 200,
    )
    response["Referrer-Policy"] = NO_REFERRER
    return response


@login_required
def own_page(request):
    """A person's own page (P8): language and what higher apps add (notification settings,
    API tokens, downloading one's data, the second factor) through OWN_PAGE_PANELS."""
    person = request.user
    default = person.municipality.get_default_language_display() if person.municipality_id else ""
    default_label = _("The municipality's default (%(language)s)") % {"language": default}
    form = OwnLanguageForm(
        request.POST if request.method == "POST" else None,
        instance=person,
        default_label=default_label,
    )
    if request.method == "POST" and form.is_valid():
        services.own_language_set(person, form.cleaned_data["language"])
        messages.success(request, _("Your language is saved."))
        response = redirect("accounts:own_page")
        # The language switch in the header keeps its choice in a cookie, which wins; saving
        # here replaces that choice so the page follows what the person just chose.
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    panels = hooks.collect(hooks.OWN_PAGE_PANELS, person)
    return render(
        request,
        "accounts/own_page.html",
        {"form": form, "page_panels": panels},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def logout_everywhere(request):
    """End the person's sessions on every other device (issue 15): a lost phone, a shared
    computer left logged in. This device stays logged in (with a new session key); "Log out"
    ends it too."""
    person = services.sessions_end_everywhere(request.user)
    update_session_auth_hash(request, person)
    messages.success(
        request,
        _("You are logged out on every other device. You are still logged in here."),
    )
    return redirect("accounts:own_page")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view (the link works once, stops working once the password changed, and
    expires after PASSWORD_RESET_TIMEOUT). Choosing a new password through the e-mailed link
    proves the address is the person's: a login lockout on it ends (issue 15), as the lockout
    page promises ("you can reset your password in the meantime")."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.email)
        return response
