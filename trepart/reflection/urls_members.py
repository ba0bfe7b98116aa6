"""Addresses of the members part."""

urlpatterns: list = []
