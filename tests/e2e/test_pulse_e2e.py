"""The cooperation pulse in a browser (P6; R4, R33–R35): a group member answers on a phone
from the home page, then the group's trends page shows a chart and a table with the same
numbers; a period with too few answers shows nothing. Every page is checked with axe and for
sideways scrolling."""

from __future__ import annotations

import datetime

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    check_page,
    login,
    new_page,
)
from tests.factories import PASSWORD, UnitFactory, person_with_role
from tests.surveys.test_pulse import pulse_with
from trepart.organisation.models import Role
from trepart.surveys import pulse, services_pulse
from trepart.surveys.models import Respondent, Response

D = datetime.date


def _group(unit, n):
    people = [person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder")]
    people += [
        person_with_role(Role.DEPARTMENT_LEADER, unit, full_name=f"Avdelingsleder {i}")
        for i in range(1, n)
    ]
    return people


def test_a_member_answers_on_a_phone_and_the_group_sees_its_trends(browser, live_server, catalogue):
    unit = UnitFactory(municipality__name="Fjordby kommune", name="Solsiden sykehjem")
    members = _group(unit, 6)
    today = datetime.date.today()
    survey, _ = services_pulse.pulse_open(unit, pulse.period_for(today), today=today)
    # Two finished quarters: one with 4 answers (hidden), one with 5 (shown).
    pulse_with(unit, members[1:5], D(2025, 2, 1), value=2, text="Skjult tekst")
    pulse_with(unit, members[1:6], D(2025, 5, 1), value=lambda i: 3 + i % 2, text="Faste møter")

    page = new_page(browser, live_server, PHONE)
    login(page, members[0].email, PASSWORD)
    answer_link = page.locator(f"main a[href='/pulse/unit/{unit.pk}/answer/']")
    assert answer_link.count() == 1  # the home page asks
    with page.expect_navigation():
        answer_link.click()
    # Sending without choosing shows the errors by the questions and keeps the text.
    questions = list(survey.questions.all())
    text_q = next(q for q in questions if q.key == pulse.IMPROVE_KEY)
    page.fill(f"#id_q{text_q.pk}", "Mer tid til oppfølging")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".ds-error-summary").count() == 1
    assert page.input_value(f"#id_q{text_q.pk}") == "Mer tid til oppfølging"
    check_page(page, "pulse-answer-errors-phone")
    for q in questions:
        if q.key in pulse.KEYS:
            page.locator(f"label[for='id_q{q.pk}_1']").click()  # "Agree" (the second option)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#pulse-answered").count() == 1
    assert Respondent.objects.filter(survey=survey, person=members[0]).count() == 1
    assert Response.objects.filter(survey=survey).count() == 1
    check_page(page, "pulse-answered-phone")

    # The trends page: a chart and a table; the hidden quarter says so and nothing more.
    page.goto(f"{page.base_url}/pulse/unit/{unit.pk}/")
    page.wait_for_function(
        "() => { const c = document.querySelector('canvas[data-pulse-chart]');"
        " return c && window.Chart && window.Chart.getChart(c); }"
    )
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2
    assert page.locator("main tr[data-shown='no'] td").count() == 1
    assert "3,4" in page.locator("main tr[data-shown='yes']").inner_text()
    main_text = page.locator("main").inner_text()
    assert "Skjult tekst" not in main_text
    assert "Faste møter" in main_text
    check_page(page, "pulse-trends-phone")
    page.context.close()

    page = new_page(browser, live_server, DESKTOP)
    login(page, members[3].email, PASSWORD)
    page.goto(f"{page.base_url}/pulse/unit/{unit.pk}/")
    page.wait_for_function(
        "() => { const c = document.querySelector('canvas[data-pulse-chart]');"
        " return c && window.Chart && window.Chart.getChart(c); }"
    )
    check_page(page, "pulse-trends-desktop")
    page.context.close()


def test_the_steering_overview_shows_the_pulse_across_groups(browser, live_server, catalogue):
    """Aggregates only: the panel has no unit names and no per-group numbers."""
    a = UnitFactory(municipality__name="Fjordby kommune", name="Solsiden sykehjem")
    b = UnitFactory(municipality=a.municipality, name="Lia barnehage")
    pulse_with(a, _group(a, 5), D(2025, 2, 1), value=2)
    pulse_with(b, _group(b, 5), D(2025, 2, 1), value=4)
    politician = person_with_role(
        Role.POLITICIAN, municipality=a.municipality, side="position", full_name="Per Politiker"
    )
    for viewport, name in [(PHONE, "phone"), (DESKTOP, "desktop")]:
        page = new_page(browser, live_server, viewport)
        login(page, politician.email, PASSWORD)
        page.goto(f"{page.base_url}/steering-group/overview/")
        panel = page.locator("section:has(#pulse-steering-heading)")
        assert "3,0" in panel.inner_text()
        assert "Solsiden" not in panel.inner_text() and "Lia" not in panel.inner_text()
        page.wait_for_function(
            "() => { const c = document.querySelector('canvas[data-pulse-chart]');"
            " return c && window.Chart && window.Chart.getChart(c); }"
        )
        check_page(page, f"pulse-steering-{name}")
        page.context.close()
