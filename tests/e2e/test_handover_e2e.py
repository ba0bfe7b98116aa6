"""Handover in a browser (R5, R6): an administrator ends a local union rep's role and registers
a newcomer through the people pages; the chief union rep is told (e-mail, and the overview shows
it); the newcomer logs in and finds the group's onboarding page from the home page. Pages are
checked with axe and for sideways scrolling on a phone."""

from __future__ import annotations

import datetime

from django.core import mail
from django.utils import timezone

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    check_page,
    login,
    new_page,
)
from tests.factories import PASSWORD, UnitFactory, person_with_role, presence, union
from trepart.continuity.models import GroupPractice, Handover
from trepart.organisation.models import Role, RoleAssignment


def test_rep_replaced_chief_told_newcomer_onboarded(browser, live_server, catalogue):
    unit = UnitFactory(municipality__name="Fjordby kommune", name="Solsiden sykehjem")
    m = unit.municipality
    ff = union("Fagforbundet")
    presence(unit, "Fagforbundet")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Lea Leder")
    person_with_role(Role.SAFETY_REP, unit, full_name="Vera Verneombud")
    leaving = person_with_role(Role.LOCAL_UNION_REP, unit, union=ff, full_name="Frida Fag")
    newcomer = person_with_role(Role.EMPLOYEE, unit, full_name="Nora Ny")
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=m, full_name="Adm Admin")
    chief = person_with_role(
        Role.CHIEF_UNION_REP, municipality=m, union=ff, full_name="Hege Hovedtillitsvalgt"
    )
    GroupPractice.objects.create(unit=unit, text="Vi bytter på å lede møtene.", updated_by=leader)
    rep = RoleAssignment.objects.get(person=leaving, role=Role.LOCAL_UNION_REP)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    # The administrator ends the rep's role (last day yesterday) on the person page.
    page = new_page(browser, live_server, DESKTOP)
    login(page, admin.email, PASSWORD)
    page.goto(f"{page.base_url}/manage/people/{leaving.pk}/")
    form = page.locator(f"form[action='/manage/roles/{rep.pk}/end/']")
    form.locator("xpath=ancestor::details").locator("summary").click()
    form.locator("input[name=ends_on]").fill(yesterday.isoformat())
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    rep.refresh_from_db()
    assert rep.ends_on == yesterday
    handover = Handover.objects.get(unit=unit, union=ff)
    assert handover.is_open and handover.open_notified_at is not None
    assert [msg.to for msg in mail.outbox] == [[chief.email]]
    assert "Solsiden sykehjem" in mail.outbox[0].body

    # ... and registers the newcomer as Fagforbundet's local rep from today.
    mail.outbox.clear()
    page.goto(f"{page.base_url}/manage/people/{newcomer.pk}/")
    page.select_option("#id_role", "local_union_rep")
    page.select_option("#id_unit", str(unit.pk))
    page.select_option("#id_union", str(ff.pk))
    with page.expect_navigation():
        page.locator("form.role-form button[type=submit]").click()
    handover.refresh_from_db()
    assert handover.filled_on == timezone.localdate()
    assert handover.newcomer.person == newcomer
    told = {msg.to[0]: msg for msg in mail.outbox}
    assert set(told) == {chief.email, newcomer.email}
    assert "Nora Ny" in told[chief.email].body
    assert f"/units/{unit.pk}/welcome/" in told[newcomer.email].body
    page.context.close()

    for viewport, name in [(PHONE, "phone"), (DESKTOP, "desktop")]:
        # The chief union rep sees the newcomer in the overview.
        page = new_page(browser, live_server, viewport)
        login(page, chief.email, PASSWORD)
        page.locator("nav.main-nav a[href='/local-reps/']").click()
        page.wait_for_url("**/local-reps/")
        recent = page.locator("#recent-heading").locator("xpath=..").inner_text()
        assert "Nora Ny" in recent and "Solsiden sykehjem" in recent
        check_page(page, f"handover-local-reps-{name}")
        page.context.close()

        # The newcomer logs in and starts from the home page.
        page = new_page(browser, live_server, viewport)
        login(page, newcomer.email, PASSWORD)
        link = page.locator(f"main a[href='/units/{unit.pk}/welcome/']").first
        with page.expect_navigation():
            link.click()
        text = page.locator("main").inner_text()
        assert "Vi bytter på å lede møtene." in text
        assert "Lea Leder" in text and "Nora Ny" in text and "Frida Fag" not in text
        check_page(page, f"handover-onboarding-{name}")
        page.context.close()
