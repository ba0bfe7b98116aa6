"""Pages of the personal data app (issue 13 part 3, P8): the download of one's own data, and
the erasure of a person by a municipal administrator.

Thin: check permission, call a selector or service, render. People are looked up in
`people_visible_to(user)`: only municipal administrators see anyone, and only in their own
municipality (another municipality's person is a 404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from trepart.core.tenancy import municipality_member_required
from trepart.organisation.permissions import people_visible_to
from trepart.personaldata import permissions, selectors, services
from trepart.personaldata.forms import EraseForm


@never_cache
@login_required
def download(request):
    """The person's own data as a zip (GDPR art. 15 and 20). POST from the own page; a GET (an
    old bookmark) goes back to the page with the button. Never cached."""
    if request.method != "POST":
        return redirect(reverse("accounts:own_page") + "#own-data")
    if not permissions.can_download_own_data(request.user):
        raise PermissionDenied
    response = HttpResponse(selectors.export_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{selectors.export_filename()}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@municipality_member_required
def erase(request, pk):
    """The confirmation step and the erasure itself (P8)."""
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    back = reverse("organisation:person_detail", args=[person.pk])
    if person.pk == request.user.pk:
        raise PermissionDenied  # never oneself: another administrator must do it
    if person.erased_at is not None:
        messages.info(request, _("This person's personal data has already been erased."))
        return redirect(back + "#personal-data")
    if not permissions.can_erase(request.user, person):
        raise PermissionDenied
    form = EraseForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST" and form.is_valid():
        services.person_erase(request.user, person)
        messages.success(
            request,
            _("The personal data was erased. Minutes and reports are kept, showing the role."),
        )
        return redirect(back + "#personal-data")
    return render(
        request,
        "personaldata/erase_confirm.html",
        {"person": person, "form": form, "back": back},
        status=400 if form.is_bound else 200,
    )
