"""Addresses of the handover part."""

urlpatterns: list = []
