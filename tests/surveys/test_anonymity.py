"""P7: who answered (`Respondent`) cannot be joined to what was answered (`Response`,
`Answer`): the schema has no path between them, no time finer than the date, random keys; the
surveys code never reads the two together; anonymous answers store no person."""

from __future__ import annotations

import ast
import pathlib
import uuid

import pytest
from django.db import models

from tests.factories import person_with_role
from tests.surveys.surveys_fixtures import answer, likert_survey, logged_in
from trepart.organisation.models import Role
from trepart.surveys.models import Answer, Respondent, Response

ROOT = pathlib.Path(__file__).resolve().parents[2] / "trepart" / "surveys"


def _relations(model) -> set:
    return {
        f.related_model
        for f in model._meta.get_fields()
        if f.is_relation and f.related_model is not None
    }


def test_no_relation_between_respondent_and_response_or_answer():
    """No foreign key or one-to-one either way (nor through a many-to-many)."""
    assert Response not in _relations(Respondent) and Answer not in _relations(Respondent)
    assert Respondent not in _relations(Response) and Respondent not in _relations(Answer)


def test_no_time_of_day_on_respondent_response_or_answer():
    for model in (Respondent, Response, Answer):
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateTimeField | models.TimeField), (
                model.__name__,
                field.name,
            )


def test_response_and_answer_have_random_keys():
    """No sequence shared with Respondent's: the insert order cannot be matched by key."""
    for model in (Response, Answer):
        assert isinstance(model._meta.pk, models.UUIDField)
        assert model._meta.pk.default is uuid.uuid4


def test_response_and_answer_hold_no_person():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    assert user_model not in _relations(Response) and user_model not in _relations(Answer)


def _code_files():
    """The surveys part's own reading and exporting code (the pulse part has its own test)."""
    names = ["selectors.py", "views_surveys.py", "exports.py", "contrib_surveys.py"]
    return [ROOT / n for n in names]


def test_results_code_never_reads_respondents():
    """Results, exports and panels are made from the answers alone: the words `Respondent` and
    `respondent` do not occur in their code (docstrings and comments aside)."""
    for path in _code_files():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                assert "respondent" not in name.lower(), (path.name, node.lineno)
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value.startswith(("respondent", "respondents__")):
                    pytest.fail(f"{path.name}:{node.lineno} filters through respondents")


def test_services_write_respondent_and_response_without_a_link(unit):
    """`response_submit` is the only writer: it sets no shared value beyond survey and date."""
    source = (ROOT / "services.py").read_text()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "create"
            and isinstance(node.func.value, ast.Attribute)
            and isinstance(node.func.value.value, ast.Name)
            and node.func.value.value.id == "Response"
        ):
            assert {k.arg for k in node.keywords} <= {"survey", "submitted_on", "unit"}


@pytest.mark.django_db
def test_anonymous_link_answer_stores_no_person_even_when_logged_in(unit):
    leader = person_with_role(Role.UNIT_LEADER, unit)
    survey = likert_survey(leader, unit)
    client = logged_in(person_with_role(Role.EMPLOYEE, unit))
    q = survey.questions.first()
    response = client.post(f"/s/{survey.token}/", {f"q{q.pk}": "4"})
    assert response.status_code == 302
    assert Response.objects.filter(survey=survey).count() == 1
    assert not Respondent.objects.exists()


@pytest.mark.django_db
def test_staff_answer_respondent_has_only_the_date(unit):
    leader = person_with_role(Role.UNIT_LEADER, unit)
    survey = likert_survey(leader, unit, audience="staff")
    employee = person_with_role(Role.EMPLOYEE, unit)
    answer(survey, 1, person=employee)
    respondent = Respondent.objects.get()
    assert {f.attname for f in Respondent._meta.concrete_fields} == {
        "id",
        "survey_id",
        "person_id",
        "answered_on",
    }
    assert respondent.person == employee
    assert Answer.objects.filter(response__survey=survey).count() == 5
