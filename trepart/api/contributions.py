"""What the API app adds to lower apps' pages (see trepart.core.hooks)."""

from trepart.api import selectors
from trepart.api.forms import TokenForm


def own_page_tokens_panel(user):
    """OWN_PAGE_PANELS: the person's API tokens, and the form for a new one. One query."""
    if not user.municipality_id:
        return []
    return [
        {
            "order": 60,
            "template": "api/_own_page_panel.html",
            "tokens": list(selectors.tokens_of(user)[:50]),
            "form": TokenForm(),
        }
    ]
