"""The search page (issue 11 point 6): /search/?q=, a plain GET form that htmx refreshes as
the person types (the same view renders the results fragment)."""

from django.shortcuts import render

from trepart.core.tenancy import municipality_member_required
from trepart.search.selectors import search as search_entries

MAX_QUERY = 200


@municipality_member_required
def search(request):
    text = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    context = {"q": text, "result": search_entries(request.user, text)}
    if request.htmx and request.headers.get("HX-Target") == "search-results":
        # The short status sentence (role="status") is swapped out of band, so a screen reader
        # hears "21 hits for …", not every hit.
        return render(request, "search/search.html#results", {**context, "oob": True})
    return render(request, "search/search.html", context)
