"""Issue 14: the search only looks within the reader's reach (`selectors._reach`), parts that
each match one GIN index. The reach must hold every entry the full permission rule lets
through — otherwise a search would silently miss hits — for every kind of reader, on both
databases; and searching with it finds exactly what searching without it finds."""

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from tests.factories import give_role, person_with_role
from tests.search.conftest import make_input, make_minutes
from trepart.meetings.models import Meeting, MinutesVersion
from trepart.organisation.models import Role
from trepart.search import matching, selectors
from trepart.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def _steering_meeting(municipality):
    starts = timezone.make_aware(datetime.datetime(2026, 2, 20, 9))
    meeting = Meeting.objects.create(
        municipality=municipality,
        unit=None,
        title="Styringsgruppen om vaktordninger",
        kind="dialogue",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status=Meeting.Status.HELD,
        minutes_status=Meeting.MinutesStatus.PUBLISHED,
    )
    items = [{"title": "Vakter", "summary": "Helgevakter i hele kommunen.", "way_forward": ""}]
    MinutesVersion.objects.create(
        meeting=meeting, number=1, content={"title": meeting.title, "items": items, "actions": []}
    )
    return meeting


@pytest.fixture
def readers(world, municipality, unit):
    other_unit = world["other_unit"]
    _steering_meeting(municipality)
    make_minutes(other_unit, "Bakken planlegger vakter", [("Vakter", "Ny vaktliste.", "")])
    # Someone who gave an input at a unit where they no longer hold a role: their own input
    # stays theirs to find.
    mover = person_with_role(Role.EMPLOYEE, other_unit, full_name="Mona Flyttet")
    make_input(unit, "Vaktene mine fra før jeg flyttet.", author=mover)
    department_leader = person_with_role(Role.DEPARTMENT_LEADER, unit)
    give_role(department_leader, Role.DEPARTMENT_LEADER, unit=other_unit)
    return {
        **{k: v for k, v in world.items() if hasattr(v, "is_authenticated")},
        "mover": mover,
        "department_leader": department_leader,
        "administration": person_with_role(Role.ADMINISTRATION, municipality=municipality),
        "chief_union_rep": person_with_role(Role.CHIEF_UNION_REP, municipality=municipality),
        "chief_safety_rep": person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality),
        "local_union_rep": person_with_role(Role.LOCAL_UNION_REP, unit),
    }


def test_every_permitted_entry_lies_within_the_readers_reach(readers):
    assert SearchEntry.objects.count() >= 15
    for name, reader in readers.items():
        permitted = set(selectors.entries_visible_to(reader).values_list("pk", flat=True))
        reach = Q(pk__in=[])
        for part in selectors._reach(reader):
            reach |= part
        within = set(SearchEntry.objects.filter(reach).values_list("pk", flat=True))
        assert permitted, name
        assert permitted <= within, (name, permitted - within)


def test_the_reach_narrows_for_readers_without_the_whole_municipality(readers, world):
    """Not a tautology: an employee's reach leaves out another unit's entries."""
    reach = Q(pk__in=[])
    for part in selectors._reach(readers["employee"]):
        reach |= part
    other_units = SearchEntry.objects.filter(unit=world["other_unit"]).exclude(kind="experience")
    assert other_units.exists()
    assert not other_units.filter(reach).exists()


def test_search_finds_the_same_with_and_without_the_reach(readers):
    for name, reader in readers.items():
        for text in ("vakt", "vakter", "turnus", "natt", "kveld"):
            entries = selectors.entries_visible_to(reader)
            query = matching.parse(text)
            if connection.vendor == "postgresql":
                with_reach = selectors._postgresql(entries, query, 100, selectors._reach(reader))
                without = selectors._postgresql(entries, query, 100)
            else:
                # SQLite searches in Python over the permitted entries; the reach is the
                # PostgreSQL path's index keys, checked above as a superset.
                with_reach = selectors._python(entries, query, 100)
                without = with_reach
            assert with_reach[0] == without[0], (name, text)
            assert {r.pk for r in with_reach[1]} == {r.pk for r in without[1]}, (name, text)


def test_nobody_of_a_municipality_finds_nothing(readers):
    """A person without a municipality (a platform operator) gets an empty result, not an
    error (review of issue 14)."""
    from tests.factories import UserFactory

    operator = UserFactory(municipality=None)
    result = selectors.search(operator, "vakt")
    assert result.total == 0 and result.hits == []
