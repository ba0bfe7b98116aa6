"""Addresses of the handover part."""

from django.urls import path

from trepart.continuity import views

urlpatterns = [
    path("units/<int:pk>/welcome/", views.onboarding, name="onboarding"),
    path("units/<int:pk>/welcome/practice/", views.practice_edit, name="practice_edit"),
    path("local-reps/", views.local_reps, name="local_reps"),
    path("local-reps/notes/", views.note_create, name="note_create"),
]
