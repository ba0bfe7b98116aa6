"""Disagreement over time (R15) and telling the members (R19) in a browser.

The party group cannot agree on an item: it records each side's position and continues the
item at the next meeting (a refusal first, when no position is written); it publishes the
minutes. The next meeting shows the item with its history and the suggestion to try a solution
instead of deciding. A union rep opens their summary for the members, marks it shared, and the
meeting page shows it. Every page passes axe with its disclosures open, and fits a phone."""

import datetime

from django.utils import timezone

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    check_page,
    login,
    new_page,
)
from tests.factories import PASSWORD, UnitFactory, person_with_role, presence, union
from trepart.meetings import services
from trepart.meetings.models import AgendaItem
from trepart.organisation.models import Role
from trepart.reflection.models import MemberBrief


def _setup():
    unit = UnitFactory(municipality__name="Testvik kommune", name="Fjordtun sykehjem")
    presence(unit, "Fagforbundet")
    group = {
        "leader": person_with_role(Role.UNIT_LEADER, unit, full_name="Anne Leder"),
        "rep": person_with_role(
            Role.LOCAL_UNION_REP, unit, full_name="Tor Tillitsvalgt", union=union("Fagforbundet")
        ),
        "safety": person_with_role(Role.SAFETY_REP, unit, full_name="Kristin Verneombud"),
    }
    leader = group["leader"]
    today = timezone.localdate()

    def meeting(day):
        return services.meeting_create(
            actor=leader,
            municipality=unit.municipality,
            unit=unit,
            title="Partsgruppemøte",
            kind="development",
            day=day,
            start_time=datetime.time(10),
            end_time=datetime.time(11),
        )

    held = meeting(today - datetime.timedelta(days=7))
    coming = meeting(today + datetime.timedelta(days=21))
    topic = services.agenda_item_propose(
        actor=leader,
        meeting=held,
        title="Ekstra kveldsvakt",
        description="Kveldsvakta er ofte alene.",
    )
    # The standing items are written and closed already; the disagreement is done in the page.
    for item in held.items.filter(standing=True):
        item = services.item_minutes_save(
            actor=leader,
            item=item,
            revision=item.revision,
            summary="Kort runde.",
            way_forward="Ingen oppfølging.",
        )
        services.item_close(actor=leader, item=item)
    return unit, group, held, coming, topic


def test_not_agreed_carried_with_history_then_told_the_members(browser, live_server, catalogue):
    unit, group, held, coming, topic = _setup()

    # 1. The leader records attendance and tries to continue the item without a position.
    page = new_page(browser, live_server, DESKTOP)
    login(page, group["leader"].email, PASSWORD)
    page.goto(f"{page.base_url}/meetings/{held.pk}/")
    for radio in page.locator("input[type=radio][value=present]").all():
        radio.check()
    with page.expect_navigation():
        page.locator("form[action$='/attendance/#attendance'] button").click()
    item = page.locator(f"#item-{topic.pk}")
    page.fill(f"#id_item{topic.pk}-summary", "Lang samtale om kveldene.")
    item.locator(f"#not-agreed-{topic.pk} > summary").click()
    assert page.input_value(f"#id_item{topic.pk}na-holder_0")  # the roles are suggested
    page.fill(f"#id_item{topic.pk}na-in_between", "Leder henter tall på innleie.")
    # Typing autosaves (htmx) after a pause; let it finish so the form carries its revision.
    page.locator(f"#item-{topic.pk}-status .save-status").wait_for()
    check_page(page, "disagreement-form-desktop")
    with page.expect_navigation():
        item.locator("button[formaction*='/not-agreed/']").click()
    # Refused next to the item, the browser lands there, and everything typed is kept.
    assert page.locator(f"#item-{topic.pk} [role=alert]").count() == 1
    assert page.input_value(f"#id_item{topic.pk}-summary") == "Lang samtale om kveldene."
    assert page.input_value(f"#id_item{topic.pk}na-in_between") == "Leder henter tall på innleie."
    assert page.locator(f"#not-agreed-{topic.pk}").get_attribute("open") is not None
    box = page.locator(f"#item-{topic.pk}").bounding_box()
    assert -5 <= box["y"] < page.viewport_size["height"], "the browser did not land on the item"

    # 2. With the positions, the item is closed as not agreed and continues at the next meeting.
    page.fill(f"#id_item{topic.pk}na-text_0", "Vi har ikke budsjett til en ny vakt nå.")
    page.fill(f"#id_item{topic.pk}na-text_1", "Medlemmene er alene for ofte; det trengs en vakt.")
    page.locator(f"#item-{topic.pk}-status .save-status").wait_for()
    with page.expect_navigation():
        page.locator(f"#item-{topic.pk} button[formaction*='/not-agreed/']").click()
    topic.refresh_from_db()
    assert topic.not_agreed and topic.positions.count() == 2
    carried = AgendaItem.objects.get(carried_from=topic)
    assert carried.meeting == coming
    assert page.locator(f"main a[href='/meetings/{coming.pk}/#item-{carried.pk}']").count() >= 1
    with page.expect_navigation():
        page.locator("form[action*='/publish/'] button").click()
    held.refresh_from_db()
    assert held.minutes_status == "published"
    text = page.locator("main").inner_text().lower()
    for word in ("vote", "avstemning", "stemte", "flertall"):
        assert word not in text
    check_page(page, "disagreement-published-desktop")

    # 3. The next meeting shows the item with its history and the suggestion to try it.
    page.goto(f"{page.base_url}/meetings/{coming.pk}/")
    next_item = page.locator(f"#item-{carried.pk}")
    assert next_item.locator(".carried-history").count() == 1
    next_item.locator(".carried-history > summary").click()
    next_item.locator(".carried-history__list").wait_for(state="visible")
    history = next_item.locator(".carried-history__list").inner_text()
    assert "Lang samtale om kveldene." in history and "Vi har ikke budsjett" in history
    assert (
        next_item.locator(
            f".trial-suggestion form[action='/measures/from-agenda-item/{carried.pk}/']"
        ).count()
        == 1
    )
    check_page(page, "disagreement-next-meeting-desktop")
    page.context.close()

    # 4. The union rep opens their summary for the members, and marks it shared.
    brief = MemberBrief.objects.get(meeting=held, person=group["rep"])
    for viewport, name in [(PHONE, "phone"), (DESKTOP, "desktop")]:
        MemberBrief.objects.filter(pk=brief.pk).update(shared_at=None)
        page = new_page(browser, live_server, viewport)
        login(page, group["rep"].email, PASSWORD)
        page.goto(f"{page.base_url}/meetings/{held.pk}/")
        panel = page.locator("#told-members").locator("xpath=..")
        assert "Tor Tillitsvalgt" in panel.inner_text()
        with page.expect_navigation():
            panel.locator(f"a[href='/members/{brief.pk}/']").click()
        assert "Ekstra kveldsvakt" in page.input_value("#id_text")
        assert page.locator("[data-copy-target]").is_visible()  # enhanced with JavaScript
        assert page.locator("a[href^='mailto:?subject=']").count() == 1
        check_page(page, f"members-brief-{name}")
        with page.expect_navigation():
            page.locator("form[action$='/shared/'] button").click()
        brief.refresh_from_db()
        assert brief.shared_at is not None
        check_page(page, f"members-brief-shared-{name}")
        page.goto(f"{page.base_url}/meetings/{held.pk}/")
        panel = page.locator("#told-members").locator("xpath=..")
        assert panel.locator("[data-color=success]").count() == 1
        check_page(page, f"disagreement-meeting-told-{name}")
        page.goto(f"{page.base_url}/meetings/{coming.pk}/")
        page.locator(f"#item-{carried.pk} .carried-history > summary").click()
        check_page(page, f"disagreement-next-meeting-rep-{name}")
        page.context.close()
