"""The person picker and the paginated people list (issue 9): pages never list everyone.

With 5,000 people in the municipality the meeting page, the measure page and the people list
use the same number of queries as with a handful, and their size does not grow (ARCHITECTURE
rule 4). The search endpoint returns at most the limit, only people of the user's own
municipality, and requires login; the forms resolve typed names on the server (no JavaScript
needed) and refuse a foreign or inactive id with a Norwegian error, never a 500.
"""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.measures.conftest import new_measure
from tests.meetings import conftest as meetings_conftest
from tests.meetings.conftest import make_meeting
from tests.query_counts import assert_same_counts, measure
from trepart.accounts.models import User
from trepart.meetings import services as meeting_services
from trepart.meetings.forms import ActionForm
from trepart.meetings.models import ActionItem
from trepart.organisation.selectors import PEOPLE_SEARCH_LIMIT

# The party group at `unit` (Liv Leder, Frida Fagforbund, Nils Sykepleier, Vera Verneombud).
party_group = meetings_conftest.party_group
leader = meetings_conftest.leader

MANY = 5000
DUE = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def add_people(municipality, count, start=0, prefix="Bulk Person"):
    """Many people at once (bulk_create: factories would take minutes)."""
    User.objects.bulk_create(
        [
            User(
                email=f"bulk{i}@{municipality.pk}.example.test",
                full_name=f"{prefix} {i:05d}",
                municipality=municipality,
                password="!",
            )
            for i in range(start, start + count)
        ]
    )


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def meeting(leader, unit, party_group):
    meeting = make_meeting(leader, unit, day=datetime.date.today() + datetime.timedelta(days=7))
    for title in ("Turnus", "Opplæring", "Kantina"):
        item = meeting_services.agenda_item_propose(
            actor=leader, meeting=meeting, title=title, description="", kind="development"
        )
        meeting_services.action_add(
            actor=leader,
            meeting=meeting,
            item=item,
            description=f"Følge opp {title.lower()}",
            assignee=party_group["rep_ff"],
            due_on=datetime.date.today() + datetime.timedelta(days=14),
        )
    return meeting


def post_action(client, meeting, **data):
    item = meeting.items.order_by("order").first()
    payload = {"item": item.pk, "description": "Ringe vikarbyrået", "due_on": DUE, **data}
    return client.post(reverse("meetings:action_add", args=[meeting.pk]), payload)


# --- pages do not grow with the number of people -----------------------------------------------


def test_pages_have_the_same_queries_and_size_with_5000_people(
    municipality, unit, party_group, leader, admin_user, meeting
):
    measure_obj = new_measure(party_group, unit)
    clients = {"leader": client_for(leader), "admin": client_for(admin_user)}
    pages = [
        ("leader", "meeting", reverse("meetings:meeting_detail", args=[meeting.pk])),
        ("leader", "measure", reverse("measures:measure_detail", args=[measure_obj.pk])),
        ("admin", "people", reverse("organisation:people")),
        ("admin", "people search", reverse("organisation:people") + "?q=bulk"),
        ("admin", "people page 2", reverse("organisation:people") + "?q=bulk&page=2"),
    ]

    def sizes():
        return {name: len(clients[viewer].get(url).content) for viewer, name, url in pages}

    add_people(municipality, 5)
    few, few_sizes = measure(clients, pages), sizes()
    # The people list shows at most one page: compare its size with a full first page.
    add_people(municipality, 95, start=5)
    full_page_sizes = sizes()
    add_people(municipality, MANY - 100, start=100)
    assert User.objects.filter(municipality=municipality).count() > MANY
    many, many_sizes = measure(clients, pages), sizes()

    assert_same_counts(few, many)
    for name in ("meeting", "measure"):
        assert many_sizes[name] - few_sizes[name] < 2_000, (name, few_sizes, many_sizes)
    for name in ("people", "people search", "people page 2"):
        assert many_sizes[name] - full_page_sizes[name] < 3_000, (name, many_sizes)
    meeting_page = clients["leader"].get(pages[0][2]).content.decode()
    assert "Bulk Person" not in meeting_page
    assert 'name="assignee_search"' in meeting_page


def test_people_list_is_paginated_and_keeps_the_search(municipality, admin_user):
    add_people(municipality, 120)
    client = client_for(admin_user)
    response = client.get(reverse("organisation:people"), {"q": "bulk", "page": 2})
    body = text_of(response)
    assert response.status_code == 200
    assert body.count("Bulk Person") == 50
    assert "Bulk Person 00050" in body and "Bulk Person 00049" not in body
    assert 'aria-current="page"' in body
    assert 'class="ds-pagination" aria-label=' in body
    assert "?q=bulk&page=3" in body  # page links keep the search
    # The htmx search returns the results partial with the same pagination.
    partial = client.get(reverse("organisation:people"), {"q": "bulk"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert text_of(partial).count("Bulk Person") == 50
    assert "?q=bulk&page=2" in text_of(partial)
    # A page out of range shows the last page, never an error.
    assert client.get(reverse("organisation:people"), {"page": 999}).status_code == 200


# --- the search endpoint ------------------------------------------------------------------------


def search(client, q, **params):
    return client.get(
        reverse("organisation:people_search"),
        {"for": "action-who-1", "name": "assignee", "assignee_search": q, **params},
        HTTP_HX_REQUEST="true",
    )


def test_search_returns_at_most_the_limit_in_a_fixed_number_of_queries(municipality, local_rep):
    add_people(municipality, 300)
    client = client_for(local_rep)
    search(client, "bulk")
    with CaptureQueriesContext(connection) as ctx:
        response = search(client, "bulk")
    assert response.status_code == 200
    body = text_of(response)
    assert body.count('type="radio"') == PEOPLE_SEARCH_LIMIT
    assert 'name="assignee"' in body and 'id="action-who-1-' in body
    assert "type more of the name" in body.lower() or "skriv mer av navnet" in body
    assert len(ctx.captured_queries) <= 6


def test_search_finds_by_name_and_email_words(municipality, local_rep):
    UserFactory(municipality=municipality, full_name="Kari Nordmann", email="kari@fjordby.no")
    UserFactory(municipality=municipality, full_name="Kari Sørli", email="ks@fjordby.no")
    client = client_for(local_rep)
    body = text_of(search(client, "nordmann kari"))
    assert "Kari Nordmann" in body and "Kari Sørli" not in body
    assert "checked" in body  # a single match is chosen
    assert "Kari Sørli" in text_of(search(client, "ks@fjordby"))
    # The plain `q` parameter works too.
    plain = client.get(reverse("organisation:people_search"), {"q": "kari", "for": "id_person"})
    assert text_of(plain).count('type="radio"') == 2


def test_search_never_returns_other_municipalities_or_inactive_people(
    municipality, other_municipality, local_rep
):
    UserFactory(municipality=other_municipality, full_name="Fremmed Person")
    UserFactory(municipality=municipality, full_name="Sluttet Person", is_active=False)
    client = client_for(local_rep)
    body = text_of(search(client, "fremmed"))
    assert "Fremmed Person" not in body
    assert "Ingen i kommunen passer med «fremmed»" in body
    assert "Sluttet Person" not in text_of(search(client, "sluttet"))


def test_search_requires_login_and_a_municipality(client, db):
    response = search(client, "bulk")
    assert response.status_code == 302 and "/login/" in response["Location"]
    operator = UserFactory(municipality=None)
    assert search(client_for(operator), "bulk").status_code == 403


def test_search_is_for_those_who_fill_in_the_picker(municipality, employee, local_rep):
    """Issue 15: only the forms of the party groups and the steering group (an action's
    assignee) and the admin's role forms use the picker; an employee is not handed every
    colleague's name and e-mail address."""
    from tests.factories import person_with_role
    from trepart.organisation.models import Role

    UserFactory(municipality=municipality, full_name="Kari Nordmann")
    assert search(client_for(employee), "kari").status_code == 403
    for person in (
        local_rep,
        person_with_role(Role.POLITICIAN, municipality=municipality),
        person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality),
    ):
        response = search(client_for(person), "kari")
        assert response.status_code == 200 and "Kari Nordmann" in text_of(response)


def test_search_refuses_unsafe_element_ids(local_rep):
    response = client_for(local_rep).get(
        reverse("organisation:people_search"), {"for": '"><script>', "q": "a"}
    )
    assert response.status_code == 400


# --- the forms ----------------------------------------------------------------------------------


def test_action_form_refuses_a_foreign_id_in_norwegian(
    municipality, other_municipality, leader, meeting
):
    foreign = UserFactory(municipality=other_municipality, full_name="Fremmed Person")
    response = post_action(client_for(leader), meeting, assignee=foreign.pk)
    assert response.status_code == 400
    body = text_of(response)
    assert "Velg en aktiv person i kommunen." in body
    assert 'aria-invalid="true"' in body
    assert "Fremmed Person" not in body
    assert not ActionItem.objects.filter(assignee=foreign).exists()


def test_action_form_refuses_an_inactive_or_unknown_id(municipality, leader, meeting):
    gone = UserFactory(municipality=municipality, is_active=False)
    for value in (gone.pk, 999999, "abc"):
        form = ActionForm(
            data={"assignee": value, "description": "x", "due_on": DUE}, municipality=municipality
        )
        assert not form.is_valid()
        assert form.errors["assignee"] == ["Velg en aktiv person i kommunen."]


def test_a_typed_name_is_resolved_on_the_server_without_javascript(
    municipality, leader, party_group, meeting
):
    client = client_for(leader)
    response = post_action(client, meeting, assignee_search="Frida")
    assert response.status_code == 302
    assert ActionItem.objects.filter(
        description="Ringe vikarbyrået", assignee=party_group["rep_ff"]
    ).exists()


def test_several_matches_are_shown_as_choices_and_then_chosen(municipality, leader, meeting):
    add_people(municipality, 30)
    client = client_for(leader)
    response = post_action(client, meeting, assignee_search="bulk")
    assert response.status_code == 400
    body = text_of(response)
    assert "Flere personer passer med «bulk»." in body
    assert body.count('name="assignee" value=') == PEOPLE_SEARCH_LIMIT
    chosen = User.objects.get(full_name="Bulk Person 00003")
    response = post_action(client, meeting, assignee_search="bulk", assignee=chosen.pk)
    assert response.status_code == 302
    assert ActionItem.objects.filter(assignee=chosen).exists()


def test_nobody_matching_gives_a_clear_error(leader, meeting):
    body = text_of(post_action(client_for(leader), meeting, assignee_search="Zorro"))
    assert "Ingen i kommunen passer med «Zorro»." in body


def test_typing_a_new_name_replaces_an_earlier_choice(leader, party_group, meeting):
    post_action(
        client_for(leader), meeting, assignee=party_group["rep_ff"].pk, assignee_search="Vera"
    )
    assert ActionItem.objects.filter(
        description="Ringe vikarbyrået", assignee=party_group["safety"]
    ).exists()


def test_a_chosen_person_is_shown_by_name_when_the_form_comes_back(leader, party_group, meeting):
    response = post_action(
        client_for(leader), meeting, assignee=party_group["safety"].pk, due_on="not a date"
    )
    assert response.status_code == 400
    body = text_of(response)
    safety = party_group["safety"]
    assert f'value="{safety.pk}" id="action-who-' in body
    assert "checked" in body.split(f'value="{safety.pk}" id="action-who-')[1][:80]
    assert "Vera Verneombud" in body


def test_unbound_form_shows_an_initial_person_by_name(municipality, party_group):
    from django.template import Context, Template

    form = ActionForm(initial={"assignee": party_group["safety"]}, municipality=municipality)
    rendered = Template("{% load person_picker %}{% person_field form.assignee %}").render(
        Context({"form": form})
    )
    assert "Vera Verneombud" in rendered and "checked" in rendered
    assert '<label class="ds-label" for="id_assignee">' in rendered
    assert 'aria-describedby="id_assignee_help"' in rendered


def test_people_list_unit_filter_lists_the_units_and_keeps_the_choice(municipality, admin_user):
    """Issue 14: the unit filter's options are built in one pass; names are escaped and the
    chosen unit stays selected."""
    from tests.factories import UnitFactory

    chosen = UnitFactory(municipality=municipality, name="Brekka <b>sykehjem</b>")
    UnitFactory(municipality=municipality, name="Aasen barnehage")
    body = (
        client_for(admin_user)
        .get(reverse("organisation:people"), {"unit": chosen.pk})
        .content.decode()
    )
    assert (
        f'<option value="{chosen.pk}" selected>Brekka &lt;b&gt;sykehjem&lt;/b&gt;</option>' in body
    )
    assert body.index("Aasen barnehage") < body.index("Brekka &lt;b&gt;")
    assert "<b>sykehjem</b>" not in body
