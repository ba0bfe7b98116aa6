"""The staff-survey tests read the pages in English (one of the three catalogues), so their
assertions name the product's own msgids; the pulse tests check markers and run in bokmål.
tests/core/test_catalogues.py makes sure every msgid has bokmål and nynorsk."""

import pytest
from django.utils import translation

from trepart.organisation.models import Municipality


@pytest.fixture(autouse=True)
def english_interface(request, settings, monkeypatch):
    if "pulse" in request.module.__name__:
        yield
        return
    settings.LANGUAGE_CODE = "en"
    monkeypatch.setattr(Municipality._meta.get_field("default_language"), "default", "en")
    with translation.override("en"):
        yield
