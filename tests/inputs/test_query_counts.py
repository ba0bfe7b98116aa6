"""Reads have a fixed number of queries (ARCHITECTURE rule 4): the group's list, the input
pages, the home page and the steering overview are measured with 1 and with 20 inputs in every
state, and the counts are compared, not hard-coded. (A list with no rows at all skips its
query, so the small case has one input in each state rather than none.)"""

from django.urls import reverse

from tests.inputs.conftest import age, future_meeting, logged_in, submit
from tests.query_counts import assert_same_counts, measure
from trepart.inputs import services

MANY = 20


STATES = 8


def add_inputs(unit, party_group, employee, meeting, n, start=0):
    """`n` more inputs in every state: named and anonymous, new, under consideration,
    answered, referred, taken up (on the meeting), public, hidden, private to the leader,
    overdue; most of them similar to the target."""
    leader = party_group["leader"]
    for i in range(start, start + n):
        kind = i % STATES
        text = f"Langvakter i helgene og turnus, innspill {i}"
        if kind == 7:
            item, _ = submit(unit, f"Lønnstillegg for meg, melding {i}", to_leader=True)
            continue
        author = employee if kind in (0, 3) else None
        item, _ = submit(unit, text, author=author)
        age(item, 40 if i % 3 == 0 else 2)
        if kind == 1:
            services.input_consider(actor=party_group["rep_ff"], item=item)
        elif kind == 2:
            services.input_close(actor=leader, item=item, status="answered", answer=f"Svar {i}")
            services.input_set_public(actor=leader, item=item, public=True)
        elif kind == 3:
            services.input_draft_save(actor=leader, item=item, answer="Utkast")
            services.input_close(
                actor=party_group["safety"],
                item=item,
                status="referred",
                answer=f"Sendt videre {i}",
                referred_to="amu",
                referred_to_name="AMU",
            )
            services.input_set_public(actor=leader, item=item, public=True)
        elif kind == 4:
            services.input_close(
                actor=leader, item=item, status="taken_up", answer="Tas opp", meeting=meeting
            )
        elif kind == 5:
            services.input_hide(actor=leader, item=item, reason="Sjikane")
        elif kind == 6:
            services.input_close(
                actor=leader, item=item, status="not_taken_up", answer="Nei, fordi …"
            )


def test_input_pages_same_queries_with_1_and_20_inputs(
    unit, party_group, employee, admin_user, steering_group
):
    leader = party_group["leader"]
    meeting = future_meeting(leader, unit)
    target, _ = submit(unit, "Kan vi prøve langvakt i helg? Turnusen er tung", author=employee)
    services.input_consider(actor=leader, item=target)
    clients = {
        "leader": logged_in(leader),
        "rep": logged_in(party_group["rep_nsf"]),
        "employee": logged_in(employee),
        "admin": logged_in(admin_user),
        "steering": logged_in(steering_group["politician"]),
    }
    unit_url = reverse("inputs:unit_inputs", args=[unit.pk])
    detail = reverse("inputs:input_detail", args=[target.pk])
    pages = [
        ("leader", "unit open", unit_url),
        ("leader", "unit closed", unit_url + "?view=closed"),
        ("leader", "unit hidden", unit_url + "?view=hidden"),
        ("leader", "unit leader", unit_url + "?view=leader"),
        ("rep", "unit open", unit_url),
        ("leader", "index", reverse("inputs:index")),
        ("employee", "index", reverse("inputs:index")),
        ("leader", "home", reverse("home:home")),
        ("employee", "home", reverse("home:home")),
        ("leader", "detail with similar", detail),
        ("employee", "own detail", detail),
        ("steering", "steering overview", reverse("organisation:steering_group")),
        ("admin", "steering overview", reverse("organisation:steering_group")),
        ("leader", "meeting", reverse("meetings:meeting_detail", args=[meeting.pk])),
    ]
    add_inputs(unit, party_group, employee, meeting, STATES)
    few = measure(clients, pages)

    add_inputs(unit, party_group, employee, meeting, STATES * (MANY - 1), start=STATES)
    assert unit.inputs.count() == 1 + STATES * MANY
    assert meeting.items.filter(inputs__isnull=False).count() >= 2
    assert len(services.input_link_for(unit).token) > 0
    many = measure(clients, pages)
    assert_same_counts(few, many)
    # The measurements saw the rows they were meant to.
    body = clients["leader"].get(detail).content.decode()
    assert "innspill 1" in body  # a similar input is suggested


def test_input_unit_list_is_paginated_with_the_same_queries(unit, party_group):
    """More inputs than a page: page 1 and 2 show what they should, with the queries of a
    short list."""
    from trepart.inputs.selectors import PAGE_SIZE

    leader = party_group["leader"]
    client = logged_in(leader)
    url = reverse("inputs:unit_inputs", args=[unit.pk])
    submit(unit, "Det første innspillet")
    few = measure({"leader": client}, [("leader", "page 1", url)])
    for i in range(PAGE_SIZE + 4):
        item, _ = submit(unit, f"Innspill nummer {i:03d}")
        age(item, (i % 5) + 1)
    many = measure(
        {"leader": client},
        [("leader", "page 1", url)],
    )
    assert_same_counts(few, many)
    page_2 = client.get(url + "?page=2")
    assert page_2.status_code == 200
    items_2 = page_2.context["items"]
    items_1 = client.get(url).context["items"]
    assert len(items_1) == PAGE_SIZE and len(items_2) == 5
    assert not {i.pk for i in items_1} & {i.pk for i in items_2}
    assert page_2.context["counts"]["open"] == PAGE_SIZE + 5
    # A page number out of range shows the last page rather than failing.
    assert client.get(url + "?page=99").context["page_obj"].number == 2
    assert client.get(url + "?page=abc").context["page_obj"].number == 1
