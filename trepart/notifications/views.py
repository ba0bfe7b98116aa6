"""The person's own notification pages (P8): the log and the settings.

Thin: every read goes through `selectors.notifications_visible_to(request.user)` (the person's
own rows only), every write through `services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trepart.core.tenancy import municipality_member_required
from trepart.notifications import selectors, services
from trepart.notifications.forms import NotificationSettingsForm


@municipality_member_required
def log(request):
    """The person's own notifications, newest first, 50 a page."""
    page = selectors.log_page(request.user, request.GET.get("page"))
    return render(request, "notifications/log.html", {"page": page})


@municipality_member_required
def settings_page(request):
    """Per kind: immediately, in the weekly digest, or off."""
    person = request.user
    # Bound on every POST, even an empty one, so it shows its errors (review rev2 #7).
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None, modes=services.modes_for(person)
    )
    if request.method == "POST":
        if form.is_valid():
            services.settings_save(person, form.modes())
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
        return render(request, "notifications/settings.html", {"form": form}, status=400)
    return render(request, "notifications/settings.html", {"form": form})
