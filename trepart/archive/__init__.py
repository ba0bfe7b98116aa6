"""Archive export (issue 13, PRODUCT P8)."""
