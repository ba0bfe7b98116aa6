from django.urls import reverse
from django.utils.translation import gettext as _

from trepart.organisation.permissions import can_manage_roles


def main_navigation(request):
    """Main navigation items for the logged-in person, marking the current section."""
    user = request.user
    items = [
        (_("What needs me"), reverse("core:home"), ("/",)),
        (_("Meetings"), reverse("meetings:index"), ("/meetings/",)),
        (_("Input"), reverse("inputs:index"), ("/inputs/",)),
        (_("Measures"), reverse("measures:index"), ("/measures/",)),
        (_("Structure"), reverse("organisation:structure"), ("/structure/", "/units/")),
        (
            user.municipality.steering_group_label,
            reverse("organisation:steering_group"),
            ("/steering-group/",),
        ),
    ]
    if can_manage_roles(user, user.municipality):
        items.append((_("Administration"), reverse("organisation:manage"), ("/manage/",)))
    path = request.path
    return [
        {
            "label": label,
            "url": url,
            "current": any(path == p if p == "/" else path.startswith(p) for p in prefixes),
        }
        for label, url, prefixes in items
    ]
