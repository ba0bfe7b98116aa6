"""Addresses of the surveys part."""

urlpatterns: list = []
