"""Addresses of the overview part (names are in the "reporting" namespace)."""

from django.urls import path

from trepart.reporting import views_overview as views

urlpatterns = [
    path("steering-group/overview/", views.overview_page, name="overview"),
    path("steering-group/overview.xlsx", views.overview_xlsx, name="overview_xlsx"),
]
