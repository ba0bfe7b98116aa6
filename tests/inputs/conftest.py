"""Shared fixtures for the staff-input tests (P3, R14, R20–R23).

The party group (`party_group`, `leader`) and the steering group come from the meetings tests.
Helpers create inputs through the services, age them, and talk to the anonymous pages the way a
phone would: with an address and a user agent that must never be stored or logged.
"""

import datetime
import logging
import types

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.meetings.conftest import (  # noqa: F401  (fixtures re-exported for this folder)
    leader,
    make_meeting,
    party_group,
    steering_group,
)
from trepart.core import ratelimit
from trepart.inputs import services
from trepart.inputs.models import Input

# Unusual enough that a match anywhere means it was stored or logged.
IP = "203.0.113.177"
USER_AGENT = "Mozilla/5.0 (Linux; Android 14; Trepart-Testtelefon-7731) Mobile Safari/537.36"

TEXT = "Vi trenger flere langvakter i helgene"


def english(client: Client) -> Client:
    """Choose English with the language switch, so that messages can be matched."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def phone(language: str | None = "en") -> Client:
    """A client without an account, as a phone scanning the poster."""
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=USER_AGENT)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def logged_in(user, language: str | None = "en") -> Client:
    client = client_for(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def with_version(item, data=None) -> dict:
    """A triage POST as the page sends it: with the version the page shows (issue 9)."""
    from trepart.core.concurrency import current_version

    return {**(data or {}), "version": current_version(item)}


def link_url(unit) -> str:
    return reverse("inputs:anonymous_form", args=[services.input_link_for(unit).token])


def receipt_url(code: str) -> str:
    return reverse("inputs:receipt", args=[code])


def submit(unit, text=TEXT, **kwargs) -> tuple[Input, str | None]:
    """Send an input through the service (anonymous unless `author` is given)."""
    return services.input_submit(unit=unit, text=text, **kwargs)


def age(item: Input, days: int) -> Input:
    """Pretend the input was sent `days` days ago."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    Input.objects.filter(pk=item.pk).update(submitted_on=day, status_changed_on=day)
    item.refresh_from_db()
    return item


def answered_after(item: Input, actor, days: int, answer="Svar fra gruppa.") -> Input:
    """Close an input as answered, `days` days after it was sent."""
    services.input_close(actor=actor, item=item, status="answered", answer=answer)
    Input.objects.filter(pk=item.pk).update(
        answered_on=item.submitted_on + datetime.timedelta(days=days)
    )
    item.refresh_from_db()
    return item


def future_meeting(actor, unit, days=7, title="Partsgruppemøte"):
    """A planned meeting of the unit's group in the future (a target for 'taken up')."""
    return make_meeting(
        actor, unit, day=timezone.localdate() + datetime.timedelta(days=days), title=title
    )


@pytest.fixture
def steady_clock(monkeypatch):
    """Rate limits count in fixed windows: keep the whole test one second into a fresh hour
    (a multiple of every window used here) so a window boundary cannot fall mid-test."""
    now = timezone.now()
    start = now - datetime.timedelta(seconds=now.timestamp() % 3600, microseconds=0)
    clock = {"now": start + datetime.timedelta(seconds=1)}
    monkeypatch.setattr(ratelimit, "timezone", types.SimpleNamespace(now=lambda: clock["now"]))
    return clock


@pytest.fixture
def access_log(caplog):
    """Records of the `trepart.access` logger (which does not propagate to the root logger)."""
    logger = logging.getLogger("trepart.access")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="trepart.access")
    yield caplog
    logger.removeHandler(caplog.handler)


def access_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "trepart.access"]
