"""Pages for personal API tokens (on the person's own page) and the documentation's assets.

Thin: parse, check permission, call a service or selector, render. A person only ever sees and
revokes their own tokens (`selectors.tokens_of(user)`); anyone else's id is "not found".
"""

from __future__ import annotations

from pathlib import Path

import ninja
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from trepart.api import selectors, services
from trepart.api.forms import TokenForm
from trepart.core.forms import add_validation_errors, posted_id
from trepart.core.tenancy import municipality_member_required


def _own_page(anchor="api-tokens"):
    return redirect(reverse("accounts:own_page") + f"#{anchor}")


@never_cache
@municipality_member_required
def token_create(request):
    """The form posts here from the own page; without JavaScript and on errors the form is
    shown on a page of its own, with what was typed and the errors by the fields (400).

    A new token's secret is shown once, in the answer to this POST itself: it is never put in
    the session (or anywhere else) on the server, where only its hash is kept."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(
                person=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            response = render(request, "api/token_created.html", {"token": token, "secret": secret})
            patch_cache_control(response, private=True, no_store=True)
            response["Referrer-Policy"] = "same-origin"
            return response
    return render(
        request, "api/token_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@require_GET
@municipality_member_required
def token_created(request):
    """An old address of the "created" page: the secret is never shown again, so to the list."""
    return _own_page()


@require_POST
@municipality_member_required
def token_revoke(request):
    token = (
        selectors.tokens_of(request.user).filter(pk=posted_id(request.POST.get("token"))).first()
    )
    if token is None:
        raise Http404
    services.token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked and no longer works.") % {"name": token.name}
    )
    return _own_page()


# --- the documentation page's assets, from django-ninja's package (no CDN) ---------------------

_ASSETS = Path(ninja.__file__).resolve().parent / "static" / "ninja"
_TYPES = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "favicon.png": "image/png",
}


def _asset(name: str):
    @require_GET
    def view(request):
        response = FileResponse((_ASSETS / name).open("rb"), content_type=_TYPES[name])
        patch_cache_control(response, public=True, max_age=86400)
        return response

    view.__name__ = view.__qualname__ = f"docs_asset_{name.split('.')[0].replace('-', '_')}"
    return view


docs_swagger_css = _asset("swagger-ui.css")
docs_swagger_js = _asset("swagger-ui-bundle.js")
docs_favicon = _asset("favicon.png")
