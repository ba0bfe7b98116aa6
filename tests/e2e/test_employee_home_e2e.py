"""Issue 10: an employee's home page shows their world, on a phone and on a desktop."""

import datetime

from django.utils import timezone

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    assert_fits,
    assert_no_axe_violations,
    login,
    new_page,
    screenshot,
)
from tests.factories import PASSWORD, UnitFactory, person_with_role
from trepart.inputs import selectors as input_selectors
from trepart.inputs import services as input_services
from trepart.meetings import services as meeting_services
from trepart.organisation.models import Role


def test_employee_home_shows_meetings_minutes_answers_and_the_link(browser, live_server, catalogue):
    unit = UnitFactory(municipality__name="Hjemvik kommune", name="Fjordtun sykehjem")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Anne Leder")
    employee = person_with_role(Role.EMPLOYEE, unit, full_name="Fatima Ansatt")
    today = timezone.localdate()
    for weeks in (1, 2, 3):
        meeting_services.meeting_create(
            actor=leader,
            municipality=unit.municipality,
            unit=unit,
            title=f"Partsgruppemøte uke {weeks}",
            kind="development",
            day=today + datetime.timedelta(weeks=weeks),
            start_time=datetime.time(14),
            end_time=datetime.time(15),
        )
    mine, _ = input_services.input_submit(
        unit=unit, text="Kan vi få flere hvilestoler på pauserommet?", author=employee
    )
    input_services.input_close(
        actor=leader, item=mine, status="answered", answer="Ja, to nye stoler er bestilt."
    )
    link = input_selectors.input_link(unit)
    for viewport, name in [(PHONE, "phone"), (DESKTOP, "desktop")]:
        page = new_page(browser, live_server, viewport)
        login(page, employee.email, PASSWORD)
        text = page.locator("main").inner_text()
        assert "Partsgruppemøte uke 1" in text and "Partsgruppemøte uke 3" in text
        assert "ingen er planlagt" not in text.lower()
        assert "Ja, to nye stoler er bestilt." in text
        assert page.locator(f"main a[href='/i/{link.token}/']").count() == 1
        assert_no_axe_violations(page, f"employee home ({name})")
        assert_fits(page, f"employee home ({name})")
        screenshot(page, f"employee-home-{name}")
        # The anonymous link opens the unit's form.
        with page.expect_navigation():
            page.locator(f"main a[href='/i/{link.token}/']").click()
        assert page.locator("textarea[name=text]").count() == 1
        page.context.close()
