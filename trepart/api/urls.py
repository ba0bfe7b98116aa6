"""The JSON API at /api/ (django-ninja: docs at /api/docs, schema at /api/openapi.json), the
documentation's assets, and the token pages under the person's own page."""

from functools import wraps

from django.urls import path, re_path
from django.utils.translation import gettext as _

from trepart.api import (
    endpoints,  # noqa: F401  (registers the operations)
    views,
)
from trepart.api.core import api, error_response

app_name = "api"


def _unknown(request):
    """Anything else under /api/: a JSON 404, never an HTML page."""
    return error_response(404, "not_found", _("There is no such address in the API."))


def _json_405(view):
    """django-ninja answers a wrong method with an empty 405; ours says so in JSON."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            return error_response(
                405,
                "method_not_allowed",
                _("This address does not accept %(method)s.") % {"method": request.method[:10]},
                headers={"Allow": response.get("Allow", "")},
            )
        return response

    return wrapper


def _api_patterns():
    patterns, app, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _json_405(pattern.callback)
    # The operations sit inside this app's namespace ("api"); django-ninja reverses its own
    # URLs (the schema's address for the docs) by its namespace, so give it the full path.
    api.urls_namespace = f"{app_name}:{namespace}"
    return patterns, app, namespace


urlpatterns = [
    path("accounts/me/api-tokens/new/", views.token_create, name="token_create"),
    path("accounts/me/api-tokens/created/", views.token_created, name="token_created"),
    path("accounts/me/api-tokens/revoke/", views.token_revoke, name="token_revoke"),
    path("api/docs/swagger-ui.css", views.docs_swagger_css, name="docs_css"),
    path("api/docs/swagger-ui-bundle.js", views.docs_swagger_js, name="docs_js"),
    path("api/docs/favicon.png", views.docs_favicon, name="docs_favicon"),
    path("api/", _api_patterns()),
    re_path(r"^api/", _unknown, name="unknown"),
]
