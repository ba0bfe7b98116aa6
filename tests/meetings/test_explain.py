"""Issue 14: /api/meetings reads a municipality's meetings in page order from an index
(checked with EXPLAIN) instead of sorting all of them."""

import datetime

import pytest
from django.utils import timezone

from tests.core.explain import assert_uses_index
from trepart.api.endpoints import _meetings
from trepart.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_api_meeting_list_uses_the_start_time_index(admin_user, unit):
    start = timezone.now()
    Meeting.objects.bulk_create(
        Meeting(
            municipality=unit.municipality,
            unit=unit,
            title=f"Møte {n}",
            kind="party_group",
            starts_at=start + datetime.timedelta(days=n),
            ends_at=start + datetime.timedelta(days=n, hours=1),
        )
        for n in range(5)
    )
    # The query of trepart.api.core.paginate(..., by="starts_at") for the first page.
    queryset = _meetings(admin_user, None).order_by("starts_at", "pk")[:51]
    assert_uses_index(queryset, "meeting_muni_starts_id")
    assert len(queryset) == 5
