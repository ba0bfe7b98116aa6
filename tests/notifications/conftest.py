from tests.meetings.conftest import party_group  # noqa: F401
