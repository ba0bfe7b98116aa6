"""Notifications (issue 13, PRODUCT P8)."""
