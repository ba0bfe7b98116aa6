"""The home page: what needs this person now, gathered from every app's contribution.

The home page knows no capability: each app adds its panels through the ``home_panels``
extension point (trepart.core.hooks), the way Wagtail's ``construct_homepage_panels`` works.
A new capability adds a panel without touching this module.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from trepart.core import hooks
from trepart.organisation.permissions import current_roles


def main_navigation(user) -> list[dict]:
    return [
        {"order": 0, "label": _("What needs me"), "url": reverse("home:home"), "prefixes": ("/",)}
    ]


def home_for(user) -> dict:
    """Sections for the home page. Queries are fixed: every panel keeps its own count fixed."""
    roles = current_roles(user)
    # Shared facts the panels may use, so that no two panels load the same thing twice.
    home = {"roles": roles, "unit_ids": {a.unit_id for a in roles if a.unit_id}}
    return {"roles": roles, "panels": hooks.collect(hooks.HOME_PANELS, user, home)}
