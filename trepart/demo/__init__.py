"""The demo municipality (Fjordvik kommune), one module per capability.

The top layer (ARCHITECTURE rule 8): it may import every app, and no app imports it.
"""
