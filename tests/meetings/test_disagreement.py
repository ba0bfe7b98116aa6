"""Disagreement over time (R15): an item the group did not agree on is closed as "not agreed"
with each side's position, continues at the next planned meeting with its history, and the
product suggests trying a solution instead of a final decision. Never a vote."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.meetings.conftest import make_meeting, publishable
from trepart.meetings import exports, services
from trepart.meetings.models import AgendaItem, ItemPosition, Meeting

POSITIONS = [
    ("Lederen", "Vi har ikke råd til flere helgestillinger nå."),
    ("De tillitsvalgte", "Små helgestillinger gjør at folk slutter; slå dem sammen."),
    ("Verneombudet", "Helgebelastningen er en risiko; vi må se på den uansett."),
]
# R15: never a vote, never a count of for and against (English and Norwegian words).
VOTE_WORDS = re.compile(
    r"\b(vot(e|es|ed|ing)|majority|minority|for and against|in favour|"
    r"avstemning\w*|stemme[rt]?|stemte|flertall\w*|mindretall\w*|for og imot)\b",
    re.IGNORECASE,
)


@pytest.fixture
def members(party_group):
    return list(party_group.values())


@pytest.fixture
def meeting(leader, unit):
    """A held meeting (in the past) with an item of its own."""
    meeting = make_meeting(leader, unit)
    services.agenda_item_propose(
        actor=leader, meeting=meeting, title="Helgebemanning", description="Små helgestillinger."
    )
    return meeting


@pytest.fixture
def next_meeting(leader, unit):
    return make_meeting(leader, unit, day=timezone.localdate() + datetime.timedelta(days=20))


def topic(meeting) -> AgendaItem:
    return meeting.items.get(standing=False)


def not_agreed(actor, item, positions=POSITIONS, in_between="Leder og tillitsvalgte møtes."):
    item.refresh_from_db()
    services.item_minutes_save(
        actor=actor,
        item=item,
        revision=item.revision,
        summary="Lang samtale om helgene.",
        way_forward="",
    )
    return services.item_not_agreed(
        actor=actor, item=item, positions=positions, in_between=in_between
    )


# --- closing as not agreed, carrying over ---------------------------------------------------------


def test_r15_not_agreed_closes_the_item_without_a_way_forward_and_carries_it(
    leader, meeting, next_meeting
):
    item = not_agreed(leader, topic(meeting))
    assert item.status == AgendaItem.Status.CLOSED and item.not_agreed
    assert [p.holder for p in item.positions.all()] == [h for h, _t in POSITIONS]
    carried = next_meeting.items.get(carried_from=item)
    assert carried.title == "Helgebemanning" and carried.description == "Små helgestillinger."
    assert carried.carried_count == 1 and carried.carried_root_id == item.pk
    assert carried.status == AgendaItem.Status.ACCEPTED


def test_r15_not_agreed_without_any_position_is_refused(leader, meeting, next_meeting):
    item = topic(meeting)
    with pytest.raises(ValidationError):
        services.item_not_agreed(actor=leader, item=item, positions=[("Lederen", "  ")])
    item.refresh_from_db()
    assert not item.not_agreed and item.status != AgendaItem.Status.CLOSED
    assert not next_meeting.items.filter(carried_from__isnull=False).exists()


def test_a_position_needs_whose_it_is(leader, meeting):
    with pytest.raises(ValidationError):
        services.item_not_agreed(actor=leader, item=topic(meeting), positions=[("", "Nei.")])


def test_standing_items_and_the_steering_group_have_no_not_agreed(
    leader, meeting, steering_group, municipality
):
    standing = meeting.items.filter(standing=True).first()
    with pytest.raises(ValidationError):
        services.item_not_agreed(actor=leader, item=standing, positions=POSITIONS)
    director = steering_group["director"]
    steering = make_meeting(director, None)
    item = services.agenda_item_propose(actor=director, meeting=steering, title="Heltid")
    with pytest.raises(ValidationError):  # R2: dialogue only, nothing to agree on
        services.item_not_agreed(actor=director, item=item, positions=POSITIONS)


def test_an_employee_cannot_mark_not_agreed(meeting, employee):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.item_not_agreed(actor=employee, item=topic(meeting), positions=POSITIONS)


def test_without_a_planned_meeting_the_item_waits_and_joins_the_next_one_created(
    leader, meeting, unit, municipality
):
    item = not_agreed(leader, topic(meeting))
    waiting = services.waiting_items_qs(municipality.pk, unit.pk)
    assert list(waiting) == [item]
    later = make_meeting(leader, unit, day=timezone.localdate() + datetime.timedelta(days=30))
    carried = later.items.get(carried_from=item)
    assert carried.carried_count == 1
    assert not services.waiting_items_qs(municipality.pk, unit.pk).exists()
    # Another meeting does not get it a second time.
    third = make_meeting(leader, unit, day=timezone.localdate() + datetime.timedelta(days=60))
    assert not third.items.filter(carried_from__isnull=False).exists()


def test_a_series_created_later_takes_the_waiting_item(leader, meeting, unit):
    item = not_agreed(leader, topic(meeting))
    series = services.series_create(
        actor=leader,
        municipality=unit.municipality,
        unit=unit,
        title="Partsgruppemøte",
        kind="development",
        frequency="monthly",
        ordinal=1,
        weekday=1,
        interval_weeks=2,
        start_time=datetime.time(14),
        end_time=datetime.time(15),
        location="",
        starts_on=timezone.localdate(),
        ends_on=None,
    )
    first = series.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    assert first.items.filter(carried_from=item).exists()
    assert AgendaItem.objects.filter(carried_from=item).count() == 1


def test_it_goes_to_a_future_meeting_never_a_past_one(leader, meeting, unit):
    past = make_meeting(leader, unit, day=datetime.date(2026, 4, 7))  # after, but in the past
    future = make_meeting(leader, unit, day=timezone.localdate() + datetime.timedelta(days=9))
    item = not_agreed(leader, topic(meeting))
    assert not past.items.filter(carried_from=item).exists()
    assert future.items.filter(carried_from=item).exists()


def test_reopening_takes_an_untouched_continuation_back(leader, meeting, next_meeting):
    item = not_agreed(leader, topic(meeting))
    services.item_reopen(actor=leader, item=item)
    item.refresh_from_db()
    assert not item.not_agreed
    assert not next_meeting.items.filter(carried_from__isnull=False).exists()
    # Positions are kept for the form; closing as agreed clears them.
    assert item.positions.count() == 3
    item = services.item_minutes_save(
        actor=leader, item=item, revision=item.revision, summary="x", way_forward="Vi prøver."
    )
    services.item_close(actor=leader, item=item)
    assert not ItemPosition.objects.filter(agenda_item=item).exists()


def test_reopening_keeps_a_continuation_the_next_meeting_worked_on(leader, meeting, next_meeting):
    item = not_agreed(leader, topic(meeting))
    carried = next_meeting.items.get(carried_from=item)
    services.item_minutes_save(
        actor=leader, item=carried, revision=carried.revision, summary="Forberedt.", way_forward=""
    )
    services.item_reopen(actor=leader, item=item)
    assert next_meeting.items.filter(carried_from=item).exists()
    # Closing as not agreed again does not make a second continuation.
    not_agreed(leader, item)
    assert AgendaItem.objects.filter(carried_from=item).count() == 1


def test_a_carried_item_cannot_be_removed_from_the_agenda(leader, meeting, next_meeting):
    """R15: postpone and talk in between; the disagreement is not dropped silently."""
    item = not_agreed(leader, topic(meeting))
    carried = next_meeting.items.get(carried_from=item)
    with pytest.raises(ValidationError):
        services.agenda_item_remove(actor=leader, item=carried)


def test_cancelling_the_next_meeting_moves_the_item_on(leader, meeting, next_meeting, unit):
    after = make_meeting(leader, unit, day=timezone.localdate() + datetime.timedelta(days=50))
    item = not_agreed(leader, topic(meeting))
    services.meeting_cancel(actor=leader, meeting=next_meeting, reason="Influensa")
    assert not next_meeting.items.filter(carried_from=item).exists()
    assert after.items.filter(carried_from=item).exists()


def test_carried_twice_counts_and_keeps_the_whole_history(leader, meeting, unit):
    second = make_meeting(leader, unit, day=timezone.localdate() + datetime.timedelta(days=1))
    first_item = not_agreed(leader, topic(meeting))
    carried = second.items.get(carried_from=first_item)
    # The second meeting does not agree either (its date is moved into the past to hold it).
    Meeting.objects.filter(pk=second.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    third = make_meeting(leader, unit, day=timezone.localdate() + datetime.timedelta(days=40))
    carried.refresh_from_db()
    again = not_agreed(leader, carried, positions=[("Lederen", "Fortsatt nei.")])
    last = third.items.get(carried_from=again)
    assert last.carried_count == 2 and last.carried_root_id == first_item.pk

    from trepart.meetings.selectors import item_histories

    item_histories([last])
    assert [h.pk for h in last.history] == [first_item.pk, again.pk]


# --- the pages ------------------------------------------------------------------------------------


def test_the_form_posts_positions_and_lands_on_the_item(leader, meeting, next_meeting):
    item = topic(meeting)
    client = client_for(leader)
    data = {
        f"item{item.pk}-revision": item.revision,
        f"item{item.pk}-summary": "Samtale.",
        f"item{item.pk}-way_forward": "",
        f"item{item.pk}na-holder_0": "Lederen",
        f"item{item.pk}na-text_0": "Nei til flere helgestillinger.",
        f"item{item.pk}na-holder_1": "De tillitsvalgte",
        f"item{item.pk}na-text_1": "Ja, slå dem sammen.",
        f"item{item.pk}na-in_between": "Leder og HTV snakker sammen.",
    }
    response = client.post(reverse("meetings:item_not_agreed", args=[item.pk]), data)
    assert response.status_code == 302 and response.url.endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert item.not_agreed and item.summary == "Samtale."
    assert item.in_between == "Leder og HTV snakker sammen."
    assert next_meeting.items.filter(carried_from=item).exists()
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Nei til flere helgestillinger." in page
    assert reverse("meetings:meeting_detail", args=[next_meeting.pk]) in page


def test_refusal_without_positions_is_shown_in_the_item_and_keeps_the_text(leader, meeting):
    """Issue 10's refusal pattern: 400, role=alert in the item, what was typed kept."""
    item = topic(meeting)
    client = client_for(leader)
    data = {
        f"item{item.pk}-revision": item.revision,
        f"item{item.pk}-summary": "Det vi sa.",
        f"item{item.pk}na-holder_0": "Lederen",
        f"item{item.pk}na-text_0": "",
        f"item{item.pk}na-in_between": "Vi snakkes i mellomtiden.",
    }
    response = client.post(reverse("meetings:item_not_agreed", args=[item.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="refusal-item-{item.pk}"' in html and 'role="alert"' in html
    assert "Vi snakkes i mellomtiden." in html  # kept
    assert f'id="not-agreed-{item.pk}" open' in html  # the disclosure opens
    item.refresh_from_db()
    assert not item.not_agreed and item.summary == "Det vi sa."  # the minutes were saved


def test_bad_posts_get_the_form_back_never_a_500(leader, meeting):
    item = topic(meeting)
    client = client_for(leader)
    url = reverse("meetings:item_not_agreed", args=[item.pk])
    for data in (
        {},
        {f"item{item.pk}-revision": "abc"},
        {f"item{item.pk}na-holder_0": "x" * 500, f"item{item.pk}na-text_0": "y"},
    ):
        assert client.post(url, data).status_code in (400, 409)


def test_employees_and_other_municipalities_get_404_on_draft_minutes(
    meeting, employee, other_municipality
):
    """Like every write on the meeting page: who may not even open the draft gets a 404."""
    from tests.factories import UnitFactory, person_with_role
    from trepart.organisation.models import Role

    item = topic(meeting)
    url = reverse("meetings:item_not_agreed", args=[item.pk])
    data = {f"item{item.pk}na-holder_0": "Lederen", f"item{item.pk}na-text_0": "Nei."}
    assert client_for(employee).post(url, data).status_code == 404
    outsider = person_with_role(Role.UNIT_LEADER, UnitFactory(municipality=other_municipality))
    assert client_for(outsider).post(url, data).status_code == 404
    item.refresh_from_db()
    assert not item.not_agreed


def test_the_next_meeting_shows_history_tag_and_the_trial_suggestion(leader, meeting, next_meeting):
    item = not_agreed(leader, topic(meeting))
    carried = next_meeting.items.get(carried_from=item)
    client = client_for(leader)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("meetings:meeting_detail", args=[next_meeting.pk])).content.decode()
    assert "Carried over once" in html
    assert "Lang samtale om helgene." in html  # the earlier discussion in the history
    assert "Små helgestillinger gjør at folk slutter" in html  # its positions
    # R15/R25: the suggestion to try a solution, with "make it a measure" one click away.
    assert "trial-suggestion" in html
    assert reverse("measures:from_agenda_item", args=[carried.pk]) in html
    assert not VOTE_WORDS.search(html)


def test_the_group_page_shows_waiting_items(leader, meeting, unit):
    not_agreed(leader, topic(meeting))
    html = client_for(leader).get(reverse("meetings:unit_group", args=[unit.pk])).content.decode()
    assert 'id="waiting"' in html and "Helgebemanning" in html


# --- minutes, snapshot and exports: "not agreed", positions, no vote ---------------------------


@pytest.fixture
def published(leader, meeting, next_meeting, members):
    not_agreed(leader, topic(meeting))
    publishable(leader, meeting, members)
    return services.minutes_publish(actor=leader, meeting=meeting, notify=False)


def test_the_snapshot_keeps_not_agreed_positions_and_where_it_continues(published, next_meeting):
    item = next(it for it in published.content["items"] if it["title"] == "Helgebemanning")
    assert item["not_agreed"] is True
    assert [p["holder"] for p in item["positions"]] == [h for h, _t in POSITIONS]
    assert item["continued_on"] == timezone.localdate(next_meeting.starts_at).isoformat()
    assert item["in_between"] == "Leder og tillitsvalgte møtes."
    assert not VOTE_WORDS.search(str(published.content))


@pytest.mark.parametrize("language", ["en", "nb", "nn"])
def test_published_minutes_and_exports_show_not_agreed_without_votes(
    published, meeting, employee, language
):
    from django.utils import translation

    client = client_for(employee)  # reads the published snapshot only
    client.cookies["django_language"] = language
    html = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Små helgestillinger gjør at folk slutter" in html
    assert "Leder og tillitsvalgte møtes." in html
    assert not VOTE_WORDS.search(html)
    with translation.override(language):
        pdf_html = exports.minutes_html(meeting, published)
        docx_bytes = exports.minutes_docx(meeting, published)
    assert "Små helgestillinger gjør at folk slutter" in pdf_html
    assert not VOTE_WORDS.search(pdf_html)
    import io

    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs)
    assert "Lederen" in text and "Små helgestillinger gjør at folk slutter" in text
    assert not VOTE_WORDS.search(text)


def test_english_minutes_say_where_it_continues(published, meeting, next_meeting):
    from django.utils import translation

    with translation.override("en"):
        pdf_html = exports.minutes_html(meeting, published)
    assert "Not agreed" in pdf_html and "Continued at the meeting on" in pdf_html


def test_the_next_meetings_minutes_say_where_the_item_came_from(
    published, leader, next_meeting, members
):
    from django.utils import translation

    carried = next_meeting.items.get(carried_from__isnull=False)
    Meeting.objects.filter(pk=next_meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    next_meeting.refresh_from_db()
    carried.refresh_from_db()
    services.item_minutes_save(
        actor=leader,
        item=carried,
        revision=carried.revision,
        summary="Vi ble enige om å prøve.",
        way_forward="Vi prøver sammenslåtte helgestillinger i seks måneder og evaluerer.",
    )
    publishable(leader, next_meeting, members)
    version = services.minutes_publish(actor=leader, meeting=next_meeting, notify=False)
    item = next(it for it in version.content["items"] if it["title"] == "Helgebemanning")
    assert item["carried_count"] == 1 and item["continued_from"]
    with translation.override("en"):
        pdf_html = exports.minutes_html(next_meeting, version)
    assert "Carried over once" in pdf_html and "Continued from the meeting on" in pdf_html


def test_a_correction_shows_changed_positions(published, leader, meeting):
    from trepart.meetings.selectors import version_changes

    services.minutes_correction_start(actor=leader, meeting=meeting)
    item = topic(meeting)
    services.item_reopen(actor=leader, item=item)
    not_agreed(leader, item, positions=[("Lederen", "Kanskje likevel.")])
    meeting.refresh_from_db()
    newer = services.minutes_publish(
        actor=leader, meeting=meeting, change_note="Rettet posisjon", notify=False
    )
    changes = version_changes(published, newer)
    assert any("Kanskje likevel." in c["after"] for c in changes)


# --- queries ------------------------------------------------------------------------------------


def _carried_meeting(leader, unit, n: int, offset: int) -> Meeting:
    """A held meeting with `n` items not agreed on, each carried to a meeting ahead."""
    source = make_meeting(leader, unit, day=datetime.date(2026, 5, 5) + datetime.timedelta(offset))
    target = make_meeting(leader, unit, day=timezone.localdate() + datetime.timedelta(offset))
    for i in range(n):
        item = services.agenda_item_propose(actor=leader, meeting=source, title=f"Sak {i}")
        services.item_not_agreed(actor=leader, item=item, positions=POSITIONS, in_between="x")
        services.item_carry_to(actor=leader, item=item, meeting=target)
    return source, target


def test_the_meeting_page_reads_carried_items_in_a_fixed_number_of_queries(leader, unit):
    from tests.query_counts import assert_same_counts, measure

    # The second target is earlier, so it is the next meeting when its items are carried.
    few_source, few = _carried_meeting(leader, unit, 1, 20)
    many_source, many = _carried_meeting(leader, unit, 8, 10)
    assert many.items.filter(carried_from__isnull=False).count() == 8
    clients = {"member": client_for(leader)}

    def pages(source, target):
        return [
            ("member", "next", reverse("meetings:meeting_detail", args=[target.pk])),
            ("member", "source", reverse("meetings:meeting_detail", args=[source.pk])),
            ("member", "group", reverse("meetings:unit_group", args=[unit.pk])),
        ]

    assert_same_counts(
        measure(clients, pages(few_source, few)), measure(clients, pages(many_source, many))
    )


def test_an_item_closed_as_agreed_is_not_turned_into_a_disagreement(leader, meeting):
    item = topic(meeting)
    item = services.item_minutes_save(
        actor=leader, item=item, revision=item.revision, summary="x", way_forward="Vi gjør det."
    )
    services.item_close(actor=leader, item=item)
    with pytest.raises(ValidationError):
        services.item_not_agreed(actor=leader, item=item, positions=POSITIONS)


def test_a_conflict_keeps_the_positions_typed(leader, meeting, party_group):
    """Someone saved the item meanwhile: 409, both texts shown, and the positions kept."""
    item = topic(meeting)
    stale = item.revision
    services.item_minutes_save(
        actor=party_group["rep_ff"],
        item=item,
        revision=stale,
        summary="Annen tekst.",
        way_forward="",
    )
    data = {
        f"item{item.pk}-revision": stale,
        f"item{item.pk}-summary": "Min tekst.",
        f"item{item.pk}na-holder_0": "Lederen",
        f"item{item.pk}na-text_0": "Et syn som ikke må gå tapt.",
    }
    response = client_for(leader).post(reverse("meetings:item_not_agreed", args=[item.pk]), data)
    assert response.status_code == 409
    assert "Et syn som ikke må gå tapt." in response.content.decode()
    item.refresh_from_db()
    assert not item.not_agreed


# --- review fixes: continuations never drop off, nor linger as orphans (R15) ----------------------


def _work_on(actor, carried, summary="Forberedt før møtet."):
    """The next meeting starts on the continuation: a summary and an action."""
    carried.refresh_from_db()
    services.item_minutes_save(
        actor=actor, item=carried, revision=carried.revision, summary=summary, way_forward=""
    )
    return services.action_add(
        actor=actor,
        meeting=carried.meeting,
        item=carried,
        description="Hente tall for helgevakter.",
        assignee=actor,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )


def test_cancelling_moves_a_worked_on_continuation_with_what_was_written(
    leader, meeting, next_meeting, unit, municipality
):
    after = make_meeting(leader, unit, day=timezone.localdate() + datetime.timedelta(days=50))
    item = not_agreed(leader, topic(meeting))
    carried = next_meeting.items.get(carried_from=item)
    action = _work_on(leader, carried)
    services.meeting_cancel(actor=leader, meeting=next_meeting, reason="Influensa")
    carried.refresh_from_db()
    action.refresh_from_db()
    assert carried.meeting_id == after.pk and carried.summary == "Forberedt før møtet."
    assert action.meeting_id == after.pk and action.agenda_item_id == carried.pk
    assert AgendaItem.objects.filter(carried_from=item).count() == 1
    assert not next_meeting.items.filter(carried_from__isnull=False).exists()
    assert not services.waiting_items_qs(municipality.pk, unit.pk).exists()
    from trepart.meetings.selectors import continuation_of

    item.refresh_from_db()
    assert continuation_of(item).meeting_id == after.pk


def test_cancelling_with_no_later_meeting_lets_a_worked_on_continuation_wait(
    leader, meeting, next_meeting, unit, municipality
):
    """Never "continued at" a cancelled meeting: the item waits, and what was written on the
    continuation joins the next meeting that is planned."""
    item = not_agreed(leader, topic(meeting))
    carried = next_meeting.items.get(carried_from=item)
    _work_on(leader, carried)
    services.meeting_cancel(actor=leader, meeting=next_meeting, reason="Influensa")
    assert list(services.waiting_items_qs(municipality.pk, unit.pk)) == [item]
    from trepart.meetings.selectors import continuation_of, meeting_detail

    item.refresh_from_db()
    assert continuation_of(item) is None
    assert services.minutes_snapshot(meeting)["items"][-1]["continued_on"] == ""
    shown = next(it for it in meeting_detail(meeting)["items"] if it.pk == item.pk)
    assert shown.continued_as is None
    page = client_for(leader).get(reverse("meetings:unit_group", args=[unit.pk])).content.decode()
    assert 'id="waiting"' in page and "Helgebemanning" in page  # waiting on the group page

    later = make_meeting(leader, unit, day=timezone.localdate() + datetime.timedelta(days=40))
    carried.refresh_from_db()
    assert carried.meeting_id == later.pk and carried.summary == "Forberedt før møtet."
    assert carried.actions.get().meeting_id == later.pk
    assert AgendaItem.objects.filter(carried_from=item).count() == 1
    assert not services.waiting_items_qs(municipality.pk, unit.pk).exists()


def test_closing_an_item_already_closed_as_not_agreed_is_refused(leader, meeting, next_meeting):
    """A stale tab or a replayed form does not turn a disagreement into an agreement."""
    item = not_agreed(leader, topic(meeting))
    item = services.item_minutes_save(
        actor=leader, item=item, revision=item.revision, summary="x", way_forward="Vi prøver."
    )
    with pytest.raises(ValidationError):
        services.item_close(actor=leader, item=item)
    item.refresh_from_db()
    assert item.not_agreed and item.positions.count() == 3
    assert next_meeting.items.filter(carried_from=item).exists()

    # Through the page: refused in the item, before anything typed is saved.
    response = client_for(leader).post(
        reverse("meetings:item_close", args=[item.pk]),
        {
            f"item{item.pk}-revision": item.revision,
            f"item{item.pk}-summary": "Gammel fane.",
            f"item{item.pk}-way_forward": "Enige likevel.",
        },
    )
    assert response.status_code == 400
    assert f'id="refusal-item-{item.pk}"' in response.content.decode()
    item.refresh_from_db()
    assert item.not_agreed and item.summary == "x" and item.positions.count() == 3


def _reopen_and_agree(leader, item):
    services.item_reopen(actor=leader, item=item)
    item.refresh_from_db()
    item = services.item_minutes_save(
        actor=leader, item=item, revision=item.revision, summary="x", way_forward="Vi prøver."
    )
    return services.item_close(actor=leader, item=item)


def test_agreed_after_reopening_removes_a_continuation_nobody_works_on_any_more(
    leader, meeting, next_meeting
):
    item = not_agreed(leader, topic(meeting))
    carried = next_meeting.items.get(carried_from=item)
    services.item_minutes_save(
        actor=leader, item=carried, revision=carried.revision, summary="Utkast.", way_forward=""
    )
    services.item_reopen(actor=leader, item=item)
    carried.refresh_from_db()  # worked on, so kept on reopening
    services.item_minutes_save(
        actor=leader, item=carried, revision=carried.revision, summary="", way_forward=""
    )
    item.refresh_from_db()
    item = services.item_minutes_save(
        actor=leader, item=item, revision=item.revision, summary="x", way_forward="Vi prøver."
    )
    services.item_close(actor=leader, item=item)
    assert not AgendaItem.objects.filter(carried_from=item).exists()


def test_a_continuation_of_an_item_agreed_after_all_can_be_removed(leader, meeting, next_meeting):
    item = not_agreed(leader, topic(meeting))
    carried = next_meeting.items.get(carried_from=item)
    services.referral_add(
        actor=leader, item=carried, body="Kommunedirektøren", referred_on=timezone.localdate()
    )
    _reopen_and_agree(leader, item)
    carried = AgendaItem.objects.get(carried_from=item)  # worked on, so it stays
    services.agenda_item_remove(actor=leader, item=carried)
    assert not next_meeting.items.filter(pk=carried.pk).exists()
