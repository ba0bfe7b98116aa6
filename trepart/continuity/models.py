"""Handover when role holders change, and the chief reps' overview (R5, R6)."""
