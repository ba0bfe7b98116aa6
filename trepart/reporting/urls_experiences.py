"""Addresses of the experiences part (names are in the "reporting" namespace)."""

from django.urls import path

from trepart.reporting import views_experiences as views

urlpatterns: list = [
    path("experiences/", views.experience_library, name="experience_library"),
    path("experiences/new/", views.experience_create, name="experience_create"),
    path("experiences/<int:pk>/", views.experience_detail, name="experience_detail"),
    path("experiences/<int:pk>/edit/", views.experience_edit, name="experience_edit"),
    path("experiences/<int:pk>/publish/", views.experience_publish, name="experience_publish"),
    path("experiences/<int:pk>/try/", views.experience_try, name="experience_try"),
    path("manage/reporting/", views.reporting_settings, name="reporting_settings"),
]
