"""Addresses of the overview part (names are in the "reporting" namespace)."""

urlpatterns: list = []
