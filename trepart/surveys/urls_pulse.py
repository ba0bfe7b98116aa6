"""Addresses of the pulse part."""

urlpatterns: list = []
