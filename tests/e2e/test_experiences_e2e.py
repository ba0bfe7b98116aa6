"""The experience library in a browser (P5, R28, R31), on a phone and on a desktop.

A party group publishes its win as an experience, shared with other municipalities; another
unit in the municipality says "we want to try this"; a leader in another municipality reads it
without anyone's name. Every page is checked with axe and for sideways scrolling.
"""

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    check_page,
    login,
    new_page,
)
from tests.factories import PASSWORD, UnitFactory, person_with_role
from tests.reporting.experiences_fixtures import opt_in, won_measure
from trepart.measures.models import Measure, Stage
from trepart.organisation.models import Role
from trepart.reporting.models import Experience, ExperienceAdoption


def test_publish_share_try_and_read_elsewhere(browser, live_server, catalogue):
    unit = UnitFactory(municipality__name="Fjordby kommune", name="Solsiden sykehjem")
    municipality = unit.municipality
    group = {
        "leader": person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder"),
        "safety": person_with_role(Role.SAFETY_REP, unit, full_name="Vera Verneombud"),
    }
    won = won_measure(group, unit)
    lia = UnitFactory(municipality=municipality, name="Lia barnehage")
    lia_leader = person_with_role(Role.UNIT_LEADER, lia, full_name="Lars Lia")
    other_unit = UnitFactory(municipality__name="Annenby kommune", name="Annenby omsorgssenter")
    other_leader = person_with_role(Role.UNIT_LEADER, other_unit, full_name="Anna Annenby")
    opt_in(municipality)

    for viewport, name in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        Experience.objects.all().delete()
        Measure.objects.filter(unit=lia).delete()
        # The safety rep publishes the win, naming herself as the contact.
        page = new_page(browser, live_server, viewport)
        login(page, group["safety"].email, PASSWORD)
        page.goto(f"{page.base_url}/measures/{won.pk}/")
        with page.expect_navigation():
            page.locator(f"a[href='/experiences/new/?measure={won.pk}']").click()
        assert page.input_value("#id_title") == won.title  # pre-filled from the measure
        page.select_option("#id_theme", "tasks")
        page.check("#id_contact_me")
        page.check("#id_shared")
        check_page(page, f"experience-form-{name}")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        with page.expect_navigation():
            page.locator("form[action$='/publish/'] button").click()
        experience = Experience.objects.get()
        assert experience.status == "published" and experience.shared
        assert experience.contact_person == group["safety"]
        assert "Vera Verneombud" in page.locator("main").inner_text()
        check_page(page, f"experience-detail-{name}")
        page.context.close()

        # Another unit in the municipality finds it and wants to try it.
        page = new_page(browser, live_server, viewport)
        login(page, lia_leader.email, PASSWORD)
        page.goto(f"{page.base_url}/experiences/")
        page.fill("#id_q", "smerteplaster")
        page.locator("main form[role=search] button[type=submit]").click()
        page.wait_for_url("**/experiences/?*q=smerteplaster*")
        assert page.locator(f"main a[href='/experiences/{experience.pk}/']").count() == 1
        check_page(page, f"experience-library-{name}")
        page.locator(f"main a[href='/experiences/{experience.pk}/']").click()
        page.wait_for_url(f"**/experiences/{experience.pk}/")
        with page.expect_navigation():
            page.locator("form[action*='/try/'] button").click()
        adoption = ExperienceAdoption.objects.get()
        assert adoption.measure.unit == lia and adoption.measure.stage == Stage.IDEA
        assert page.url.endswith(f"/measures/{adoption.measure_id}/")
        assert page.locator(f"main a[href='/experiences/{experience.pk}/']").count() == 1
        check_page(page, f"experience-adopted-measure-{name}")
        page.context.close()

        # A leader in another municipality reads it, attributed, without anyone's name.
        page = new_page(browser, live_server, viewport)
        login(page, other_leader.email, PASSWORD)
        page.goto(f"{page.base_url}/experiences/?source=others")
        assert "Fjordby kommune" in page.locator("main").inner_text()
        check_page(page, f"experience-library-others-{name}")
        page.goto(f"{page.base_url}/experiences/{experience.pk}/")
        text = page.locator("main").inner_text()
        assert "Fjordby kommune" in text and "Vera Verneombud" not in text
        assert page.locator(f"a[href='/experiences/{experience.pk}/edit/']").count() == 0
        check_page(page, f"experience-shared-detail-{name}")
        page.context.close()
