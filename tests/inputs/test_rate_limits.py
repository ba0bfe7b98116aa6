"""P3: rate limiting on the anonymous form (per unit link, never per address), on logged-in
submissions, and the database-backed fixed-window limiter itself."""

import datetime
import html

from django.urls import reverse

from tests.factories import UnitFactory, person_with_role, presence
from tests.inputs.conftest import link_url, logged_in, phone
from trepart.core import ratelimit
from trepart.core.models import RateLimitBucket
from trepart.core.ratelimit import Rate
from trepart.inputs import channel, services
from trepart.inputs.models import Input
from trepart.organisation.models import Role


def test_input_link_unsolved_rate_limit_refuses_the_fourth_post_and_keeps_the_text(
    unit, settings, steady_clock
):
    """Issue 10, P3: without a solved proof-of-work challenge (JavaScript off) a burst on one
    link is refused with 429 after the strict bucket; what was typed stays in the form, the
    message says why in plain words, and nothing more is stored."""
    settings.INPUT_LINK_UNSOLVED_RATES = [(3, 60)]
    client = phone()
    for i in range(3):
        assert client.post(link_url(unit), {"text": f"Innspill nummer {i}"}).status_code == 302
    typed = "Fjerde innspill: «vaktbytte» & bedre <rutiner>"
    response = client.post(link_url(unit), {"text": typed, "category": "working_day"})
    assert response.status_code == 429
    body = response.content.decode()
    assert html.escape(typed, quote=False) in body  # in the textarea, escaped
    assert "Many inputs were sent from this link just now without the automatic check" in body
    assert "your text is kept" in body
    assert 'value="working_day" selected' in body
    assert Input.objects.count() == 3
    assert not Input.objects.filter(text=typed).exists()
    # The page shown again carries a fresh challenge: with JavaScript on, the next send passes.
    assert "<altcha-widget" in body


def test_input_link_unsolved_rate_limit_is_per_link(unit, municipality, settings, steady_clock):
    """Another unit's link is not affected; the next window opens again."""
    settings.INPUT_LINK_UNSOLVED_RATES = [(1, 60)]
    other = UnitFactory(municipality=municipality)
    client = phone()
    assert client.post(link_url(unit), {"text": "Første"}).status_code == 302
    assert client.post(link_url(unit), {"text": "Andre"}).status_code == 429
    assert client.post(link_url(other), {"text": "Annen enhet"}).status_code == 302
    steady_clock["now"] += datetime.timedelta(seconds=60)
    assert client.post(link_url(unit), {"text": "Tredje"}).status_code == 302
    assert Input.objects.filter(unit=unit).count() == 2


def test_input_link_invalid_form_is_not_counted(unit, settings, steady_clock):
    """An empty text is an error by the field, and costs the link nothing."""
    settings.INPUT_LINK_UNSOLVED_RATES = [(1, 60)]
    client = phone()
    for _ in range(3):
        response = client.post(link_url(unit), {"text": "  "})
        assert response.status_code == 200
        assert "Write your input before sending." in response.content.decode()
    assert not RateLimitBucket.objects.exists()
    assert client.post(link_url(unit), {"text": "Nå med tekst"}).status_code == 302


def test_input_link_rate_limit_keys_hold_no_address(unit, settings, steady_clock):
    """Decision 0002: the anonymous form counts per link; no address in the keys."""
    client = phone()
    client.post(link_url(unit), {"text": "Et innspill"})
    keys = list(RateLimitBucket.objects.values_list("key", flat=True))
    assert keys and all(k.startswith(("input-link:", "input-link-unsolved:")) for k in keys)
    assert not any("203.0.113" in k for k in keys)


# --- the ceiling, scaled to the unit's size (issue 10) ------------------------------------------


def test_input_link_ceiling_scales_with_the_unit_size(unit, municipality, settings):
    """The ceiling is the larger of a minimum and so many per person; a unit's size is the
    larger of the people with a current role there and the union members reported there."""
    settings.INPUT_LINK_CEILING = [(60, 2, 3600), (150, 4, 86400)]
    assert channel.unit_size(unit) <= 5
    assert channel.link_ceiling(unit) == [Rate(60, 3600), Rate(150, 86400)]

    presence(unit, "Fagforbundet", members=40)
    presence(unit, "NSF", members=30)
    assert channel.unit_size(unit) == 70
    assert channel.link_ceiling(unit) == [Rate(140, 3600), Rate(280, 86400)]

    big = UnitFactory(municipality=municipality)
    for _ in range(90):
        person_with_role(Role.EMPLOYEE, big)
    ended = person_with_role(Role.EMPLOYEE, big)
    ended.role_assignments.update(
        starts_on=datetime.date(2000, 1, 1), ends_on=datetime.date(2001, 1, 1)
    )
    assert channel.unit_size(big) == 90  # people with a current role, each counted once
    assert channel.link_ceiling(big)[0] == Rate(180, 3600)


def test_input_link_ceiling_refuses_politely_with_the_text_kept(unit, settings, steady_clock):
    """Beyond the ceiling a submission is refused with 429; the text and category stay."""
    settings.INPUT_LINK_CEILING = [(2, 0, 3600)]
    client = phone()
    for i in range(2):
        assert client.post(link_url(unit), {"text": f"Innspill {i}"}).status_code == 302
    typed = "Det tredje innspillet om <garderoben>"
    response = client.post(link_url(unit), {"text": typed, "category": "work_environment"})
    assert response.status_code == 429
    body = response.content.decode()
    assert html.escape(typed, quote=False) in body
    assert 'value="work_environment" selected' in body
    assert "takes a break" in body and "union rep or safety rep" in body
    assert Input.objects.count() == 2
    assert ratelimit.count(f"input-link:{services.input_link_for(unit).pk}", Rate(2, 3600)) == 3


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


def test_ratelimit_windows_that_are_over_are_deleted_whatever_their_key(db, steady_clock):
    """Decision 0002: a per-minute count at a unit's link would tell when someone sent input;
    once its window is over, the next hit anywhere deletes it."""
    minute = Rate(10, 60)
    ratelimit.hit("input-link-unsolved:7", minute)
    assert RateLimitBucket.objects.filter(key="input-link-unsolved:7:60").exists()
    row = RateLimitBucket.objects.get()
    assert row.expires_at == row.window_start + datetime.timedelta(seconds=60)
    steady_clock["now"] += datetime.timedelta(seconds=61)
    ratelimit.hit("receipt-failures", Rate(30, 600))
    assert list(RateLimitBucket.objects.values_list("key", flat=True)) == ["receipt-failures:600"]
