"""Addresses of the exercises part."""

urlpatterns: list = []
