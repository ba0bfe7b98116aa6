"""Addresses of the reports part (names are in the "reporting" namespace)."""

urlpatterns: list = []
