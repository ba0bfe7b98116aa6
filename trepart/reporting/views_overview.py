"""The steering overview across the municipality (P5, issue 11 point 2): the page and its
Excel file. Steering-group members and municipal administrators only; counts, never texts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from trepart.core import hooks
from trepart.core.tenancy import municipality_member_required
from trepart.reporting import exports_overview, overview, overview_cache
from trepart.reporting.permissions import reports_visible_to

# Issue 14: the per-unit tables show this many units per page (a 1,000-unit municipality's
# page stays light); the summary, the trends and the Excel file count every unit.
UNITS_PER_PAGE = 50


def _overview_for(request) -> overview_cache.Entry:
    if not overview.can_view_overview(request.user):
        raise PermissionDenied
    # The municipality comes from the person, never from the request (ARCHITECTURE rule 3).
    municipality = request.user.municipality
    area = overview.selected_area(municipality, request.GET.get("area"))
    today = overview._today()
    # Issue 14: the aggregates are cached per process, keyed by the municipality's freshness
    # token (overview_cache), so a new input changes them at once on every host.
    return overview_cache.get(
        municipality,
        area,
        today,
        lambda: overview.steering_overview(municipality, area=area, today=today),
    )


@require_GET
@municipality_member_required
def overview_page(request):
    entry = _overview_for(request)
    data = entry.data
    page = Paginator(data["rows"], UNITS_PER_PAGE).get_page(request.GET.get("page"))
    # The last report links to the report for those who may read it (never a link that 404s:
    # a chief rep reads only some units' reports). One query whatever the number of units.
    report_ids = [r.last_report.pk for r in page.object_list if r.last_report]
    readable = set(
        reports_visible_to(request.user).filter(pk__in=report_ids).values_list("pk", flat=True)
    )
    tables_context = {
        "area": data["area"],
        "rows": data["rows"],
        "page": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2)),
        "readable_reports": readable,
    }

    def render_tables() -> str:
        rows = list(page.object_list)
        return render_to_string(
            "reporting/overview/_unit_tables.html",
            {**tables_context, "tables": overview.unit_tables({**data, "rows": rows})},
        )

    context = {
        **data,
        # Issue 14: the unit tables are rendered once per page of units and set of readable
        # reports, and kept with the cached figures (they change only when the figures do).
        "unit_tables_html": entry.fragment((page.number, tuple(sorted(readable))), render_tables),
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
        content, filename = exports_overview.overview_workbook(_overview_for(request).data)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
