"""Browser test of a full meeting cycle (P2): series → proposal → minutes → publish → readers."""

import datetime
import re

import docx
from django.utils import timezone

from tests.e2e.conftest import (
    ARTIFACTS,
    CONTEXT,
    assert_fits,
    assert_no_axe_violations,
    login,
    screenshot,
)
from tests.factories import PASSWORD, UnitFactory, person_with_role, presence, union
from trepart.meetings.models import ActionItem, Meeting
from trepart.organisation.models import Role


def _setup():
    unit = UnitFactory(municipality__name="Testvik kommune", name="Fjordtun sykehjem")
    presence(unit, "Fagforbundet")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Anne Leder")
    rep = person_with_role(
        Role.LOCAL_UNION_REP, unit, full_name="Tor Tillitsvalgt", union=union("Fagforbundet")
    )
    person_with_role(Role.SAFETY_REP, unit, full_name="Kristin Verneombud")
    employee = person_with_role(Role.EMPLOYEE, unit, full_name="Fatima Ansatt")
    other_unit = UnitFactory(municipality=unit.municipality, name="Lia barnehage")
    outsider = person_with_role(Role.EMPLOYEE, other_unit, full_name="Ola Annen")
    return unit, leader, rep, employee, outsider


def _new_page(browser, live_server, width=1280, height=900):
    context = browser.new_context(viewport={"width": width, "height": height}, **CONTEXT)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    return page


def _planned_meeting(unit, leader, location=""):
    """A development meeting on 5 March 2030, 14–15, for the pages' browser tests."""
    from trepart.meetings import services

    return services.meeting_create(
        actor=leader,
        municipality=unit.municipality,
        unit=unit,
        title="Partsgruppemøte",
        kind="development",
        day=datetime.date(2030, 3, 5),
        start_time=datetime.time(14),
        end_time=datetime.time(15),
        location=location,
    )


def test_full_meeting_cycle(page, browser, live_server):
    unit, leader, rep, employee, outsider = _setup()

    # 1. The leader sets up monthly meetings (R10: monthly is the default offered).
    login(page, leader.email, PASSWORD)
    page.goto(page.base_url + f"/meetings/unit/{unit.pk}/")
    page.get_by_role("link", name="Sett opp faste møter").click()
    assert page.input_value("#id_frequency") == "monthly"
    page.fill("#id_location", "Møterommet")
    assert_no_axe_violations(page, "series form")
    with page.expect_navigation():
        page.get_by_role("button", name="Opprett møtene").click()
    assert Meeting.objects.filter(unit=unit).count() >= 12
    meeting = Meeting.objects.filter(unit=unit).order_by("starts_at").first()

    # 2. A union rep proposes an item in advance (R13).
    rep_page = _new_page(browser, live_server)
    login(rep_page, rep.email, PASSWORD)
    rep_page.goto(rep_page.base_url + f"/meetings/{meeting.pk}/")
    rep_page.fill("#id_title", "Bedre opplæring av vikarer")
    with rep_page.expect_navigation():
        rep_page.get_by_role("button", name="Legg til i sakslisten").click()
    assert "Bedre opplæring av vikarer" in rep_page.locator("ol.agenda").inner_text()
    rep_page.context.close()

    # 3. The meeting is held: attendance, summaries, way forward, two actions. The first meeting
    # of the series is in the future on most days: the day comes (minutes are published only
    # once a meeting has started).
    started = timezone.now() - datetime.timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=started, ends_at=started + datetime.timedelta(hours=1)
    )
    page.goto(page.base_url + f"/meetings/{meeting.pk}/")
    for radio in page.locator("input[type=radio][value=present]").all():
        radio.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre oppmøte").click()

    items = list(meeting.items.order_by("order"))
    first = items[0]
    # Closing an item without a way forward is refused (R13). Issue 10: the refusal is shown
    # in the item, announced (role=alert), the browser lands there, and the text is kept.
    typed = "Travel høst, men godt samhold."
    page.fill(f"#id_item{first.pk}-summary", typed)
    with page.expect_navigation():
        page.locator(f"#item-{first.pk}").get_by_role("button", name="Lagre og lukk saken").click()
    refusal = page.locator(f"#item-{first.pk} [role=alert]")
    assert "Skriv omforent vei videre" in refusal.inner_text()
    assert page.locator(".messages").count() == 0
    assert page.input_value(f"#id_item{first.pk}-summary") == typed
    box = page.locator(f"#item-{first.pk}").bounding_box()
    assert -5 <= box["y"] < page.viewport_size["height"], "the browser did not land on the item"

    for index, item in enumerate(items):
        card = page.locator(f"#item-{item.pk}")
        if index:
            page.fill(f"#id_item{item.pk}-summary", f"Vi snakket om {item.title.lower()}.")
        page.fill(f"#id_item{item.pk}-way_forward", "Leder følger opp til neste møte.")
        page.fill(
            f"#id_item{item.pk}-decisions", f"Beslutning {index + 1}: vi prøver ut ny rutine."
        )
        # Autosave while typing (htmx) shows when it was saved.
        page.locator(f"#item-{item.pk}-status").get_by_text("Lagret").wait_for()
        if index < 2:
            card.get_by_text("Legg til en oppgave").click()
            card.locator("input[name=description]").fill(f"Oppgave {index + 1} fra møtet")
            # The person picker: type part of a name, pick the person (htmx search).
            card.locator("input[name=assignee_search]").fill("tillits" if index else "t")
            card.get_by_role("radio", name=re.compile("^Tor Tillitsvalgt")).check()
            if not index:
                assert card.locator("input[name=assignee]").count() > 1  # several matched
                assert_no_axe_violations(page, "person picker with candidates")
                card.locator("input[name=assignee_search]").scroll_into_view_if_needed()
                page.screenshot(path=str(ARTIFACTS / "person-picker-desktop.png"))
            card.locator("input[name=due_on]").fill("2030-01-15")
            with page.expect_navigation():
                card.get_by_role("button", name="Legg til oppgave").click()
        with page.expect_navigation():
            page.locator(f"#item-{item.pk}").get_by_role(
                "button", name="Lagre og lukk saken"
            ).click()
    assert ActionItem.objects.filter(meeting=meeting).count() == 2
    assert_no_axe_violations(page, "meeting page with minutes")
    screenshot(page, "meeting-minutes")

    # 4. Publish to everyone at the unit (R20).
    with page.expect_navigation():
        page.get_by_role("button", name="Publiser referatet").click()
    meeting.refresh_from_db()
    assert meeting.minutes_status == "published"

    # PDF and Word downloads open and contain the decisions.
    with page.expect_download() as word:
        page.get_by_role("link", name="Last ned Word").first.click()
    document = docx.Document(word.value.path())
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Beslutning 1: vi prøver ut ny rutine." in text
    assert "Testvik kommune" in text
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Last ned PDF").first.click()
    data = open(pdf.value.path(), "rb").read()
    assert data.startswith(b"%PDF") and len(data) > 5000

    # 5. An employee of the unit reads the minutes and cannot edit them.
    reader = _new_page(browser, live_server, width=390, height=844)
    login(reader, employee.email, PASSWORD)
    response = reader.goto(reader.base_url + f"/meetings/{meeting.pk}/")
    assert response.status == 200
    body = reader.locator("main").inner_text()
    assert "Beslutning 1: vi prøver ut ny rutine." in body
    assert reader.locator("main textarea").count() == 0
    assert reader.locator("main form").count() == 0
    assert_no_axe_violations(reader, "published minutes for an employee")
    screenshot(reader, "minutes-published-phone")
    reader.context.close()

    # 6. An employee of another unit cannot see them.
    stranger = _new_page(browser, live_server)
    login(stranger, outsider.email, PASSWORD)
    response = stranger.goto(stranger.base_url + f"/meetings/{meeting.pk}/")
    assert response.status == 404
    stranger.context.close()


def test_meeting_pages_on_a_tablet(browser, live_server, catalogue):
    unit, leader, rep, employee, outsider = _setup()

    meeting = _planned_meeting(unit, leader, location="Møterommet")
    page = _new_page(browser, live_server, width=820, height=1180)
    login(page, leader.email, PASSWORD)
    for path, name in [
        (f"/meetings/unit/{unit.pk}/", "group"),
        (f"/meetings/{meeting.pk}/", "meeting"),
        ("/meetings/", "index"),
        ("/meetings/actions/", "my-actions"),
        ("/calendar/", "calendar"),
    ]:
        page.goto(page.base_url + path)
        assert_no_axe_violations(page, name)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways on a tablet"
        screenshot(page, f"tablet-{name}")


def test_person_picker_on_a_phone(phone_page, live_server):
    """The action's person is chosen by typing and picking, with the keyboard, at 360 px."""
    unit, leader, rep, employee, outsider = _setup()
    from trepart.meetings import services

    meeting = _planned_meeting(unit, leader)
    item = services.agenda_item_propose(
        actor=leader, meeting=meeting, title="Vikarer", description="", kind="development"
    )
    page = phone_page
    login(page, leader.email, PASSWORD)
    page.goto(page.base_url + f"/meetings/{meeting.pk}/")
    card = page.locator(f"#item-{item.pk}")
    card.get_by_text("Legg til en oppgave").click()
    card.locator("input[name=description]").fill("Ringe vikarbyrået")
    search = card.get_by_label("Hvem", exact=True)
    search.fill("an")  # Anne Leder, Fatima Ansatt, Ola Annen
    card.get_by_role("radio", name=re.compile("^Fatima Ansatt")).wait_for()
    assert card.get_by_role("radio").count() == 3
    search.press("Tab")  # into the list of candidates
    page.keyboard.press("ArrowDown")  # the next person, chosen with the arrow keys
    checked = card.locator("input[name=assignee]:checked")
    assert checked.count() == 1
    chosen = checked.get_attribute("value")
    assert_no_axe_violations(page, "person picker on a phone")
    assert_fits(page, "person picker on a phone")
    search.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "person-picker-phone.png"))
    card.locator("input[name=due_on]").fill("2030-01-15")
    with page.expect_navigation():
        card.get_by_role("button", name="Legg til oppgave").click()
    assert ActionItem.objects.get(meeting=meeting).assignee_id == int(chosen)

    # Without choosing, a name that matches nobody gives a clear error and no action.
    card = page.locator(f"#item-{item.pk}")
    card.get_by_text("Legg til en oppgave").click()
    card.locator("input[name=description]").fill("Noe annet")
    card.get_by_label("Hvem", exact=True).fill("Zorro")
    card.locator("input[name=due_on]").fill("2030-01-15")
    with page.expect_navigation():
        card.get_by_role("button", name="Legg til oppgave").click()
    assert "Ingen i kommunen passer med «Zorro»." in page.locator("main").inner_text()
    assert card.get_by_label("Hvem", exact=True).get_attribute("aria-invalid") == "true"
    assert ActionItem.objects.filter(meeting=meeting).count() == 1
    assert_no_axe_violations(page, "person picker with an error")


def test_meeting_mode_by_keyboard_on_phone_and_desktop(browser, live_server, catalogue):
    """Issue 10: a long meeting is worked through one item at a time with next/previous, by
    keyboard, on a phone and on a desktop; closed items fold to one line."""
    unit, leader, rep, employee, outsider = _setup()
    from trepart.meetings import services

    meeting = _planned_meeting(unit, leader)
    for title in ("Turnus i jula", "Nytt stellerom", "Pauserom"):
        services.agenda_item_propose(actor=leader, meeting=meeting, title=title)
    items = list(meeting.items.order_by("order", "id"))
    done = services.item_minutes_save(
        actor=leader, item=items[0], revision=items[0].revision, summary="Ok", way_forward="Ferdig."
    )
    services.item_close(actor=leader, item=done)
    for width, height, name in [(390, 844, "phone"), (1280, 900, "desktop")]:
        page = _new_page(browser, live_server, width=width, height=height)
        login(page, leader.email, PASSWORD)
        page.goto(page.base_url + f"/meetings/{meeting.pk}/")
        # The closed item is one line (a closed disclosure).
        fold = page.locator(f"#item-{items[0].pk} details.agenda-fold")
        assert fold.count() == 1 and not fold.evaluate("d => d.open")
        assert_no_axe_violations(page, f"meeting page ({name})")
        screenshot(page, f"meeting-folded-{name}")
        page.get_by_role("link", name="Møtemodus: én sak om gangen").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        total = len(items)
        # It starts at the first open item.
        assert f"Sak 2 av {total}" in page.locator(".mode-nav").first.inner_text()
        assert page.locator("ol.agenda > li").count() == 1
        assert_no_axe_violations(page, f"meeting mode ({name})")
        screenshot(page, f"meeting-mode-{name}")
        page.get_by_role("link", name="Neste sak").first.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert f"Sak 3 av {total}" in page.locator(".mode-nav").first.inner_text()
        page.get_by_role("link", name="Forrige sak").first.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert f"Sak 2 av {total}" in page.locator(".mode-nav").first.inner_text()
        assert_fits(page, f"meeting mode ({name})")
        # Closing without a way forward: refused in the item, the text kept, still item 2.
        current = items[1] if page.locator(f"#item-{items[1].pk}").count() else None
        card = page.locator("ol.agenda > li").first
        card.locator("textarea[name$=summary]").fill(f"Notat fra {name}")
        with page.expect_navigation():
            card.get_by_role("button", name="Lagre og lukk saken").click()
        card = page.locator("ol.agenda > li").first
        assert "Skriv omforent vei videre" in card.locator("[role=alert]").inner_text()
        assert card.locator("textarea[name$=summary]").input_value() == f"Notat fra {name}"
        assert f"Sak 2 av {total}" in page.locator(".mode-nav").first.inner_text()
        assert current is not None
        assert_no_axe_violations(page, f"refusal in meeting mode ({name})")
        screenshot(page, f"meeting-mode-refusal-{name}")
        page.context.close()
