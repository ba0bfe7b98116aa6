"""P3: rate limiting on the anonymous form (per unit link, never per address), on logged-in
submissions, and the database-backed fixed-window limiter itself."""

import datetime
import html

from django.urls import reverse

from tests.factories import UnitFactory
from tests.inputs.conftest import link_url, logged_in, phone
from trepart.core import ratelimit
from trepart.core.models import RateLimitBucket
from trepart.core.ratelimit import Rate
from trepart.inputs.models import Input


def test_input_link_rate_limit_refuses_the_fourth_post_and_keeps_the_text(
    unit, settings, steady_clock
):
    """P3: a burst on one link is refused with 429; what was typed stays in the form and
    nothing more is stored."""
    settings.INPUT_LINK_RATES = [(3, 60)]
    client = phone()
    for i in range(3):
        assert client.post(link_url(unit), {"text": f"Innspill nummer {i}"}).status_code == 302
    typed = "Fjerde innspill: «vaktbytte» & bedre <rutiner>"
    response = client.post(link_url(unit), {"text": typed, "category": "working_day"})
    assert response.status_code == 429
    body = response.content.decode()
    assert html.escape(typed, quote=False) in body  # in the textarea, escaped
    assert "Many inputs were sent from this link just now" in body
    assert 'value="working_day" selected' in body
    assert Input.objects.count() == 3
    assert not Input.objects.filter(text=typed).exists()


def test_input_link_rate_limit_is_per_link(unit, municipality, settings, steady_clock):
    """Another unit's link is not affected; the next window opens again."""
    settings.INPUT_LINK_RATES = [(1, 60)]
    other = UnitFactory(municipality=municipality)
    client = phone()
    assert client.post(link_url(unit), {"text": "Første"}).status_code == 302
    assert client.post(link_url(unit), {"text": "Andre"}).status_code == 429
    assert client.post(link_url(other), {"text": "Annen enhet"}).status_code == 302
    steady_clock["now"] += datetime.timedelta(seconds=60)
    assert client.post(link_url(unit), {"text": "Tredje"}).status_code == 302
    assert Input.objects.filter(unit=unit).count() == 2


def test_input_link_rate_limit_keys_hold_no_address(unit, settings, steady_clock):
    """Decision 0002: the anonymous form counts per link; no address in the keys."""
    client = phone()
    client.post(link_url(unit), {"text": "Et innspill"})
    keys = list(RateLimitBucket.objects.values_list("key", flat=True))
    assert keys and all(k.startswith("input-link:") for k in keys)
    assert not any("203.0.113" in k for k in keys)


def test_input_user_rate_limit_refuses_the_fourth_post_and_keeps_the_text(
    unit, employee, settings, steady_clock
):
    settings.INPUT_USER_RATES = [(3, 60)]
    client = logged_in(employee)
    url = reverse("inputs:input_new")
    for i in range(3):
        assert client.post(url, {"unit": unit.pk, "text": f"Innspill {i}"}).status_code == 302
    typed = "Det fjerde innspillet mitt om opplæring"
    response = client.post(url, {"unit": unit.pk, "text": typed})
    assert response.status_code == 429
    body = response.content.decode()
    assert typed in body
    assert "You sent many inputs just now" in body
    assert Input.objects.count() == 3


def test_ratelimit_hit_and_is_limited(db, steady_clock):
    """The fixed-window limiter: hits within the limit are allowed, the next is refused;
    `is_limited` does not count; a new window starts afresh and drops the old row."""
    rate = Rate(3, 60)
    assert not ratelimit.is_limited("k", rate)
    assert [ratelimit.hit("k", rate) for _ in range(3)] == [True, True, True]
    assert ratelimit.is_limited("k", rate)
    assert ratelimit.count("k", rate) == 3
    assert ratelimit.is_limited("k", rate)  # checking does not count
    assert ratelimit.count("k", rate) == 3
    assert ratelimit.hit("k", rate) is False
    assert ratelimit.count("k", rate) == 4
    assert not ratelimit.is_limited("other-key", rate)

    steady_clock["now"] += datetime.timedelta(seconds=60)
    assert not ratelimit.is_limited("k", rate)
    assert ratelimit.hit("k", rate) is True
    assert RateLimitBucket.objects.filter(key="k:60").count() == 1  # the old window is gone


def test_ratelimit_several_rates_all_must_allow(db, steady_clock):
    per_minute, per_hour = Rate(2, 60), Rate(3, 3600)
    assert ratelimit.hit("k", per_minute, per_hour)
    assert ratelimit.hit("k", per_minute, per_hour)
    assert not ratelimit.hit("k", per_minute, per_hour)  # the minute is used up
    steady_clock["now"] += datetime.timedelta(seconds=60)
    assert not ratelimit.is_limited("k", per_minute)
    assert ratelimit.is_limited("k", per_hour)  # three hits this hour
    assert not ratelimit.hit("k", per_minute, per_hour)
    ratelimit.reset("k", per_minute, per_hour)
    assert not ratelimit.is_limited("k", per_minute, per_hour)
    assert not RateLimitBucket.objects.exists()
