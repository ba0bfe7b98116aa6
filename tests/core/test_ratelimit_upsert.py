"""Issue 14 (P8): a rate-limit hit is one upsert per rate (returning the new count) and one
DELETE of the windows that are over; limits and windows behave as before."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from trepart.core import ratelimit
from trepart.core.models import RateLimitBucket


def test_a_hit_costs_one_query_per_rate_and_the_purge(db):
    rates = (ratelimit.Rate(2, 60), ratelimit.Rate(100, 3600))
    assert ratelimit.hit("api-token:1", *rates)
    with CaptureQueriesContext(connection) as ctx:
        assert ratelimit.hit("api-token:1", *rates)
    assert len(ctx.captured_queries) == 1 + len(rates)
    assert not ratelimit.hit("api-token:1", *rates)  # the third in the minute
    assert ratelimit.count("api-token:1", rates[0]) == 3
    assert ratelimit.count("api-token:1", rates[1]) == 3
    assert RateLimitBucket.objects.count() == 2  # one row per window, counted up in place
