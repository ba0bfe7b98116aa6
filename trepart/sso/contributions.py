"""What the sso app adds to lower apps' pages (issue 13)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from trepart.sso import selectors
from trepart.sso.permissions import can_manage_sign_in


def login_options(request):
    """LOGIN_OPTIONS: a button per sign-in service in use, named with its municipality (the
    login page cannot know the municipality before login)."""
    next_url = request.GET.get("next") or ""
    query = "?" + urlencode({"next": next_url}) if next_url else ""
    options = []
    for i, provider in enumerate(selectors.login_buttons()):
        municipality = provider.municipality.name
        if municipality.lower() in provider.label.lower():
            label = _("Log in with %(label)s") % {"label": provider.label}
        else:
            label = _("Log in with %(label)s (%(municipality)s)") % {
                "label": provider.label,
                "municipality": municipality,
            }
        url = reverse("sso:login_start", args=[provider.pk]) + query
        options.append({"order": 10 + i, "label": label, "url": url})
    return options


def password_login_refusal(user):
    """PASSWORD_LOGIN_REFUSAL: the person's municipality allows single sign-on only.
    Platform operators (no municipality) always keep password login."""
    if user.municipality_id is None or selectors.password_login_allowed(user.municipality_id):
        return None
    return _(
        "Your municipality has switched off login with password. Use one of the sign-in "
        "buttons above."
    )


def manage_card(user):
    """MANAGE_CARDS: the sign-in settings on the administration page."""
    if not can_manage_sign_in(user):
        return []
    return [
        {
            "order": 50,
            "label": _("Sign-in"),
            "url": reverse("sso:settings"),
            "text": _(
                "Single sign-on with Entra ID or ID-porten, and whether passwords are allowed."
            ),
        }
    ]


def own_page_panel(user):
    """OWN_PAGE_PANELS: linked sign-in services and the authenticator app."""
    if not user.municipality_id:
        return []
    identities = selectors.identities_of(user)
    linkable = selectors.linkable_providers(user)
    has_app = selectors.has_totp_device(user)
    if not identities and not linkable and not has_app and not can_manage_sign_in(user):
        return []
    return [
        {
            "order": 60,
            "template": "sso/_own_page_panel.html",
            "identities": identities,
            "linkable": linkable,
            "has_app": has_app,
            "is_admin": can_manage_sign_in(user),
        }
    ]
