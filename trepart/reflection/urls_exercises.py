"""Addresses of the exercises part (names are in the "reflection" namespace)."""

from django.urls import path

from trepart.reflection import views_exercises as views

urlpatterns: list = [
    path("units/<int:unit_pk>/exercises/", views.exercise_list, name="exercise_list"),
    path("units/<int:unit_pk>/exercises/start/", views.exercise_start, name="exercise_start"),
    path("exercises/<int:pk>/", views.run_detail, name="run_detail"),
    path("exercises/<int:pk>/answer/", views.run_answer, name="run_answer"),
    path("exercises/<int:pk>/release/", views.run_release, name="run_release"),
    path("exercises/<int:pk>/insight/", views.run_insight, name="run_insight"),
]
