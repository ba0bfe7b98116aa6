"""Fixtures for the core tests; the party group comes from the meetings tests (the daily
command's test needs a group with actions and trials)."""

from tests.meetings.conftest import (  # noqa: F401  (fixtures re-exported for this folder)
    leader,
    party_group,
)
