"""The surveys app's addresses, one module per part."""

from django.urls import include, path

app_name = "surveys"

urlpatterns = [
    path("", include("trepart.surveys.urls_surveys")),
    path("", include("trepart.surveys.urls_pulse")),
]
