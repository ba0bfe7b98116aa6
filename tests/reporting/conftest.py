"""Shared fixtures for the reporting tests: the meetings tests' party group at `unit`
(`party_group`, `leader`) and steering group (`steering_group`). Each part of the app keeps
its own helpers in tests/reporting/<part>_fixtures.py."""

from tests.meetings.conftest import (  # noqa: F401  (fixtures re-exported for this folder)
    leader,
    party_group,
    steering_group,
)
