"""Who may see and do what with meetings and minutes (P2, P8; R20, R31).

- Party-group members view and write their group's meetings.
- Everyone with a role at the unit reads the *published* minutes only: never a draft, never a
  correction in progress (R20, R30).
- Steering-group minutes: members read drafts; party-group members of the municipality read
  published ones (R31); a plain employee reads none.
- Another municipality's meetings are a 404 on every URL (ARCHITECTURE rule 3).
"""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UnitFactory, give_role, person_with_role
from tests.meetings.conftest import make_meeting, publishable
from trepart.meetings import services
from trepart.meetings import urls as meeting_urls
from trepart.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    MinutesVersion,
    Referral,
    StandingItem,
)
from trepart.organisation.models import Role

D = datetime.date
PUBLISHED_TEXT = "Publisert: vi prøver langvakter i helgene."
DRAFT_TEXT = "UTKAST: rettelse som ikke er publisert ennå."


def first_item(meeting) -> AgendaItem:
    return meeting.items.order_by("order", "id").first()


def write(actor, item, summary, **fields):
    item.refresh_from_db()
    return services.item_minutes_save(
        actor=actor,
        item=item,
        revision=item.revision,
        summary=summary,
        way_forward=fields.get("way_forward", item.way_forward or "Videre i neste møte."),
    )


def publish(actor, meeting, members):
    publishable(actor, meeting, members)
    return services.minutes_publish(actor=actor, meeting=meeting, notify=False)


def start_correction_with_draft(actor, meeting, item):
    services.minutes_correction_start(actor=actor, meeting=meeting)
    meeting.refresh_from_db()
    write(actor, item, DRAFT_TEXT)


@pytest.fixture
def members(party_group):
    return list(party_group.values())


@pytest.fixture
def meeting(leader, unit):
    meeting = make_meeting(leader, unit, title="Partsgruppemøte mars")
    write(leader, first_item(meeting), PUBLISHED_TEXT)
    return meeting


def detail(meeting):
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def state():
    """Everything a write could change, to show that a refused request changed nothing."""
    return {
        "meetings": list(Meeting.objects.order_by("pk").values()),
        "items": list(AgendaItem.objects.order_by("pk").values()),
        "actions": list(ActionItem.objects.order_by("pk").values()),
        "attendance": list(Attendance.objects.order_by("pk").values()),
        "referrals": list(Referral.objects.order_by("pk").values()),
        "versions": list(MinutesVersion.objects.order_by("pk").values("pk", "number", "content")),
        "standing": list(StandingItem.objects.order_by("pk").values()),
    }


# --- party-group members ------------------------------------------------------------------------


def test_group_members_view_and_edit(meeting, members):
    for person in members:
        client = client_for(person)
        response = client.get(detail(meeting))
        assert response.status_code == 200, person
        assert PUBLISHED_TEXT in response.content.decode()
    rep = members[1]
    item = first_item(meeting)
    response = client_for(rep).post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {
            f"item{item.pk}-revision": item.revision,
            f"item{item.pk}-summary": "Skrevet av tillitsvalgt.",
            f"item{item.pk}-way_forward": "Vi tar det opp igjen.",
            f"item{item.pk}-decisions": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.summary == "Skrevet av tillitsvalgt." and item.updated_by == rep
    response = client_for(rep).post(
        reverse("meetings:item_propose", args=[meeting.pk]), {"title": "Kompetanseplan for 2027"}
    )
    assert response.status_code == 302
    assert meeting.items.filter(title="Kompetanseplan for 2027", proposed_by=rep).exists()


# --- employees of the unit: published version only -----------------------------------------------


def test_employee_of_the_unit_gets_404_for_a_draft(meeting, employee):
    client = client_for(employee)
    assert client.get(detail(meeting)).status_code == 404
    assert client.get(reverse("meetings:minutes_versions", args=[meeting.pk])).status_code == 404


def test_employee_reads_the_published_version_never_a_correction_draft(
    meeting, employee, leader, members
):
    publish(leader, meeting, members)
    client = client_for(employee)
    response = client.get(detail(meeting))
    assert response.status_code == 200
    assert PUBLISHED_TEXT in response.content.decode()

    start_correction_with_draft(leader, meeting, first_item(meeting))
    response = client.get(detail(meeting))
    assert response.status_code == 200
    page = response.content.decode()
    assert PUBLISHED_TEXT in page
    assert DRAFT_TEXT not in page
    # The group itself sees the draft it is correcting.
    assert DRAFT_TEXT in client_for(leader).get(detail(meeting)).content.decode()
    # The version history shows published versions only.
    versions = client.get(reverse("meetings:minutes_versions", args=[meeting.pk]))
    assert versions.status_code == 200 and DRAFT_TEXT not in versions.content.decode()

    services.minutes_publish(actor=leader, meeting=meeting, change_note="Rettet")
    page = client.get(detail(meeting)).content.decode()
    assert DRAFT_TEXT in page and PUBLISHED_TEXT not in page


def test_employee_of_another_unit_gets_404(meeting, leader, members, municipality):
    other = person_with_role(Role.EMPLOYEE, UnitFactory(municipality=municipality))
    other_leader = person_with_role(Role.UNIT_LEADER, UnitFactory(municipality=municipality))
    assert client_for(other).get(detail(meeting)).status_code == 404
    publish(leader, meeting, members)
    for person in (other, other_leader):
        client = client_for(person)
        assert client.get(detail(meeting)).status_code == 404
        assert (
            client.get(reverse("meetings:minutes_versions", args=[meeting.pk])).status_code == 404
        )


def test_an_ended_role_at_the_unit_no_longer_gives_access(meeting, leader, members, unit):
    former = person_with_role(Role.EMPLOYEE, unit, starts_on=D(2022, 1, 1), ends_on=D(2023, 1, 1))
    publish(leader, meeting, members)
    assert client_for(former).get(detail(meeting)).status_code == 404


def test_municipal_admin_reads_drafts_but_cannot_write(meeting, admin_user):
    client = client_for(admin_user)
    assert client.get(detail(meeting)).status_code == 200
    before = state()
    response = client.post(reverse("meetings:item_propose", args=[meeting.pk]), {"title": "Ny sak"})
    assert response.status_code == 403
    assert state() == before


# --- employees cannot write ---------------------------------------------------------------------


def employee_posts(meeting, employee):
    item = first_item(meeting)
    return [
        (
            reverse("meetings:item_minutes", args=[item.pk]),
            {
                f"item{item.pk}-revision": item.revision,
                f"item{item.pk}-summary": "Hacket",
                f"item{item.pk}-way_forward": "Hacket",
                f"item{item.pk}-decisions": "",
            },
        ),
        (reverse("meetings:item_close", args=[item.pk]), {}),
        (reverse("meetings:item_close", args=[item.pk]), {"reopen": "1"}),
        (reverse("meetings:item_remove", args=[item.pk]), {}),
        (reverse("meetings:item_move", args=[item.pk, "down"]), {}),
        (
            reverse("meetings:referral_add", args=[item.pk]),
            {"body": "AMU", "referred_on": "2026-03-04"},
        ),
        (reverse("meetings:item_propose", args=[meeting.pk]), {"title": "Min egen sak"}),
        (
            reverse("meetings:attendance_save", args=[meeting.pk]),
            {
                f"attendance-{employee.pk}": "present",
                "guests": "Gjest",
            },
        ),
        (
            reverse("meetings:action_add", args=[meeting.pk]),
            {
                "description": "Gjør noe",
                "assignee": employee.pk,
                "due_on": "2026-04-01",
            },
        ),
        (reverse("meetings:minutes_publish", args=[meeting.pk]), {"change_note": "Rettet"}),
        (reverse("meetings:minutes_correct", args=[meeting.pk]), {}),
        (reverse("meetings:chair_set", args=[meeting.pk]), {"chair": employee.pk}),
        (reverse("meetings:meeting_edit", args=[meeting.pk]), {"action": "cancel", "reason": "x"}),
        (reverse("meetings:agenda_send", args=[meeting.pk]), {}),
    ]


def test_employee_posts_to_a_draft_meeting_are_refused_and_change_nothing(meeting, employee):
    client = client_for(employee)
    before = state()
    for url, data in employee_posts(meeting, employee):
        response = client.post(url, data)
        assert response.status_code in (403, 404), url
    assert state() == before


@pytest.mark.parametrize("correcting", [False, True])
def test_employee_posts_to_published_minutes_are_refused_and_change_nothing(
    meeting, employee, leader, members, correcting
):
    """The employee can read these minutes, so refusals are 403s; nothing changes."""
    publish(leader, meeting, members)
    if correcting:
        start_correction_with_draft(leader, meeting, first_item(meeting))
    client = client_for(employee)
    before = state()
    for url, data in employee_posts(meeting, employee):
        response = client.post(url, data)
        assert response.status_code in (403, 404), url
    assert state() == before


# --- actions: the assignee marks it done --------------------------------------------------------


def test_the_assignee_of_an_action_may_mark_it_done(meeting, leader, employee, unit):
    action = services.action_add(
        actor=leader,
        meeting=meeting,
        item=first_item(meeting),
        description="Sjekke vikarlista",
        assignee=employee,
        due_on=D(2026, 3, 20),
    )
    colleague = person_with_role(Role.EMPLOYEE, unit)
    url = reverse("meetings:action_done", args=[action.pk])
    assert client_for(colleague).post(url).status_code == 404
    action.refresh_from_db()
    assert action.done_at is None

    response = client_for(employee).post(url, {"next": "my_actions"})
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:my_actions")
    action.refresh_from_db()
    assert action.done_at is not None
    client_for(employee).post(url, {"undo": "1", "next": "my_actions"})
    action.refresh_from_db()
    assert action.done_at is None
    # A group member may also mark it done.
    client_for(leader).post(url)
    action.refresh_from_db()
    assert action.done_at is not None


# --- steering-group minutes ---------------------------------------------------------------------


@pytest.fixture
def steering_meeting(steering_group):
    director = steering_group["director"]
    meeting = make_meeting(director, None, title="TriPart-møte")
    write(director, first_item(meeting), PUBLISHED_TEXT)
    return meeting


def test_steering_members_read_drafts(steering_meeting, steering_group):
    for person in steering_group.values():
        response = client_for(person).get(detail(steering_meeting))
        assert response.status_code == 200, person
        assert PUBLISHED_TEXT in response.content.decode()


def test_party_group_members_read_published_steering_minutes_only(
    steering_meeting, steering_group, leader, employee
):
    director = steering_group["director"]
    client = client_for(leader)
    assert client.get(detail(steering_meeting)).status_code == 404
    assert client_for(employee).get(detail(steering_meeting)).status_code == 404

    publish(director, steering_meeting, list(steering_group.values()))
    response = client.get(detail(steering_meeting))
    assert response.status_code == 200
    assert PUBLISHED_TEXT in response.content.decode()
    assert client_for(employee).get(detail(steering_meeting)).status_code == 404

    start_correction_with_draft(director, steering_meeting, first_item(steering_meeting))
    page = client.get(detail(steering_meeting)).content.decode()
    assert PUBLISHED_TEXT in page and DRAFT_TEXT not in page
    assert client_for(employee).get(detail(steering_meeting)).status_code == 404
    # A party-group member cannot write the steering group's minutes.
    before = state()
    response = client.post(
        reverse("meetings:item_propose", args=[steering_meeting.pk]), {"title": "Vår sak"}
    )
    assert response.status_code == 403
    assert state() == before


# --- another municipality: 404 everywhere -------------------------------------------------------


@pytest.fixture
def everything(meeting, steering_meeting, leader, members, steering_group, employee):
    """A published unit meeting with an action and a referral, a standing item, and a steering
    meeting: real ids for every URL of the app."""
    item = first_item(meeting)
    action = services.action_add(
        actor=leader,
        meeting=meeting,
        item=item,
        description="Sjekke vikarlista",
        assignee=employee,
        due_on=D(2026, 3, 20),
    )
    referral = services.referral_add(actor=leader, item=item, body="AMU", referred_on=D(2026, 3, 4))
    publish(leader, meeting, members)
    standing = StandingItem.objects.filter(unit=meeting.unit).first()
    return {
        "meeting": meeting,
        "item": item,
        "action": action,
        "referral": referral,
        "standing": standing,
        "steering": steering_meeting,
        "steering_item": first_item(steering_meeting),
    }


def urls_with_ids(x):
    """(name, method, url, data) for every URL of the meetings app that takes an id."""
    m, s, item = x["meeting"], x["steering"], x["item"]
    unit = m.unit
    rows = [
        ("unit_group", "get", [unit.pk]),
        ("unit_series_create", "get", [unit.pk]),
        ("unit_series_create", "post", [unit.pk]),
        ("unit_meeting_create", "get", [unit.pk]),
        ("unit_meeting_create", "post", [unit.pk]),
        ("unit_standing_add", "post", [unit.pk]),
        ("standing_remove", "post", [x["standing"].pk]),
        ("action_done", "post", [x["action"].pk]),
        ("referral_outcome", "post", [x["referral"].pk]),
    ]
    for meeting in (m, s):
        rows += [
            ("meeting_detail", "get", [meeting.pk]),
            ("meeting_edit", "get", [meeting.pk]),
            ("meeting_edit", "post", [meeting.pk]),
            ("chair_set", "post", [meeting.pk]),
            ("item_propose", "post", [meeting.pk]),
            ("agenda_send", "post", [meeting.pk]),
            ("attendance_save", "post", [meeting.pk]),
            ("action_add", "post", [meeting.pk]),
            ("minutes_publish", "post", [meeting.pk]),
            ("minutes_correct", "post", [meeting.pk]),
            ("minutes_versions", "get", [meeting.pk]),
            ("minutes_pdf", "get", [meeting.pk]),
            ("minutes_docx", "get", [meeting.pk]),
            ("meeting_invite", "get", [meeting.pk]),
        ]
    for it in (item, x["steering_item"]):
        rows += [
            ("item_minutes", "post", [it.pk]),
            ("item_close", "post", [it.pk]),
            ("item_remove", "post", [it.pk]),
            ("item_move", "post", [it.pk, "down"]),
            ("referral_add", "post", [it.pk]),
            ("item_not_agreed", "post", [it.pk]),  # R15
        ]
    data = {
        "title": "Innbrudd",
        "summary": "x",
        "description": "x",
        "reason": "x",
        "action": "cancel",
        "body": "AMU",
        "referred_on": "2026-03-04",
        "outcome": "x",
        "outcome_on": "2026-03-05",
        "change_note": "x",
        "due_on": "2026-04-01",
        "day": "2026-04-01",
        "start_time": "10:00",
        "end_time": "11:00",
        "frequency": "monthly",
        "kind": "development",
        "weekday": "1",
        "ordinal": "1",
        "starts_on": "2026-04-01",
    }
    return [
        (name, method, reverse(f"meetings:{name}", args=args), data if method == "post" else None)
        for name, method, args in rows
    ]


def test_a_user_of_another_municipality_gets_404_on_every_meeting_url(
    everything, other_municipality
):
    # The strongest outsider: administrator, steering member and unit leader at home.
    outsider = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    give_role(outsider, Role.ADMINISTRATION)
    give_role(outsider, Role.UNIT_LEADER, unit=UnitFactory(municipality=other_municipality))
    client = client_for(outsider)
    rows = urls_with_ids(everything)
    # Every URL of the app that takes an id is covered (the calendar feed takes a secret token
    # instead, and is tested with the exports).
    with_ids = {p.name for p in meeting_urls.urlpatterns if p.pattern.converters}
    assert {name for name, *_ in rows} == with_ids

    before = state()
    for name, method, url, data in rows:
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 404, (name, method, url, response.status_code)
    assert state() == before


def test_another_municipalitys_meetings_do_not_show_on_pages_without_ids(
    everything, other_municipality
):
    outsider = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    give_role(outsider, Role.ADMINISTRATION)
    client = client_for(outsider)
    for name in ("index", "steering_group", "my_actions"):
        response = client.get(reverse(f"meetings:{name}"))
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "TriPart-møte" not in page and "Partsgruppemøte mars" not in page, name
        assert "Sjekke vikarlista" not in page, name
