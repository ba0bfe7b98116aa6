"""Reflection exercises (R17, R18, R22, R33, R34)."""

__all__: list[str] = []
