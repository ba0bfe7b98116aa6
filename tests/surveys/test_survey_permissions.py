"""Who may run, read and answer staff surveys (P7, P8): another municipality is a 404; staff
without a role in the party group get a 403 on results and editing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, person_with_role
from tests.surveys.surveys_fixtures import answer, likert_survey, logged_in
from trepart.organisation.models import Role
from trepart.surveys.models import Question, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(unit):
    return person_with_role(Role.UNIT_LEADER, unit)


@pytest.fixture
def survey(unit, leader):
    s = likert_survey(leader, unit)
    answer(s, 5)
    return s


def _pages(survey):
    q = survey.questions.first()
    return {
        "detail": ("get", reverse("surveys:survey_detail", args=[survey.pk]), {}),
        "results": ("get", reverse("surveys:survey_results", args=[survey.pk]), {}),
        "export": ("get", reverse("surveys:survey_export", args=[survey.pk]), {}),
        "edit": (
            "post",
            reverse("surveys:survey_detail", args=[survey.pk]),
            {"title": "X", "audience": "link"},
        ),
        "status": ("post", reverse("surveys:survey_status", args=[survey.pk]), {"action": "close"}),
        "question_add": (
            "post",
            reverse("surveys:question_add", args=[survey.pk]),
            {"new-kind": "text", "new-text": "Noe"},
        ),
        "question_edit": (
            "post",
            reverse("surveys:question_edit", args=[survey.pk, q.pk]),
            {"delete": "1"},
        ),
    }


def _request(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize(
    "page", ["detail", "results", "export", "edit", "status", "question_add", "question_edit"]
)
def test_employee_is_refused(survey, employee, page):
    method, url, data = _pages(survey)[page]
    assert _request(logged_in(employee), method, url, data).status_code == 403
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.title != "X"
    assert survey.questions.count() == 5


@pytest.mark.parametrize(
    "page", ["detail", "results", "export", "edit", "status", "question_add", "question_edit"]
)
def test_other_municipality_is_404(survey, other_municipality, page):
    other_unit = UnitFactory(municipality=other_municipality)
    stranger = person_with_role(Role.UNIT_LEADER, other_unit)
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    method, url, data = _pages(survey)[page]
    for person in (stranger, admin):
        assert _request(logged_in(person), method, url, data).status_code == 404


def test_other_units_leader_is_404_or_403(survey, unit):
    other = person_with_role(Role.UNIT_LEADER, UnitFactory(municipality=unit.municipality))
    assert logged_in(other).get(
        reverse("surveys:survey_results", args=[survey.pk])
    ).status_code in (
        403,
        404,
    )


@pytest.mark.parametrize("role", [Role.UNIT_LEADER, Role.LOCAL_UNION_REP, Role.SAFETY_REP])
def test_party_group_reads_results(survey, unit, role):
    person = person_with_role(role, unit)
    assert (
        logged_in(person).get(reverse("surveys:survey_results", args=[survey.pk])).status_code
        == 200
    )


def test_admin_reads_results_and_runs(survey, admin_user):
    client = logged_in(admin_user)
    assert client.get(reverse("surveys:survey_results", args=[survey.pk])).status_code == 200
    assert client.get(reverse("surveys:survey_detail", args=[survey.pk])).status_code == 200


def test_municipal_survey_run_by_administration_not_by_unit_leader(municipality, leader):
    administration = person_with_role(Role.ADMINISTRATION, municipality=municipality)
    survey = likert_survey(administration, None)
    client = logged_in(administration)
    assert client.get(reverse("surveys:survey_detail", args=[survey.pk])).status_code == 200
    assert (
        logged_in(leader).get(reverse("surveys:survey_detail", args=[survey.pk])).status_code == 403
    )


def test_employee_cannot_create(employee):
    client = logged_in(employee)
    assert client.get(reverse("surveys:survey_create")).status_code == 403
    assert client.post(reverse("surveys:survey_create"), {"kind": "work_on"}).status_code == 403


def test_leader_cannot_create_for_other_unit_or_municipality(leader, unit):
    other = UnitFactory(municipality=unit.municipality)
    client = logged_in(leader)
    for scope in (str(other.pk), "municipality", "99999999999999999999", "abc"):
        response = client.post(
            reverse("surveys:survey_create"),
            {"kind": "work_on", "scope": scope, "audience": "link"},
        )
        assert response.status_code == 400
    assert not Survey.objects.filter(status="draft").exists()


def test_settings_only_for_admin(leader, admin_user):
    assert logged_in(leader).get(reverse("surveys:survey_settings")).status_code == 403
    assert logged_in(admin_user).get(reverse("surveys:survey_settings")).status_code == 200


def test_question_of_another_survey_is_404(survey, unit, leader):
    other = likert_survey(leader, unit)
    q = other.questions.first()
    response = logged_in(leader).post(
        reverse("surveys:question_edit", args=[survey.pk, q.pk]), {"delete": "1"}
    )
    assert response.status_code == 404
    assert Question.objects.filter(pk=q.pk).exists()


def test_participation_visible_to_unit_people_and_admin(unit, employee, admin_user):
    url = reverse("surveys:participation", args=[unit.pk])
    assert logged_in(employee).get(url).status_code == 200
    assert logged_in(admin_user).get(url).status_code == 200
    outsider = person_with_role(Role.EMPLOYEE, UnitFactory(municipality=unit.municipality))
    assert logged_in(outsider).get(url).status_code == 403


def test_participation_other_municipality_404(unit, other_municipality):
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    assert logged_in(admin).get(reverse("surveys:participation", args=[unit.pk])).status_code == 404


def test_get_never_writes(survey, leader, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(leader)
    for url in (
        reverse("surveys:survey_list"),
        reverse("surveys:survey_detail", args=[survey.pk]),
        reverse("surveys:survey_results", args=[survey.pk]),
        f"/s/{survey.token}/",
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        writes = [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
            and "django_session" not in q["sql"]
            and "spentchallenge" not in q["sql"].lower()
            and "ratelimitbucket" not in q["sql"].lower()
        ]
        assert not writes, (url, writes)


def test_results_reader_is_linked_to_results_never_to_a_403(survey, unit, leader):
    """The maker who has left the party group may read the results but not run the survey:
    the list and the participation page link them to the results, never to the survey's own
    page (which refuses them)."""
    from tests.factories import give_role
    from trepart.organisation.models import RoleAssignment

    RoleAssignment.objects.filter(person=leader).delete()
    give_role(leader, Role.EMPLOYEE, unit)
    client = logged_in(leader)
    detail = reverse("surveys:survey_detail", args=[survey.pk])
    results = reverse("surveys:survey_results", args=[survey.pk])
    assert client.get(detail).status_code == 403
    for url in (
        reverse("surveys:survey_list"),
        reverse("surveys:participation", args=[unit.pk]),
    ):
        body = client.get(url).content.decode()
        assert f'href="{detail}"' not in body, url
        assert f'href="{results}"' in body, url
    assert client.get(results).status_code == 200
