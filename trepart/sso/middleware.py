"""Second factor for municipal admins without single sign-on (issue 13).

A municipal admin who logged in with e-mail and password is sent to /sso/second-factor/
(set up or enter a code from an authenticator app) before any page but that one, logging out
and the language switch: the administration pages, and every admin-only action elsewhere. Single
sign-on counts as verified. Runs after django-otp's OTPMiddleware, which sets
`request.user.is_verified()`.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from trepart.sso.permissions import EXEMPT_PREFIXES, second_factor_needed


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(EXEMPT_PREFIXES) and second_factor_needed(request):
            url = reverse("sso:second_factor") + "?" + urlencode({"next": request.get_full_path()})
            response = redirect(url)
            if getattr(request, "htmx", False):
                response["HX-Redirect"] = url
            return response
        return self.get_response(request)
