"""What the personal data app shows on lower apps' pages (trepart.core.hooks)."""

from trepart.personaldata import permissions, selectors


def own_page_panel(user):
    """OWN_PAGE_PANELS: download my data (P8)."""
    if not permissions.can_download_own_data(user):
        return []
    return [{"order": 80, "template": "personaldata/_own_panel.html"}]


def person_admin_panel(user, person):
    """PERSON_ADMIN_PANELS: erase the person (P8). One query (the audit record), whatever the
    data."""
    if not permissions.can_see_erasure_panel(user, person):
        return []
    return [
        {
            "order": 90,
            "template": "personaldata/_person_admin_panel.html",
            "person": person,
            "is_self": user.pk == person.pk,
            "erasure": selectors.erasure_of(person) if person.erased_at else None,
        }
    ]
