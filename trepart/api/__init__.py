"""JSON API (issue 13, PRODUCT P8)."""
