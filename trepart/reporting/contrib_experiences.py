"""What the experiences part contributes to lower apps' pages and jobs (trepart.core.hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def main_navigation(user) -> list[dict]:
    """R31: everyone in the municipality reads the experience library."""
    if not user.is_authenticated or not user.municipality_id:
        return []
    return [
        {
            "order": 45,
            "label": _("Experiences"),
            "url": reverse("reporting:experience_library"),
            "prefixes": ("/experiences/",),
        }
    ]


def unit_page_links(user, unit) -> list[dict]:
    """The unit's experiences in the library (published ones are for everyone)."""
    if not user.is_authenticated or user.municipality_id != unit.municipality_id:
        return []
    return [
        {
            "order": 40,
            "label": _("Experiences from this unit"),
            "url": reverse("reporting:experience_library") + "?" + urlencode({"unit": unit.pk}),
        }
    ]


def measure_page_panels(user, measure, can_change) -> list[dict]:
    from trepart.reporting.experiences import measure_panels

    return measure_panels(user, measure, can_change)


def register() -> None:
    from trepart.core import hooks

    hooks.register(hooks.MAIN_NAVIGATION, main_navigation)
    hooks.register(hooks.UNIT_PAGE_LINKS, unit_page_links)
    hooks.register(hooks.MEASURE_PAGE_PANELS, measure_page_panels)
