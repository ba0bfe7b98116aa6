from tests.meetings.conftest import leader, party_group  # noqa: F401  (fixtures for this folder)
