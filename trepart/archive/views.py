"""Archive pages (issue 13 part 4, P8). Thin: parse, check permission, call a selector or the
package builder, answer with the file.

- `/archive/`: the municipal administrator picks a period and downloads the package (built
  while they wait; a period with too many documents is refused with a shorter one suggested).
- `/archive/meetings|reports|measures/<pk>/pdfa/`: one document as PDF/A for whoever may read
  it; `?version=N` picks a published version of minutes or a sent version of a report (the
  newest by default). Anything the reader may not read, a draft, an unsent report, a measure
  without a decision, another municipality: 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from trepart.archive import forms, package, pdfa, permissions, selectors
from trepart.core.forms import posted_id
from trepart.core.tenancy import municipality_member_required

ZIP_CONTENT_TYPE = "application/zip"


def _file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _unavailable(request):
    return render(request, "archive/unavailable.html", status=503)


def _version_asked(request) -> int | None:
    """`?version=N`; junk is "not found", never a 500."""
    if "version" not in request.GET:
        return None
    number = posted_id(request.GET.get("version"))
    if number is None:
        raise Http404
    return number


@municipality_member_required
def index(request):
    if not permissions.can_export_package(request.user):
        raise PermissionDenied
    start, end = forms.default_period()
    form = forms.PeriodForm(
        request.POST if request.method == "POST" else None, initial={"start": start, "end": end}
    )
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        try:
            data = package.build_package(actor=request.user, start=start, end=end)
        except package.NothingToArchive:
            form.add_error(
                None,
                _("Nothing was published, sent or decided in this period. Choose another period."),
            )
        except package.PeriodTooLarge as exc:
            form.add_error(
                "end",
                _(
                    "The period has %(count)s documents, more than %(max)s in one package. "
                    "Choose a shorter period and make several packages."
                )
                % {"count": exc.count, "max": selectors.MAX_DOCUMENTS},
            )
        except pdfa.ExportUnavailable:
            return _unavailable(request)
        else:
            filename = package.package_filename(request.user.municipality, start, end)
            return _file_response(data, ZIP_CONTENT_TYPE, filename)
    response = render(
        request,
        "archive/index.html",
        {"form": form, "max_documents": selectors.MAX_DOCUMENTS},
        status=400 if form.errors else 200,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@municipality_member_required
def minutes_pdfa(request, pk):
    found = selectors.minutes_version_visible(request.user, pk, _version_asked(request))
    if found is None:
        raise Http404
    meeting, version = found
    try:
        data = pdfa.minutes_pdfa(meeting, version)
    except pdfa.ExportUnavailable:
        return _unavailable(request)
    return _file_response(data, "application/pdf", pdfa.minutes_filename(meeting, version))


@municipality_member_required
def report_pdfa(request, pk):
    found = selectors.report_version_visible(request.user, pk, _version_asked(request))
    if found is None:
        raise Http404
    report, version = found
    try:
        data = pdfa.report_pdfa(report, version)
    except pdfa.ExportUnavailable:
        return _unavailable(request)
    return _file_response(data, "application/pdf", pdfa.report_filename(report, version))


@municipality_member_required
def measure_pdfa(request, pk):
    measure = selectors.measure_visible(request.user, pk)
    if measure is None:
        raise Http404
    try:
        data = pdfa.measure_pdfa(measure)
    except pdfa.ExportUnavailable:
        return _unavailable(request)
    return _file_response(data, "application/pdf", pdfa.measure_filename(measure))
