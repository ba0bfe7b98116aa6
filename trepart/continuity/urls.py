"""The continuity app's addresses, one module per part."""

from django.urls import include, path

app_name = "continuity"

urlpatterns = [
    path("", include("trepart.continuity.urls_handover")),
]
