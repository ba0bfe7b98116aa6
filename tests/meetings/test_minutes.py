"""Minutes (R13, R20, R30): every item closes with an agreed way forward, published minutes are
immutable versions, corrections publish a new version with a note on what changed, and
publishing tells everyone at the unit."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import UnitFactory, give_role, person_with_role
from tests.meetings.conftest import close_all_items, make_meeting, publishable, record_attendance
from trepart.meetings import services
from trepart.meetings.models import AgendaItem, Meeting, MinutesVersion
from trepart.meetings.selectors import version_changes
from trepart.organisation.models import Role

D = datetime.date


@pytest.fixture
def meeting(leader, unit):
    return make_meeting(leader, unit)


@pytest.fixture
def members(party_group):
    return list(party_group.values())


def first_item(meeting) -> AgendaItem:
    return meeting.items.order_by("order", "id").first()


def save(actor, item, **fields):
    item.refresh_from_db()
    data = {
        "summary": item.summary,
        "way_forward": item.way_forward,
        "decisions": item.decisions,
        **fields,
    }
    return services.item_minutes_save(actor=actor, item=item, revision=item.revision, **data)


def publish(actor, meeting, members, **kwargs):
    publishable(actor, meeting, members)
    return services.minutes_publish(actor=actor, meeting=meeting, **kwargs)


# --- R13: an item closes with its way forward --------------------------------------------------


def test_closing_an_item_without_a_way_forward_is_refused(leader, meeting):
    """R13: at the end of every item, agree how it is taken forward."""
    item = first_item(meeting)
    save(leader, item, summary="Travelt, men godt arbeidsmiljø.", way_forward="   ")
    item.refresh_from_db()
    with pytest.raises(ValidationError):
        services.item_close(actor=leader, item=item)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.ACCEPTED


def test_closing_an_item_with_a_way_forward_succeeds(leader, meeting):
    item = save(
        leader, first_item(meeting), way_forward="Leder sjekker vikarbudsjettet til neste møte."
    )
    services.item_close(actor=leader, item=item)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.CLOSED
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD  # writing minutes marks the meeting held


def test_notes_written_ahead_of_an_upcoming_meeting_keep_it_planned(leader, unit):
    """Preparing an item before the meeting must not mark it held: it can still be moved or
    cancelled (R10) and stays among the next meetings."""
    day = timezone.localdate() + datetime.timedelta(days=14)
    meeting = make_meeting(leader, unit, day=day)
    save(leader, first_item(meeting), summary="Forberedelse: ta med tall fra januar.")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    services.meeting_move(
        actor=leader,
        meeting=meeting,
        day=day + datetime.timedelta(days=1),
        start_time=datetime.time(14),
        end_time=datetime.time(15),
        location="",
    )


# --- publishing ---------------------------------------------------------------------------------


def test_publishing_requires_every_item_closed(leader, meeting, members):
    record_attendance(leader, meeting, members)
    item = save(leader, first_item(meeting), way_forward="Videre i neste møte.")
    services.item_close(actor=leader, item=item)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.minutes_publish(actor=leader, meeting=meeting)
    open_titles = list(meeting.items.exclude(status="closed").values_list("title", flat=True))
    assert open_titles and all(t in " ".join(exc.value.messages) for t in open_titles)
    assert not MinutesVersion.objects.exists()


def test_publishing_requires_attendance(leader, meeting):
    close_all_items(leader, meeting)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.minutes_publish(actor=leader, meeting=meeting)
    assert not MinutesVersion.objects.exists()
    meeting.refresh_from_db()
    assert meeting.minutes_status == Meeting.MinutesStatus.DRAFT


def test_a_cancelled_meeting_cannot_be_published(leader, meeting, members):
    services.meeting_cancel(actor=leader, meeting=meeting, reason="Sykdom")
    with pytest.raises(ValidationError):
        services.minutes_publish(actor=leader, meeting=meeting)


def test_publish_creates_version_1_with_a_snapshot(leader, meeting, members, party_group):
    services.chair_set(actor=leader, meeting=meeting, person=party_group["safety"])
    item = save(
        leader,
        first_item(meeting),
        summary="Mye sykefravær i januar.",
        way_forward="Vi prøver faste vikarer.",
        decisions="Leder ansetter to faste vikarer.",
    )
    services.referral_add(
        actor=leader,
        item=item,
        body="AMU",
        referred_on=D(2026, 3, 4),
        note="Budsjett for faste vikarer",
    )
    services.action_add(
        actor=leader,
        meeting=meeting,
        item=item,
        description="Lage vikarliste",
        assignee=party_group["rep_ff"],
        due_on=D(2026, 3, 20),
    )
    version = publish(leader, meeting, members)

    assert version.number == 1
    assert version.change_note == ""
    assert version.published_by == leader
    meeting.refresh_from_db()
    assert meeting.minutes_status == Meeting.MinutesStatus.PUBLISHED
    assert meeting.is_published and not meeting.minutes_editable
    content = version.content
    assert content["title"] == meeting.title
    assert content["chair"] == "Vera Verneombud"
    assert {a["name"] for a in content["attendance"]} == {p.full_name for p in members}
    snap = next(it for it in content["items"] if it["id"] == item.pk)
    assert snap["summary"] == "Mye sykefravær i januar."
    assert snap["way_forward"] == "Vi prøver faste vikarer."
    assert snap["decisions"] == "Leder ansetter to faste vikarer."
    assert snap["referrals"] == [
        {"body": "AMU", "referred_on": "2026-03-04", "note": "Budsjett for faste vikarer"}
    ]
    assert content["actions"] == [
        {
            "description": "Lage vikarliste",
            "assignee": "Frida Fagforbund",
            "due_on": "2026-03-20",
            "item": item.title,
        }
    ]
    assert len(content["items"]) == meeting.items.count()


def test_published_minutes_cannot_be_edited_until_a_correction_is_started(
    leader, meeting, members, party_group
):
    publish(leader, meeting, members)
    item = first_item(meeting)
    before = (item.summary, item.way_forward, item.revision)
    attempts = [
        lambda: services.item_minutes_save(
            actor=leader, item=item, revision=item.revision, summary="Endret", way_forward="Endret"
        ),
        lambda: services.item_close(actor=leader, item=item),
        lambda: services.item_reopen(actor=leader, item=item),
        lambda: services.agenda_item_propose(actor=leader, meeting=meeting, title="Ny sak"),
        lambda: services.agenda_item_remove(actor=leader, item=item),
        lambda: services.action_add(
            actor=leader,
            meeting=meeting,
            item=None,
            description="Noe",
            assignee=leader,
            due_on=D(2026, 4, 1),
        ),
        lambda: record_attendance(leader, meeting, members),
        lambda: services.referral_add(
            actor=leader, item=item, body="AMU", referred_on=D(2026, 3, 4)
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    with pytest.raises(ValidationError):  # publishing twice
        services.minutes_publish(actor=leader, meeting=meeting)
    item.refresh_from_db()
    assert (item.summary, item.way_forward, item.revision) == before
    assert meeting.items.count() == 4 and not meeting.actions.exists()

    services.minutes_correction_start(actor=leader, meeting=meeting)
    meeting.refresh_from_db()
    item = save(leader, item, summary="Rettet referat")
    assert item.summary == "Rettet referat"


def test_correction_can_only_start_from_published_minutes(leader, meeting):
    with pytest.raises(ValidationError):
        services.minutes_correction_start(actor=leader, meeting=meeting)


def test_snapshot_does_not_change_when_items_are_edited_during_a_correction(
    leader, meeting, members
):
    item = save(leader, first_item(meeting), summary="Opprinnelig tekst.")
    version = publish(leader, meeting, members)
    services.minutes_correction_start(actor=leader, meeting=meeting)
    meeting.refresh_from_db()
    save(leader, item, summary="Rettet tekst.", way_forward="Ny vei videre.")

    version.refresh_from_db()
    snap = next(it for it in version.content["items"] if it["id"] == item.pk)
    assert snap["summary"] == "Opprinnelig tekst."
    assert snap["way_forward"] == "Vi følger opp på neste møte."
    assert meeting.minutes_status == Meeting.MinutesStatus.CORRECTING


def test_publishing_a_correction_requires_a_change_note_and_creates_version_2(
    leader, meeting, members
):
    item = save(leader, first_item(meeting), summary="Åtte ansatte deltar.")
    v1 = publish(leader, meeting, members)
    services.minutes_correction_start(actor=leader, meeting=meeting)
    meeting.refresh_from_db()
    save(leader, item, summary="Ni ansatte deltar.")

    with pytest.raises(ValidationError) as exc:
        services.minutes_publish(actor=leader, meeting=meeting, change_note="  ")
    assert "change_note" in exc.value.message_dict
    assert meeting.versions.count() == 1

    v2 = services.minutes_publish(
        actor=leader, meeting=meeting, change_note="Riktig antall deltakere."
    )
    assert v2.number == 2
    assert v2.change_note == "Riktig antall deltakere."
    meeting.refresh_from_db()
    assert meeting.minutes_status == Meeting.MinutesStatus.PUBLISHED
    assert list(meeting.versions.values_list("number", flat=True)) == [2, 1]
    v1.refresh_from_db()
    assert next(it for it in v1.content["items"] if it["id"] == item.pk)["summary"] == (
        "Åtte ansatte deltar."
    )
    assert next(it for it in v2.content["items"] if it["id"] == item.pk)["summary"] == (
        "Ni ansatte deltar."
    )


def test_version_changes_lists_the_changed_field_with_before_and_after(leader, meeting, members):
    """R30 / P2: history shows who changed what."""
    item = save(leader, first_item(meeting), summary="Åtte ansatte deltar.")
    untouched = meeting.items.order_by("order", "id")[1]
    v1 = publish(leader, meeting, members)
    services.minutes_correction_start(actor=leader, meeting=meeting)
    meeting.refresh_from_db()
    save(leader, item, summary="Ni ansatte deltar.")
    v2 = services.minutes_publish(actor=leader, meeting=meeting, change_note="Antall")

    changes = version_changes(v1, v2)
    assert len(changes) == 1
    change = changes[0]
    assert change["where"] == item.title
    assert change["before"] == "Åtte ansatte deltar."
    assert change["after"] == "Ni ansatte deltar."
    assert change["field"]  # a readable label of the changed field
    assert untouched.title not in [c["where"] for c in changes]


def test_version_changes_shows_way_forward_and_attendance_changes(leader, meeting, members):
    item = first_item(meeting)
    v1 = publish(leader, meeting, members)
    services.minutes_correction_start(actor=leader, meeting=meeting)
    meeting.refresh_from_db()
    save(leader, item, way_forward="Tas opp igjen i april.")
    services.attendance_record(
        actor=leader,
        meeting=meeting,
        statuses={members[0]: ("absent", "")},
        guests=["Gjest Gjestesen"],
    )
    v2 = services.minutes_publish(actor=leader, meeting=meeting, change_note="Fravær")
    changes = version_changes(v1, v2)
    way = [c for c in changes if c["where"] == item.title]
    assert len(way) == 1
    assert way[0]["before"] == "Vi følger opp på neste møte."
    assert way[0]["after"] == "Tas opp igjen i april."
    attendance = [c for c in changes if c["where"] != item.title]
    assert len(attendance) == 1
    assert "Gjest Gjestesen" in attendance[0]["after"]
    assert "Gjest Gjestesen" not in attendance[0]["before"]


# --- concurrent editing -------------------------------------------------------------------------


def test_stale_revision_raises_conflict_and_does_not_overwrite(leader, meeting, party_group):
    """Two people write the minutes of one item at the same time: nothing is lost."""
    item = first_item(meeting)
    loaded_revision = item.revision
    rep = party_group["rep_ff"]
    services.item_minutes_save(
        actor=rep,
        item=item,
        revision=loaded_revision,
        summary="Frida sin tekst.",
        way_forward="Fridas forslag.",
    )
    with pytest.raises(services.MinutesConflict) as exc:
        services.item_minutes_save(
            actor=leader,
            item=item,
            revision=loaded_revision,
            summary="Liv sin tekst.",
            way_forward="Livs forslag.",
        )
    # The conflict carries the other person's saved text, to compare.
    assert exc.value.item.summary == "Frida sin tekst."
    assert exc.value.item.updated_by == rep
    item.refresh_from_db()
    assert item.summary == "Frida sin tekst."
    assert item.way_forward == "Fridas forslag."
    assert item.revision == loaded_revision + 1
    # With the current revision (after comparing) the save goes through.
    services.item_minutes_save(
        actor=leader,
        item=item,
        revision=item.revision,
        summary="Felles tekst.",
        way_forward="Fridas forslag.",
    )
    item.refresh_from_db()
    assert (item.summary, item.revision, item.updated_by) == (
        "Felles tekst.",
        loaded_revision + 2,
        leader,
    )


# --- R20: publishing tells everyone at the unit -------------------------------------------------


def test_publish_notifies_every_current_role_holder_at_the_unit_by_email(
    leader, meeting, members, unit, municipality, django_capture_on_commit_callbacks
):
    employee = person_with_role(Role.EMPLOYEE, unit, full_name="Eva Ansatt")
    dept_leader = person_with_role(Role.DEPARTMENT_LEADER, unit)
    former = person_with_role(Role.EMPLOYEE, unit, starts_on=D(2022, 1, 1), ends_on=D(2023, 1, 1))
    inactive = person_with_role(Role.EMPLOYEE, unit)
    inactive.is_active = False
    inactive.save()
    other_unit = UnitFactory(municipality=municipality)
    other_employee = person_with_role(Role.EMPLOYEE, other_unit)
    other_leader = person_with_role(Role.UNIT_LEADER, other_unit)
    steering = person_with_role(Role.ADMINISTRATION, municipality=municipality)
    # Someone who works elsewhere now, but used to be at this unit.
    mover = person_with_role(Role.EMPLOYEE, other_unit)
    give_role(mover, Role.EMPLOYEE, unit=unit, starts_on=D(2022, 1, 1), ends_on=D(2023, 1, 1))

    publishable(leader, meeting, members)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(actor=leader, meeting=meeting)

    # The reps also get their summary for the members (R19, trepart.reflection): not counted here.
    outbox = [m for m in mail.outbox if "/members/" not in m.body]
    recipients = sorted(r for m in outbox for r in m.to)
    expected = sorted(p.email for p in [*members, employee, dept_leader])
    assert recipients == expected
    for person in (former, inactive, other_employee, other_leader, steering, mover):
        assert person.email not in recipients
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the other recipients
    message = outbox[0]
    assert meeting.title in message.subject
    assert f"/meetings/{meeting.pk}/" in message.body


def test_publishing_a_correction_notifies_again_with_the_change_note(
    leader, meeting, members, django_capture_on_commit_callbacks
):
    publishable(leader, meeting, members)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(actor=leader, meeting=meeting)
    services.minutes_correction_start(actor=leader, meeting=meeting)
    meeting.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(
            actor=leader, meeting=meeting, change_note="Rettet skrivefeil i sak 2."
        )
    assert len(mail.outbox) == len(members)
    assert all("Rettet skrivefeil i sak 2." in m.body for m in mail.outbox)


def test_publish_without_notify_sends_nothing(
    leader, meeting, members, django_capture_on_commit_callbacks
):
    publishable(leader, meeting, members)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(actor=leader, meeting=meeting, notify=False)
    assert mail.outbox == []
