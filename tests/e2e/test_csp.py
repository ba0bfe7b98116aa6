"""The Content Security Policy holds in a real browser (issue 13 point 7).

The demo municipality is loaded and its main pages are opened as a unit leader, an employee and
a municipal admin, and without an account (login, the anonymous input form, a survey's
anonymous link). Any `securitypolicyviolation` event, console error or uncaught script error
fails the test: a style="…" attribute, an inline <script>, an on…= handler or a library that
injects a <style> would show up here. The pages that run scripts are checked to have run them
(the steering overview's charts drawn, the proof-of-work widget solved in its worker).
"""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, login, screenshot

SHOTS = Path("/tmp/shots/prod")

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || '?'}:` +
    `${e.lineNumber} ${e.sample || ''}`
  );
});
"""


@pytest.fixture
def demo(catalogue):
    """The demo world (`manage.py load_demo`) and the addresses the test visits."""
    from trepart.demo.inputs import anonymous_link
    from trepart.measures.models import Measure
    from trepart.meetings.models import Meeting
    from trepart.organisation.models import Municipality, Unit
    from trepart.surveys import services_surveys
    from trepart.surveys.models import Survey

    call_command("load_demo", stdout=io.StringIO())
    municipality = Municipality.objects.get(name="Fjordvik kommune")
    unit = Unit.objects.get(municipality=municipality, name="Fjordtun sykehjem")
    meeting = (
        Meeting.objects.filter(unit=unit, versions__isnull=False).order_by("-starts_at").first()
    )
    measure = Measure.objects.filter(unit=unit).order_by("pk").first()
    # R15: a meeting with an item carried over, its history and each side's position.
    carried_meeting = Meeting.objects.filter(unit=unit, items__carried_from__isnull=False).first()
    # The demo's survey by link is closed (it has results); open a new one to answer.
    closed_survey = Survey.objects.filter(
        unit=unit, audience=Survey.Audience.ANONYMOUS_LINK, status=Survey.Status.CLOSED
    ).first()
    link_survey = services_surveys.survey_create(
        actor=unit_leader(municipality),
        kind=Survey.Kind.WORK_ON,
        unit=unit,
        audience=Survey.Audience.ANONYMOUS_LINK,
    )
    services_surveys.survey_open(actor=unit_leader(municipality), survey=link_survey)
    staff_survey = Survey.objects.filter(
        audience=Survey.Audience.STAFF, status=Survey.Status.OPEN, measure__unit=unit
    ).first()
    _, link_url = anonymous_link(municipality)
    world = {
        "unit": unit,
        "meeting": meeting,
        "carried_meeting": carried_meeting,
        "measure": measure,
        "closed_survey": closed_survey,
        "link_survey": link_survey,
        "staff_survey": staff_survey,
        "input_path": "/" + link_url.split("/", 3)[3],
    }
    missing = [key for key, value in world.items() if value is None]
    assert not missing, f"the demo no longer has: {missing}"
    return world


def unit_leader(municipality):
    from trepart.accounts.models import User

    return User.objects.get(municipality=municipality, full_name="Anne Kristiansen")


def new_page(browser, live_server, viewport):
    """A page in its own context with the policy ENFORCED (conftest's pages bypass it for the
    functional tests, see tests/e2e/conftest.py)."""
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport, locale="nb-NO", is_mobile=phone, has_touch=phone, bypass_csp=False
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.base_url = live_server.url
    return page


def wait_for(page, expression: str, timeout: float = 20.0) -> None:
    """Poll an expression through the DevTools protocol. (Playwright's wait_for_function
    evaluates its string inside the page, which this policy rightly refuses.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression} on {page.url}"
        page.wait_for_timeout(200)


class Watch:
    """Collects console errors and page errors of one browser page."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.context.add_init_script(LISTEN)
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def visit(self, path: str, *, name: str, ready: str | None = None):
        self.errors.clear()
        response = self.page.goto(self.page.base_url + path)
        assert response is not None and response.status == 200, f"{name}: {path} -> {response}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, f"{name}: no CSP header"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy
        self.page.wait_for_load_state("networkidle")
        if ready:
            wait_for(self.page, ready)
        violations = self.page.evaluate("window.__cspViolations || []")
        assert not violations, f"{name} ({path}) broke the CSP:\n" + "\n".join(violations)
        assert not self.errors, f"{name} ({path}) logged errors:\n" + "\n".join(self.errors)
        screenshot(self.page, f"csp-{name}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(ARTIFACTS / f"csp-{name}.png", SHOTS / f"csp-{name}.png")


CHARTS_DRAWN = (
    "Array.from(document.querySelectorAll('canvas[data-chart]'))"
    ".every(c => window.Chart && window.Chart.getChart(c))"
)
# The proof-of-work widget solved its challenge in a worker loaded from our own origin.
POW_SOLVED = (
    "(() => { const f = document.querySelector('input[name=altcha]'); return f && f.value; })()"
)


def test_pages_keep_the_policy(browser, live_server, demo):
    """On a phone and on a desktop, from one load of the demo (each load costs seconds)."""
    for viewport in (PHONE, DESKTOP):
        _pages_keep_the_policy(browser, live_server, demo, viewport)


def _pages_keep_the_policy(browser, live_server, demo, viewport):
    size = "phone" if viewport is PHONE else "desktop"
    unit = demo["unit"]

    # Without an account: the login page, the anonymous input form and a survey's link.
    anonymous = Watch(new_page(browser, live_server, viewport))
    anonymous.visit("/accounts/login/", name=f"login-{size}")
    anonymous.visit(demo["input_path"], name=f"anonymous-input-{size}", ready=POW_SOLVED)
    anonymous.visit(
        f"/s/{demo['link_survey'].token}/", name=f"survey-link-{size}", ready=POW_SOLVED
    )
    # The API's interactive documentation (Swagger UI from our own origin).
    anonymous.visit(
        "/api/docs",
        name=f"api-docs-{size}",
        ready="!!document.querySelector('#swagger-ui .info')",
    )

    # The unit leader.
    leader = Watch(new_page(browser, live_server, viewport))
    login(leader.page, "anne.kristiansen@fjordvik.test", "trepart-demo")
    leader.visit("/", name=f"leader-home-{size}")
    leader.visit(f"/units/{unit.pk}/", name=f"leader-unit-{size}")
    leader.visit(f"/meetings/{demo['meeting'].pk}/", name=f"leader-meeting-{size}")
    leader.visit(f"/meetings/{demo['carried_meeting'].pk}/", name=f"leader-meeting-carried-{size}")
    leader.visit(f"/meetings/unit/{unit.pk}/", name=f"leader-meetings-{size}")
    leader.visit(f"/inputs/unit/{unit.pk}/", name=f"leader-inputs-{size}")
    leader.visit(f"/measures/unit/{unit.pk}/", name=f"leader-measures-{size}")
    leader.visit(f"/measures/{demo['measure'].pk}/", name=f"leader-measure-{size}")
    leader.visit("/surveys/", name=f"leader-surveys-{size}")
    leader.visit(f"/surveys/{demo['link_survey'].pk}/", name=f"leader-survey-{size}")
    leader.visit(
        f"/surveys/{demo['closed_survey'].pk}/results/",
        name=f"leader-survey-results-{size}",
        ready=CHARTS_DRAWN,
    )
    leader.visit(
        f"/units/{unit.pk}/participation/",
        name=f"leader-participation-{size}",
        ready=CHARTS_DRAWN,
    )
    leader.visit(f"/pulse/unit/{unit.pk}/", name=f"leader-pulse-{size}")

    # An employee.
    employee = Watch(new_page(browser, live_server, viewport))
    login(employee.page, "fatima.ali@fjordvik.test", "trepart-demo")
    employee.visit("/", name=f"employee-home-{size}")
    employee.visit("/inputs/new/", name=f"employee-input-{size}")
    employee.visit("/accounts/me/", name=f"employee-own-page-{size}")
    employee.visit(f"/surveys/{demo['staff_survey'].pk}/answer/", name=f"employee-survey-{size}")

    # The municipal admin, who also sees the steering overview with its charts.
    admin = Watch(new_page(browser, live_server, viewport))
    login(admin.page, "hanne.berg@fjordvik.test", "trepart-demo")
    admin.visit("/", name=f"admin-home-{size}")
    admin.visit("/manage/", name=f"admin-manage-{size}")
    admin.visit("/manage/people/", name=f"admin-people-{size}")
    admin.visit(f"/units/{unit.pk}/", name=f"admin-unit-{size}")
    admin.visit("/steering-group/overview/", name=f"admin-overview-{size}", ready=CHARTS_DRAWN)


def test_the_watch_sees_a_violation(browser, live_server, catalogue):
    """The listener works: an inline script and a style attribute are refused and reported."""
    page = new_page(browser, live_server, DESKTOP)
    watch = Watch(page)
    page.goto(page.base_url + "/accounts/login/")
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.__inlineRan = true;';
            document.body.appendChild(script);
            const box = document.createElement('div');
            box.innerHTML = '<p id="csp-probe" style="color: rgb(255, 0, 0)">probe</p>';
            document.body.appendChild(box);
        }"""
    )
    wait_for(page, "window.__cspViolations.length >= 2")
    violations = " ".join(page.evaluate("window.__cspViolations"))
    assert "script-src" in violations and "style-src" in violations, violations
    assert page.evaluate("window.__inlineRan") is None
    assert page.evaluate("getComputedStyle(document.getElementById('csp-probe')).color") != (
        "rgb(255, 0, 0)"
    )
    assert watch.errors, "the refusals are logged on the console too"
