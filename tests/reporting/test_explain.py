"""Issue 14: the steering overview reads its freshness token with one lookup by primary key
(no scan, whatever the number of municipalities), on PostgreSQL and on SQLite."""

import pytest
from django.db import connection

from tests.core.explain import plan
from tests.factories import MunicipalityFactory
from trepart.reporting.models import OverviewFreshness

pytestmark = pytest.mark.django_db


def test_the_freshness_token_is_read_by_primary_key():
    municipality = MunicipalityFactory()  # its save bumps (and so makes) its row
    queryset = OverviewFreshness.objects.filter(municipality_id=municipality.pk).values_list(
        "version", flat=True
    )[:1]
    text = plan(queryset)
    if connection.vendor == "postgresql":
        assert "reporting_overviewfreshness_pkey" in text, text
    else:
        assert "USING INDEX sqlite_autoindex_reporting_overviewfreshness" in text or (
            "PRIMARY KEY" in text
        ), text
