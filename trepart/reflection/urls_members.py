"""Addresses of the members part (R19: tell the members)."""

from django.urls import path

from trepart.reflection import views_members as views

urlpatterns: list = [
    path("members/<int:pk>/", views.brief_detail, name="brief_detail"),
    path("members/<int:pk>/shared/", views.brief_shared, name="brief_shared"),
]
