"""Addresses of the experiences part (names are in the "reporting" namespace)."""

urlpatterns: list = []
