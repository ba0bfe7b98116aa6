"""The steering overview across the municipality (P5, issue 11 point 2): the page and its
Excel file. Steering-group members and municipal administrators only; counts, never texts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from trepart.core import hooks
from trepart.core.tenancy import municipality_member_required
from trepart.reporting import exports_overview, overview
from trepart.reporting.permissions import reports_visible_to


def _overview_for(request) -> dict:
    if not overview.can_view_overview(request.user):
        raise PermissionDenied
    # The municipality comes from the person, never from the request (ARCHITECTURE rule 3).
    municipality = request.user.municipality
    area = overview.selected_area(municipality, request.GET.get("area"))
    return overview.steering_overview(municipality, area=area)


@require_GET
@municipality_member_required
def overview_page(request):
    data = _overview_for(request)
    tables = overview.unit_tables(data)
    # The last report links to the report for those who may read it (never a link that 404s:
    # a chief rep reads only some units' reports). One query whatever the number of units.
    report_ids = [
        c["report_id"] for t in tables for r in t["rows"] for c in r["cells"] if c.get("report_id")
    ]
    readable = set(
        reports_visible_to(request.user).filter(pk__in=report_ids).values_list("pk", flat=True)
    )
    context = {
        **data,
        "tables": tables,
        "readable_reports": readable,
        "areas": overview.service_areas(data["municipality"]),
        "definitions": overview.definitions(data),
        # Aggregates from higher apps (hooks.STEERING_OVERVIEW_PANELS): vacancies, the pulse.
        "page_panels": hooks.collect(
            hooks.STEERING_OVERVIEW_PANELS, request.user, data["municipality"]
        ),
    }
    return render(request, "reporting/overview/overview.html", context)


@require_GET
@municipality_member_required
def overview_xlsx(request):
    with translation.override(exports_overview.workbook_language()):
        content, filename = exports_overview.overview_workbook(_overview_for(request))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
