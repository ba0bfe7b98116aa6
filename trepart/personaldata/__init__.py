"""Personal data (issue 13, PRODUCT P8)."""
