"""Helpers for the anonymous form's proof of work (issue 10): read the challenge a page carries
and solve it with the altcha library's own solver, as the browser widget would."""

from __future__ import annotations

import html
import json
import re

import altcha
import pytest

_CHALLENGE = re.compile(r'<altcha-widget[^>]*\schallenge="([^"]*)"')


def challenge_from(page_html: str) -> dict:
    match = _CHALLENGE.search(page_html)
    assert match, "the page carries no ALTCHA challenge"
    return json.loads(html.unescape(match.group(1)))


def solve(challenge: dict) -> str:
    """The base64 payload the widget puts in the form's `altcha` field."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=30)
    assert solution is not None
    return altcha.Payload(parsed, solution).to_base64()


def solved_from_page(client, url: str) -> str:
    """Open the form as a phone would and solve the challenge it carries."""
    response = client.get(url)
    assert response.status_code == 200
    return solve(challenge_from(response.content.decode()))


@pytest.fixture
def quick_proof(settings):
    """Keep the real algorithm and checks, but make each solution cheap for the test run: a
    counter below 16 of one PBKDF2 iteration. (The production cost is a setting.)"""
    settings.ALTCHA_COST = 1
    settings.ALTCHA_COUNTER_RANGE = (1, 16)
    return settings
