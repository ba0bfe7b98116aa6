"""Telling the members what the group works on (R19)."""

__all__: list[str] = []
