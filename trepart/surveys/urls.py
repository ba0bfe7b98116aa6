"""The surveys app's addresses, one module per part."""

from django.urls import include, path  # noqa: F401

app_name = "surveys"

urlpatterns: list = []
