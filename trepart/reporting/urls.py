"""The reporting app's addresses, one module per part (reports, overview, experiences)."""

from django.urls import include, path

app_name = "reporting"

urlpatterns = [
    path("", include("trepart.reporting.urls_reports")),
    path("", include("trepart.reporting.urls_overview")),
    path("", include("trepart.reporting.urls_experiences")),
]
