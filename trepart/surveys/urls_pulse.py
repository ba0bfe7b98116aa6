"""Addresses of the pulse part (names are in the "surveys" namespace)."""

from django.urls import path

from trepart.surveys import views_pulse as views

urlpatterns: list = [
    path("pulse/unit/<int:unit_pk>/", views.pulse_unit, name="pulse_unit"),
    path("pulse/unit/<int:unit_pk>/answer/", views.pulse_answer, name="pulse_answer"),
    path("pulse/unit/<int:unit_pk>/start/", views.pulse_start, name="pulse_start"),
]
