"""Single sign-on (issue 13, PRODUCT P8)."""
