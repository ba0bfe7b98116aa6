"""Exports (P2): minutes as PDF and Word from published versions only (R20, R30), calendar
invitations (ICS) for group members, and the personal calendar feed."""

import datetime
import io
import sys

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.conftest import client_for
from tests.factories import UnitFactory, complete_party_group, person_with_role
from trepart.meetings import exports, services
from trepart.meetings.models import AgendaItem, CalendarFeed, MeetingKind
from trepart.organisation.models import Role

UTC = datetime.UTC
PUBLISHED_DECISION = "Vi prøver ny turnus på avdeling B fra 1. mai."
DRAFT_DECISION = "UTKAST: dette er ennå ikke publisert"


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def group_leader(unit):
    unit.party_group_name = "HMS-gruppa"
    unit.save(update_fields=["party_group_name"])
    complete_party_group(unit)
    return person_with_role(Role.UNIT_LEADER, unit, full_name="Lene Leder")


def new_meeting(actor, unit, day=datetime.date(2026, 3, 31), title="Partsmøte", municipality=None):
    return services.meeting_create(
        actor=actor,
        municipality=municipality or unit.municipality,
        unit=unit,
        title=title,
        kind=MeetingKind.DEVELOPMENT,
        day=day,
        start_time=datetime.time(14, 0),
        end_time=datetime.time(15, 0),
        location="Møterom Fjellet",
    )


def write_minutes(actor, meeting, decisions=PUBLISHED_DECISION):
    """Minutes for every item, the first with a decision (not for the steering group)."""
    for i, item in enumerate(meeting.items.order_by("order", "id")):
        services.item_minutes_save(
            actor=actor,
            item=item,
            revision=item.revision,
            summary=f"Samtale om punkt {i + 1}.\nFlere linjer.",
            way_forward=f"Veien videre for punkt {i + 1}",
            decisions=decisions if i == 0 and not meeting.is_steering else "",
        )
        services.item_close(actor=actor, item=item)
    services.attendance_record(
        actor=actor,
        meeting=meeting,
        statuses={actor: ("present", "Unit leader")},
        guests=["Gjest Gjestesen"],
    )


def published_meeting(actor, unit, **kwargs):
    meeting = new_meeting(actor, unit, **kwargs)
    first = meeting.items.order_by("order", "id").first()
    services.action_add(
        actor=actor,
        meeting=meeting,
        item=first,
        description="Lage ny turnusplan",
        assignee=actor,
        due_on=datetime.date(2026, 4, 15),
    )
    services.referral_add(
        actor=actor, item=first, body="AMU", referred_on=datetime.date(2026, 4, 1), note="Turnus"
    )
    write_minutes(actor, meeting)
    services.minutes_publish(actor=actor, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def parse_ics(data: bytes):
    calendar = Calendar.from_ical(data)
    return calendar, calendar.walk("VEVENT")


# --- minutes as PDF and Word --------------------------------------------------------------------


def test_minutes_pdf_is_a_pdf_built_from_the_published_html(group_leader, unit):
    meeting = published_meeting(group_leader, unit)
    response = client_for(group_leader).get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="referat-partsmote-2026-03-31.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 2000

    html = exports.minutes_html(meeting, meeting.versions.get())
    assert '<html lang="nb">' in html
    assert "size: A4" in html
    for text in (
        "Fjordby kommune",
        "HMS-gruppa, Solsiden sykehjem",
        "Møterom Fjellet",
        "14:00–15:00",
        PUBLISHED_DECISION,
        "Veien videre for punkt 1",
        "Lene Leder",
        "Gjest Gjestesen",
        "Lage ny turnusplan",
        "AMU",
    ):
        assert text in html, text


def test_minutes_docx_contains_decisions_municipality_and_group(group_leader, unit):
    meeting = published_meeting(group_leader, unit)
    response = client_for(group_leader).get(reverse("meetings:minutes_docx", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.DOCX_CONTENT_TYPE
    assert 'filename="referat-partsmote-2026-03-31.docx"' in response["Content-Disposition"]
    text = docx_text(response.content)
    for expected in (
        PUBLISHED_DECISION,
        "Fjordby kommune",
        "HMS-gruppa, Solsiden sykehjem",
        "Partsmøte",
        "14:00–15:00",
        "Møterom Fjellet",
        "Lene Leder",
        "Gjest Gjestesen",
        "Lage ny turnusplan",
        "Samtale om punkt 1.",
        "AMU",
    ):
        assert expected in text, expected
    assert docx.Document(io.BytesIO(response.content)).core_properties.language == "nb-NO"


def test_steering_group_minutes_name_the_steering_group_and_referrals(municipality):
    municipality.steering_group_name = "TriPart"
    municipality.save(update_fields=["steering_group_name"])
    chief = person_with_role(
        Role.CHIEF_SAFETY_REP, municipality=municipality, full_name="Hege Hovedverneombud"
    )
    meeting = services.meeting_create(
        actor=chief,
        municipality=municipality,
        unit=None,
        title="Trepartsmøte",
        kind=MeetingKind.DIALOGUE,
        day=datetime.date(2026, 5, 5),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(11, 0),
    )
    item = meeting.items.first()
    services.referral_add(
        actor=chief, item=item, body="Kommunestyret", referred_on=datetime.date(2026, 5, 6)
    )
    write_minutes(chief, meeting)
    services.minutes_publish(actor=chief, meeting=meeting)
    text = docx_text(
        client_for(chief).get(reverse("meetings:minutes_docx", args=[meeting.pk])).content
    )
    assert "TriPart" in text
    assert "Fjordby kommune" in text
    assert "Kommunestyret" in text
    assert "09:00–11:00" in text


def test_employee_reads_published_minutes_as_pdf_and_word(group_leader, unit, employee):
    meeting = published_meeting(group_leader, unit)
    client = client_for(employee)
    assert client.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).status_code == 200
    response = client.get(reverse("meetings:minutes_docx", args=[meeting.pk]))
    assert response.status_code == 200
    assert PUBLISHED_DECISION in docx_text(response.content)


def test_unpublished_minutes_are_404_for_employees_and_members(group_leader, unit, employee):
    meeting = new_meeting(group_leader, unit)
    write_minutes(group_leader, meeting, decisions=DRAFT_DECISION)
    for user in (employee, group_leader):
        client = client_for(user)
        assert client.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).status_code == 404
        assert client.get(reverse("meetings:minutes_docx", args=[meeting.pk])).status_code == 404


def test_other_municipality_gets_404(group_leader, unit, other_municipality):
    meeting = published_meeting(group_leader, unit)
    other_unit = UnitFactory(municipality=other_municipality)
    outsider = person_with_role(Role.UNIT_LEADER, other_unit)
    outsider_admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    for user in (outsider, outsider_admin):
        client = client_for(user)
        for name in ("minutes_pdf", "minutes_docx", "meeting_invite"):
            assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404, (
                name
            )


def test_anonymous_is_sent_to_login(group_leader, unit):
    meeting = published_meeting(group_leader, unit)
    response = Client().get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_draft_text_of_a_correction_never_appears_in_an_export(group_leader, unit, employee):
    """R30: exports show the published version; the correction in progress stays inside."""
    meeting = published_meeting(group_leader, unit)
    services.minutes_correction_start(actor=group_leader, meeting=meeting)
    item = meeting.items.order_by("order", "id").first()
    services.item_minutes_save(
        actor=group_leader,
        item=item,
        revision=item.revision,
        summary="UTKAST-SAMMENDRAG",
        way_forward="UTKAST-VEIEN-VIDERE",
        decisions=DRAFT_DECISION,
    )
    for user in (group_leader, employee):
        client = client_for(user)
        text = docx_text(client.get(reverse("meetings:minutes_docx", args=[meeting.pk])).content)
        assert PUBLISHED_DECISION in text
        assert DRAFT_DECISION not in text
        assert "UTKAST" not in text
        pdf = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = exports.minutes_html(meeting, exports.latest_published_version(meeting))
    assert PUBLISHED_DECISION in html
    assert "UTKAST" not in html


def test_export_uses_the_latest_published_version(group_leader, unit):
    meeting = published_meeting(group_leader, unit)
    services.minutes_correction_start(actor=group_leader, meeting=meeting)
    item = meeting.items.order_by("order", "id").first()
    services.item_minutes_save(
        actor=group_leader,
        item=item,
        revision=item.revision,
        summary="",
        way_forward="Ny vei",
        decisions="Rettet vedtak",
    )
    services.minutes_publish(actor=group_leader, meeting=meeting, change_note="Rettet vedtaket")
    text = docx_text(
        client_for(group_leader).get(reverse("meetings:minutes_docx", args=[meeting.pk])).content
    )
    assert "Rettet vedtak" in text
    assert "Rettet vedtaket" in text  # what was corrected
    assert PUBLISHED_DECISION not in text


def test_pdf_engine_missing_gives_503_with_explanation(group_leader, unit, monkeypatch):
    meeting = published_meeting(group_leader, unit)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint → ImportError
    response = client_for(group_leader).get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 503
    assert b"WeasyPrint" in response.content
    assert reverse("meetings:minutes_docx", args=[meeting.pk]).encode() in response.content


# --- export links -------------------------------------------------------------------------------


def test_export_links_on_meeting_pages(group_leader, unit, employee):
    meeting = new_meeting(group_leader, unit)
    pdf_url = reverse("meetings:minutes_pdf", args=[meeting.pk])
    invite_url = reverse("meetings:meeting_invite", args=[meeting.pk])
    page = (
        client_for(group_leader)
        .get(reverse("meetings:meeting_detail", args=[meeting.pk]))
        .content.decode()
    )
    assert invite_url in page
    assert reverse("meetings:calendar") in page
    assert pdf_url not in page  # nothing published yet

    write_minutes(group_leader, meeting)
    services.minutes_publish(actor=group_leader, meeting=meeting)
    page = (
        client_for(group_leader)
        .get(reverse("meetings:meeting_detail", args=[meeting.pk]))
        .content.decode()
    )
    assert pdf_url in page
    assert reverse("meetings:minutes_docx", args=[meeting.pk]) in page

    page = (
        client_for(employee)
        .get(reverse("meetings:meeting_detail", args=[meeting.pk]))
        .content.decode()
    )
    assert pdf_url in page
    assert invite_url not in page


# --- calendar invitation ------------------------------------------------------------------------


def test_invite_has_local_time_across_daylight_saving_change(group_leader, unit):
    """Oslo is UTC+1 until 29 March 2026 and UTC+2 after: 14:00 stays 14:00 local time."""
    winter = new_meeting(group_leader, unit, day=datetime.date(2026, 3, 24))
    summer = new_meeting(group_leader, unit, day=datetime.date(2026, 3, 31))
    client = client_for(group_leader)
    for meeting, utc_hour in ((winter, 13), (summer, 12)):
        response = client.get(reverse("meetings:meeting_invite", args=[meeting.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        calendar, [event] = parse_ics(response.content)
        start = event.decoded("dtstart")
        assert (start.hour, start.minute) == (14, 0)
        assert str(start.tzinfo) == "Europe/Oslo"
        assert start.astimezone(UTC).hour == utc_hour
        assert event.decoded("dtend").astimezone(UTC).hour == utc_hour + 1
        assert b"DTSTART;TZID=Europe/Oslo:" in response.content
        assert calendar.walk("VTIMEZONE")
        assert str(event["uid"]) == f"meeting-{meeting.pk}@trepart"
        assert str(event["summary"]) == "Partsmøte – Solsiden sykehjem"
        assert str(event["location"]) == "Møterom Fjellet"
        assert str(event["status"]) == "CONFIRMED"
        description = str(event["description"])
        for item in meeting.items.all():
            assert item.title in description
        assert f"/meetings/{meeting.pk}/" in description


def test_invite_lists_proposed_agenda_items_only_once_accepted(group_leader, unit):
    meeting = new_meeting(group_leader, unit)
    AgendaItem.objects.create(
        meeting=meeting, title="Forslag som venter", kind="development", status="proposed"
    )
    services.agenda_item_propose(actor=group_leader, meeting=meeting, title="Ny bemanningsplan")
    _calendar, [event] = parse_ics(exports.meeting_ics(meeting))
    assert "Ny bemanningsplan" in str(event["description"])
    assert "Forslag som venter" not in str(event["description"])


def test_cancelled_meeting_has_status_cancelled_and_same_uid(group_leader, unit):
    meeting = new_meeting(
        group_leader, unit, day=timezone.localdate() + datetime.timedelta(days=10)
    )
    services.meeting_cancel(actor=group_leader, meeting=meeting, reason="Sykdom")
    response = client_for(group_leader).get(reverse("meetings:meeting_invite", args=[meeting.pk]))
    _calendar, [event] = parse_ics(response.content)
    assert str(event["status"]) == "CANCELLED"
    assert b"STATUS:CANCELLED" in response.content
    assert str(event["uid"]) == f"meeting-{meeting.pk}@trepart"
    assert "Sykdom" in str(event["description"])


def test_sequence_grows_so_a_moved_meeting_supersedes_the_old_invitation(group_leader, unit):
    meeting = new_meeting(
        group_leader, unit, day=timezone.localdate() + datetime.timedelta(days=10)
    )
    before = timezone.now()
    _c, [old] = parse_ics(exports.meeting_ics(meeting, now=before))
    services.meeting_move(
        actor=group_leader,
        meeting=meeting,
        day=timezone.localdate() + datetime.timedelta(days=11),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
        location="Kantina",
    )
    _c, [new] = parse_ics(exports.meeting_ics(meeting, now=before + datetime.timedelta(minutes=5)))
    assert new["uid"] == old["uid"]
    assert int(new["sequence"]) > int(old["sequence"])
    assert new.decoded("dtstart").hour == 9
    assert str(new["location"]) == "Kantina"


def test_invite_is_for_group_members_only(group_leader, unit, employee):
    draft = new_meeting(group_leader, unit)
    published = published_meeting(group_leader, unit, day=datetime.date(2026, 4, 7))
    client = client_for(employee)
    # A meeting the employee cannot see at all is a 404; published minutes give no invitation.
    assert client.get(reverse("meetings:meeting_invite", args=[draft.pk])).status_code == 404
    assert client.get(reverse("meetings:meeting_invite", args=[published.pk])).status_code == 403


# --- the personal calendar feed -----------------------------------------------------------------


def feed_client_get(person):
    feed = exports.calendar_feed_regenerate(actor=person)
    return Client().get(reverse("meetings:calendar_feed", args=[feed.token]))


def uids(response) -> set[str]:
    _calendar, events = parse_ics(response.content)
    return {str(e["uid"]) for e in events}


def test_feed_lists_only_the_persons_groups_and_never_another_municipality(
    municipality, unit, group_leader, other_municipality
):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=14)
    mine = new_meeting(group_leader, unit, day=soon)
    recent = new_meeting(group_leader, unit, day=today - datetime.timedelta(days=30))
    too_old = new_meeting(group_leader, unit, day=today - datetime.timedelta(days=90))
    too_far = new_meeting(group_leader, unit, day=today + datetime.timedelta(days=400))
    cancelled = new_meeting(group_leader, unit, day=today + datetime.timedelta(days=21))
    services.meeting_cancel(actor=group_leader, meeting=cancelled, reason="")

    other_unit = UnitFactory(municipality=municipality, name="Bakken barnehage")
    other_leader = person_with_role(Role.UNIT_LEADER, other_unit)
    not_mine = new_meeting(other_leader, other_unit, day=soon, title="Møte i barnehagen")

    chief = person_with_role(Role.CHIEF_UNION_REP, municipality=municipality)
    steering = services.meeting_create(
        actor=chief,
        municipality=municipality,
        unit=None,
        title="Trepartsmøte",
        kind=MeetingKind.DIALOGUE,
        day=soon,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
    )

    foreign_unit = UnitFactory(municipality=other_municipality, name="Solsiden sykehjem")
    foreign_leader = person_with_role(Role.UNIT_LEADER, foreign_unit)
    foreign = new_meeting(foreign_leader, foreign_unit, day=soon)

    response = feed_client_get(group_leader)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" not in response.get("Content-Disposition", "")
    got = uids(response)
    assert got == {exports.meeting_uid(m) for m in (mine, recent, cancelled)}
    for meeting in (too_old, too_far, not_mine, steering, foreign):
        assert exports.meeting_uid(meeting) not in got
    _calendar, events = parse_ics(response.content)
    statuses = {str(e["uid"]): str(e["status"]) for e in events}
    assert statuses[exports.meeting_uid(cancelled)] == "CANCELLED"

    # The steering group's member gets the steering group's meetings only.
    assert uids(feed_client_get(chief)) == {exports.meeting_uid(steering)}
    # The other municipality's group_leader sees only their own.
    assert uids(feed_client_get(foreign_leader)) == {exports.meeting_uid(foreign)}


def test_feed_for_a_member_of_two_groups(municipality, unit, group_leader):
    today = timezone.localdate()
    chief_and_leader = person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality)
    from tests.factories import give_role

    give_role(chief_and_leader, Role.SAFETY_REP, unit=unit)
    party = new_meeting(group_leader, unit, day=today + datetime.timedelta(days=3))
    steering = services.meeting_create(
        actor=chief_and_leader,
        municipality=municipality,
        unit=None,
        title="Trepartsmøte",
        kind=MeetingKind.DIALOGUE,
        day=today + datetime.timedelta(days=5),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
    )
    assert uids(feed_client_get(chief_and_leader)) == {
        exports.meeting_uid(party),
        exports.meeting_uid(steering),
    }


def test_employee_feed_is_empty(unit, group_leader, employee):
    new_meeting(group_leader, unit, day=timezone.localdate() + datetime.timedelta(days=3))
    response = feed_client_get(employee)
    assert response.status_code == 200
    assert uids(response) == set()


def test_unknown_or_malformed_token_is_404(db):
    client = Client()
    assert client.get("/calendar/" + "x" * 32 + ".ics").status_code == 404
    assert client.get("/calendar/short.ics").status_code == 404
    assert client.get("/calendar/%27%20or%201=1.ics").status_code == 404


def test_feed_of_a_deactivated_person_is_404(unit, group_leader):
    feed = exports.calendar_feed_regenerate(actor=group_leader)
    group_leader.is_active = False
    group_leader.save(update_fields=["is_active"])
    assert Client().get(reverse("meetings:calendar_feed", args=[feed.token])).status_code == 404


def test_calendar_page_creates_shows_and_regenerates_the_address(unit, group_leader):
    client = client_for(group_leader)
    page = client.get(reverse("meetings:calendar"))
    assert page.status_code == 200
    assert not CalendarFeed.objects.filter(person=group_leader).exists()  # GET writes nothing

    assert client.post(reverse("meetings:calendar")).status_code == 302
    feed = CalendarFeed.objects.get(person=group_leader)
    page = client.get(reverse("meetings:calendar")).content.decode()
    feed_url = "http://testserver" + reverse("meetings:calendar_feed", args=[feed.token])
    assert feed_url in page
    assert "webcal://testserver" in page
    old_token = feed.token

    client.post(reverse("meetings:calendar"))
    feed.refresh_from_db()
    assert feed.token != old_token
    assert Client().get(reverse("meetings:calendar_feed", args=[old_token])).status_code == 404
    assert Client().get(reverse("meetings:calendar_feed", args=[feed.token])).status_code == 200


def test_calendar_page_requires_login(db):
    response = Client().get(reverse("meetings:calendar"))
    assert response.status_code == 302


def test_feed_uses_the_same_number_of_queries_for_one_and_many_meetings(unit, group_leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    feed = exports.calendar_feed_regenerate(actor=group_leader)
    url = reverse("meetings:calendar_feed", args=[feed.token])
    new_meeting(group_leader, unit, day=today + datetime.timedelta(days=1))
    with CaptureQueriesContext(connection) as one:
        assert len(uids(Client().get(url))) == 1
    for days in range(2, 7):
        new_meeting(group_leader, unit, day=today + datetime.timedelta(days=days))
    with CaptureQueriesContext(connection) as many:
        assert len(uids(Client().get(url))) == 6
    assert len(many) == len(one)
