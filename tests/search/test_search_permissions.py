"""Search never returns, counts or highlights what the person may not open (issue 11 point 6;
P3 and R14 for inputs, R20 and R30 for minutes and reports, R31 for shared experiences, P8 for
tenancy). Filtering happens before ranking and counting, so even the total is clean."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.search.conftest import make_input
from tests.search.test_search import found, key
from trepart.search.models import Kind
from trepart.search.selectors import search


def words_on_page(client, q) -> str:
    response = client.get(reverse("search:search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_employee_never_gets_counts_or_sees_hidden_or_private_inputs(world):
    """R14/P3: an input hidden by the group and a private message to the leader stay out of
    an employee's hits, total and page, even when the words match exactly."""
    employee = world["employee"]
    for q in ("vaktlista", "hemmelig klage", "ekstravakter", "lønn"):
        result = search(employee, q)
        assert result.total == 0 and result.hits == [], q
        page = words_on_page(client_for(employee), q)
        assert "Hemmelig" not in page and "Privat" not in page, q
    hits = found(employee, "vakt")
    assert key(world["public_input"]) in hits  # public input of the unit
    assert key(world["group_input"]) not in hits  # the group's own input, not public
    assert key(world["hidden_input"]) not in hits
    assert key(world["leader_input"]) not in hits
    # The total counts the same permitted entries as the hits (not the hidden ones).
    result = search(employee, "vakt")
    assert result.total == len(result.hits)


@pytest.mark.django_db
def test_group_sees_group_inputs_and_leader_sees_private_ones(world):
    safety = world["safety"]
    assert key(world["group_input"]) in found(safety, "vakt")
    assert key(world["leader_input"]) not in found(safety, "ekstravakter")
    assert key(world["leader_input"]) in found(world["leader"], "ekstravakter")


@pytest.mark.django_db
def test_hidden_input_shows_only_to_the_group_that_hid_it(world):
    assert key(world["hidden_input"]) in found(world["leader"], "vaktlista")
    assert key(world["hidden_input"]) not in found(world["employee"], "vaktlista")
    assert key(world["hidden_input"]) not in found(world["other_leader"], "vaktlista")


@pytest.mark.django_db
def test_another_units_draft_report_is_never_found(world):
    """R30: a draft report is the group's own until sent."""
    draft = key(world["draft_report"])
    assert draft in found(world["other_leader"], "vaktbytter")
    for name in ("leader", "employee", "politician", "other_employee"):
        assert search(world[name], "vaktbytter").total == 0, name


@pytest.mark.django_db
def test_sent_report_reaches_the_steering_group_and_the_unit(world):
    sent = key(world["sent_report"])
    assert sent in found(world["politician"], "nattevaktene")
    assert sent in found(world["employee"], "nattevaktene")
    assert sent not in found(world["other_employee"], "nattevaktene")


@pytest.mark.django_db
def test_another_municipality_is_invisible_except_shared_experiences(world):
    """P8: nothing of another municipality; R31: its shared experiences, read-only."""
    leader = world["leader"]
    hits = found(leader, "vakt")
    assert key(world["elsewhere_input"]) not in hits
    assert key(world["unshared_experience"]) not in hits
    assert key(world["shared_experience"]) in hits
    hit = next(h for h in search(leader, "langvakter").hits)
    assert hit.place == "Annenby kommune"  # attributed to the municipality, not a unit
    # And the other way round: Annenby's leader sees nothing of Fjordby.
    stranger = world["stranger"]
    assert {k for k, _pk in found(stranger, "vakt")} <= {Kind.INPUT, Kind.EXPERIENCE}
    assert found(stranger, "vakt") == {
        key(world["elsewhere_input"]),
        key(world["shared_experience"]),
        key(world["unshared_experience"]),
    }


@pytest.mark.django_db
def test_draft_experience_only_for_its_group(world):
    draft = key(world["draft_experience"])
    assert draft in found(world["other_leader"], "helgevakter")
    assert draft not in found(world["leader"], "helgevakter")
    assert draft not in found(world["other_employee"], "helgevakter")


@pytest.mark.django_db
def test_minutes_only_for_the_units_people(world):
    minutes = key(world["minutes"])
    assert minutes in found(world["employee"], "jula")
    assert minutes not in found(world["other_employee"], "jula")
    assert minutes not in found(world["stranger"], "jula")


@pytest.mark.django_db
def test_draft_minutes_are_never_indexed(world, unit):
    """R30: only published versions are searchable; the draft being written is not."""
    meeting = world["minutes"]
    item = meeting.items.create(title="Utkast", summary="Hemmelighold om vikarbyrå", order=1)
    assert search(world["leader"], "vikarbyrå").total == 0
    assert item.pk


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("search:search"), {"q": "vakt"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_platform_operator_without_municipality_is_refused(django_user_model):
    operator = django_user_model.objects.create_user(
        email="drift@example.test", password="x", is_staff=True
    )
    response = client_for(operator).get(reverse("search:search"), {"q": "vakt"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_links_only_to_pages_the_reader_may_open(world):
    employee = world["employee"]
    client = client_for(employee)
    for hit in search(employee, "vakt").hits:
        if hit.url:
            assert client.get(hit.url).status_code == 200, (hit.entry.kind, hit.url)


@pytest.mark.django_db
def test_script_in_an_input_is_escaped_on_the_page(world, unit):
    make_input(unit, "<script>alert('vakt')</script> om nattevakt", public=True)
    page = words_on_page(client_for(world["employee"]), "nattevakt")
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
