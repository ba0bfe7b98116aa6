"""Export pages (P2): minutes as PDF and Word, calendar invitations and the personal feed.

- Minutes exports: anyone who may open the meeting, built from the latest *published* version
  only (R20, R30); no published version is a 404, as is a meeting of another municipality.
- Invitation (.ics) for one meeting: group members only — readers of published minutes get no
  invitations to meetings whose drafts they may not see.
- Personal feed: `/calendar/<token>.ics` needs no login (calendar apps cannot log in); the secret
  token is the key, and the person can replace it on `/calendar/`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from trepart.core.tenancy import municipality_member_required
from trepart.meetings import exports, permissions
from trepart.meetings.models import Meeting


def _meeting_or_404(request, pk) -> Meeting:
    """A meeting this person may open; anything else (other municipality too) is a 404."""
    qs = permissions.meetings_visible_to(request.user).select_related(
        "unit", "unit__municipality", "municipality"
    )
    return get_object_or_404(qs, pk=pk)


def _file_response(
    data: bytes, content_type: str, filename: str, *, attachment: bool = True
) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition_header(attachment, filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _published_version_or_404(meeting):
    version = exports.latest_published_version(meeting)
    if version is None:
        raise Http404
    return version


@municipality_member_required
def minutes_pdf(request, pk):
    meeting = _meeting_or_404(request, pk)
    version = _published_version_or_404(meeting)
    try:
        data = exports.minutes_pdf(meeting, version)
    except exports.ExportUnavailable:
        return render(
            request,
            "meetings/export/unavailable.html",
            {"meeting": meeting},
            status=503,
        )
    return _file_response(
        data, exports.PDF_CONTENT_TYPE, exports.minutes_filename(meeting, version, "pdf")
    )


@municipality_member_required
def minutes_docx(request, pk):
    meeting = _meeting_or_404(request, pk)
    version = _published_version_or_404(meeting)
    data = exports.minutes_docx(meeting, version)
    return _file_response(
        data, exports.DOCX_CONTENT_TYPE, exports.minutes_filename(meeting, version, "docx")
    )


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@municipality_member_required
def meeting_invite(request, pk):
    meeting = _meeting_or_404(request, pk)
    if not permissions.can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    data = exports.meeting_ics(meeting, base_url=_base_url(request))
    return _file_response(data, exports.ICS_CONTENT_TYPE, exports.ics_filename(meeting))


def calendar_feed(request, token):
    """The subscribable feed. No login: the token in the address is the key."""
    feed = exports.feed_for_token(token)
    if feed is None:
        raise Http404
    person = feed.person
    with translation.override(person.municipality.default_language or "nb"):
        data = exports.feed_ics(person, base_url=_base_url(request))
    response = _file_response(data, exports.ICS_CONTENT_TYPE, "trepart.ics", attachment=False)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@municipality_member_required
def calendar(request):
    """Where a person finds the address of their feed, and can replace it (POST)."""
    if request.method == "POST":
        had_feed = exports.calendar_feed_of(request.user) is not None
        exports.calendar_feed_regenerate(actor=request.user)
        if had_feed:
            messages.success(
                request, _("You have a new calendar address. The old one no longer works.")
            )
        else:
            messages.success(request, _("Your calendar address is ready."))
        return redirect("meetings:calendar")
    feed = exports.calendar_feed_of(request.user)
    feed_url = ""
    if feed:
        feed_url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[feed.token]))
    has_groups = bool(
        permissions.party_group_unit_ids(request.user)
    ) or permissions.is_steering_member(request.user)
    response = render(
        request,
        "meetings/calendar.html",
        {
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
            "has_groups": has_groups,
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
