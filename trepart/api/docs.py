"""The API's documentation page (Swagger UI) under a Content Security Policy without
'unsafe-inline': no inline script or style; the settings travel as a JSON data block that
static/js/api.js reads, and the Swagger UI files that django-ninja ships are served from our
own origin (`views.docs_asset`), never from a CDN."""

from __future__ import annotations

from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class LocalSwagger(DocsBase):
    def render_page(self, request, api, **kwargs):
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "persistAuthorization": False,
        }
        return render(
            request,
            "api/docs.html",
            {"api": api, "swagger_settings": settings},
        )
