"""Issue 14 (P8): municipality-wide panels kept per process (trepart.core.freshness) change at
once when their data changes: the chief union rep's vacancies (R6) on the home page and the
steering group's input counts (P3)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role, presence, union
from trepart.core import freshness
from trepart.inputs import contributions as input_contributions
from trepart.inputs import services as input_services
from trepart.organisation import services as organisation_services
from trepart.organisation.models import Role, RoleAssignment


def followups(client):
    home = client.get(reverse("home:home"))
    assert home.status_code == 200
    [panel] = [p for p in home.context["panels"] if "sections" in p]
    return [
        f
        for s in panel["sections"]
        if "empty" in s and "findings" in s
        for f in s["findings"]
        if f.rule == "union_without_rep"
    ]


def test_kept_until_the_municipalitys_token_moves(municipality, django_capture_on_commit_callbacks):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert freshness.cached("t", municipality.pk, compute) == 1
    assert freshness.cached("t", municipality.pk, compute) == 1  # kept
    assert freshness.cached("t", municipality.pk, compute, "other key") == 2
    with django_capture_on_commit_callbacks(execute=True):  # as at the commit
        UnitFactory(municipality=municipality)  # any counted write moves the token
    assert freshness.cached("t", municipality.pk, compute) == 3


def test_a_new_local_rep_clears_the_chief_reps_vacancy_at_once(
    municipality, django_capture_on_commit_callbacks
):
    unit = UnitFactory(municipality=municipality)
    presence(unit, "Fagforbundet")
    chief = person_with_role(
        Role.CHIEF_UNION_REP, municipality=municipality, union=union("Fagforbundet")
    )
    client = client_for(chief)
    assert [f.union_id for f in followups(client)] == [union("Fagforbundet").pk]
    # Kept: the second view reads no role rows of the units.
    with CaptureQueriesContext(connection) as ctx:
        followups(client)
    assert not [q for q in ctx.captured_queries if "organisation_unionpresence" in q["sql"]]

    with django_capture_on_commit_callbacks(execute=True):  # as at the commit
        rep = person_with_role(Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet"))
    assert followups(client) == []

    # Ending the role (through the service, as the administration page does) shows it again.
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)
    assignment = RoleAssignment.objects.get(person=rep, role=Role.LOCAL_UNION_REP)
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.role_end(
            actor=admin,
            assignment=assignment,
            ends_on=datetime.date.today() - datetime.timedelta(1),
        )
    assert [f.union_id for f in followups(client)] == [union("Fagforbundet").pk]


def test_a_new_input_changes_the_steering_groups_counts_at_once(
    municipality, django_capture_on_commit_callbacks
):
    unit = UnitFactory(municipality=municipality)
    politician = person_with_role(Role.POLITICIAN, municipality=municipality)

    def open_total():
        [panel] = input_contributions.steering_group_panels(politician, municipality)
        return panel["o"]["open_total"]

    assert open_total() == 0
    with CaptureQueriesContext(connection) as ctx:
        assert open_total() == 0
    assert len(ctx.captured_queries) == 1  # the token only
    with django_capture_on_commit_callbacks(execute=True):  # as at the commit
        input_services.input_submit(unit=unit, text="Kan vi få bedre rutiner for vikarer?")
    assert open_total() == 1
    page = client_for(politician).get(reverse("organisation:steering_group"))
    assert page.status_code == 200
