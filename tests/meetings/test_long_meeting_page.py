"""Issue 10: on the long meeting page a refusal appears next to what was refused, is announced
(role=alert), and keeps what the person typed; closed items fold to one line; meeting mode
shows one item at a time; the way-forward label says it is needed to close (R13)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for as _client_for
from tests.meetings.conftest import make_meeting
from tests.query_counts import assert_same_counts, measure
from trepart.meetings import services
from trepart.meetings.models import AgendaItem


def client_for(user):
    client = _client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def meeting(leader, unit):
    meeting = make_meeting(leader, unit)
    for title in ("Turnus i jula", "Ny stellerom", "Pauserom"):
        services.agenda_item_propose(actor=leader, meeting=meeting, title=title)
    return meeting


def items(meeting):
    return list(meeting.items.order_by("order", "id"))


def minutes_post(item, **values):
    prefix = f"item{item.pk}"
    data = {f"{prefix}-revision": item.revision}
    data.update({f"{prefix}-{k}": v for k, v in values.items()})
    return data


def refusal_inside(html, target):
    """The refusal with its role=alert sits inside the part of the page it is about."""
    start = html.index(f'id="{target}"')
    refusal = html.index(f'id="refusal-{target}"')
    assert start < refusal
    tag = html[html.rindex("<", 0, refusal) : refusal]
    assert 'role="alert"' in tag
    return html[refusal:]


def test_r13_closing_without_way_forward_is_refused_at_the_item_and_keeps_the_text(leader, meeting):
    item = items(meeting)[1]
    client = client_for(leader)
    typed = "Mange savner et eget stellerom på avdeling B."
    response = client.post(
        reverse("meetings:item_close", args=[item.pk]), minutes_post(item, summary=typed)
    )
    assert response.status_code == 400
    html = response.content.decode()
    after = refusal_inside(html, f"item-{item.pk}")
    assert "way forward" in after.split("</div>")[0]
    # What was typed is kept in the form (and saved, so nothing is lost).
    assert typed in html
    item.refresh_from_db()
    assert item.summary == typed and item.status != AgendaItem.Status.CLOSED
    # No message far away at the top of the page.
    assert 'class="messages"' not in html


def test_close_button_saves_and_closes_in_one_go(leader, meeting):
    item = items(meeting)[0]
    client = client_for(leader)
    response = client.post(
        reverse("meetings:item_close", args=[item.pk]),
        minutes_post(item, summary="Drøftet", way_forward="Leder lager forslag til neste møte."),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.CLOSED
    assert item.way_forward.startswith("Leder lager")


def test_close_form_posts_to_an_address_that_jumps_to_the_item(leader, meeting):
    item = items(meeting)[0]
    html = client_for(leader).get(reverse("meetings:meeting_detail", args=[meeting.pk])).content
    html = html.decode()
    close_url = reverse("meetings:item_close", args=[item.pk])
    # The Close button is part of the minutes form (formaction), so the typed text goes along.
    form = html[html.index(f'action="{reverse("meetings:item_minutes", args=[item.pk])}') :]
    form = form[: form.index("</form>")]
    assert f'formaction="{close_url}#item-{item.pk}"' in form


def test_referral_refusal_reopens_its_form_with_what_was_typed(leader, meeting):
    item = items(meeting)[0]
    client = client_for(leader)
    response = client.post(
        reverse("meetings:referral_add", args=[item.pk]),
        {"body": "", "referred_on": "not a date", "note": "Hvem skal ha nattevakt i helga?"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    refusal_inside(html, f"referral-{item.pk}")
    assert re.search(rf'<details class="ds-details" id="referral-{item.pk}" open>', html)
    assert "Hvem skal ha nattevakt i helga?" in html


def test_attendance_refusal_keeps_the_guests_typed(leader, meeting, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("Refused for the test.")

    monkeypatch.setattr(services, "attendance_record", refuse)
    response = client_for(leader).post(
        reverse("meetings:attendance_save", args=[meeting.pk]),
        {"guests": "Gjest Gjestesen", f"attendance-{leader.pk}": "present"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    refusal_inside(html, "attendance")
    assert "Gjest Gjestesen</textarea>" in html
    assert re.search(rf'name="attendance-{leader.pk}" value="present"[^>]*checked', html)


def test_a_guest_name_too_long_is_refused_in_the_section_and_kept(leader, meeting):
    """Found by the fuzz test on PostgreSQL: a 161-character line was a 500 there."""
    long_name = "Gjest " + "x" * 200
    response = client_for(leader).post(
        reverse("meetings:attendance_save", args=[meeting.pk]),
        {"guests": f"Kari Gjest\n{long_name}"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    refusal_inside(html, "attendance")
    assert long_name in html
    assert not meeting.attendance.filter(status="guest").exists()  # nothing half-saved


def test_closed_items_fold_to_one_line(leader, meeting):
    first = items(meeting)[0]
    services.item_minutes_save(
        actor=leader, item=first, revision=first.revision, summary="x", way_forward="Ferdig."
    )
    services.item_close(actor=leader, item=first)
    html = client_for(leader).get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    html = html.content.decode()
    li = html[html.index(f'id="item-{first.pk}"') :]
    li = li[: li.index("</li>")]
    assert '<details class="agenda-fold"' in li
    summary = li[li.index("<summary") : li.index("</summary>")]
    assert first.title in summary and "Ferdig." in summary
    # The open items are not folded.
    second = items(meeting)[1]
    other = html[html.index(f'id="item-{second.pk}"') :]
    assert "agenda-fold" not in other[: other.index("</li>")]


def test_meeting_mode_shows_one_item_with_previous_and_next(leader, meeting):
    agenda = items(meeting)
    first, second, third = agenda[:3]
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    client = client_for(leader)
    html = client.get(url, {"mode": "meeting", "item": second.pk}).content.decode()
    assert f'id="item-{second.pk}"' in html
    assert f'id="item-{first.pk}"' not in html and f'id="item-{third.pk}"' not in html
    assert f"Item 2 of {len(agenda)}" in html
    assert f"?mode=meeting&amp;item={first.pk}#item-{first.pk}" in html
    assert f"?mode=meeting&amp;item={third.pk}#item-{third.pk}" in html
    # Forms in meeting mode bring you back to the same item.
    response = client.post(
        reverse("meetings:item_minutes", args=[second.pk]),
        {**minutes_post(second, summary="Notat"), "mode": "meeting", "current": second.pk},
    )
    assert response["Location"].endswith(f"?mode=meeting&item={second.pk}#item-{second.pk}")


@pytest.mark.parametrize("junk", ["abc", "-1", "99999999999999999999", ""])
def test_meeting_mode_ignores_junk_item_ids(leader, meeting, junk):
    response = client_for(leader).get(
        reverse("meetings:meeting_detail", args=[meeting.pk]), {"mode": "meeting", "item": junk}
    )
    assert response.status_code == 200
    assert f"Item 1 of {len(items(meeting))}" in response.content.decode()


def test_meeting_mode_query_count_does_not_grow_with_the_agenda(leader, meeting):
    clients = {"leader": client_for(leader)}
    url = reverse("meetings:meeting_detail", args=[meeting.pk]) + "?mode=meeting"
    pages = [("leader", "meeting mode", url)]
    few = measure(clients, pages)
    for n in range(6):
        services.agenda_item_propose(actor=leader, meeting=meeting, title=f"Sak {n}")
    assert_same_counts(few, measure(clients, pages))


def test_way_forward_label_says_it_is_needed_to_close(leader, meeting):
    html = client_for(leader).get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    html = html.content.decode()
    label = re.search(r'<label class="ds-label" for="id_item\d+-way_forward">(.*?)</label>', html)
    assert "needed to close the item" in label.group(1)
    assert "(optional)" not in label.group(1)


def test_standing_item_refusal_is_shown_by_its_field(leader, unit):
    response = client_for(leader).post(
        reverse("meetings:unit_standing_add", args=[unit.pk]), {"title": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    standing = html[html.index('id="standing"') :]
    assert 'id="id_title_error"' in standing
    assert 'aria-invalid="true"' in standing
