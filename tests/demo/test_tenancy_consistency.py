"""Tenancy is consistent in the demo: no row points at a parent (unit, meeting, series, input,
measure, person, …) of another municipality than its own.

The walker is generic, so every new model is covered without touching this file. A model's own
municipality is its `municipality` field, or else the municipality of its first required foreign
key to a tenant-owned model (an agenda item is its meeting's; a risk is its assessment's
measure's). Every other foreign key to a tenant-owned model must lead to the same municipality.
A parent without a municipality (a national union, a platform operator) belongs to no tenant and
is not compared.
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F

from tests.factories import DepartmentFactory, ServiceAreaFactory, UnitFactory, person_with_role
from trepart.organisation.models import Municipality, Role, RoleAssignment, Unit

pytestmark = pytest.mark.django_db


def _project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("trepart.")]


def _foreign_keys(model):
    return [
        f
        for f in model._meta.get_fields()
        if f.concrete and (f.many_to_one or f.one_to_one) and f.related_model is not None
    ]


def _municipality_path(model, seen=()) -> str | None:
    """The lookup from `model` to its municipality id, or None if it belongs to no tenant."""
    if model is Municipality or model in seen:
        return None
    for field in _foreign_keys(model):
        if field.name == "municipality" and field.related_model is Municipality:
            return "municipality"
    for field in _foreign_keys(model):
        if field.null:
            continue
        path = _municipality_path(field.related_model, (*seen, model))
        if path is not None:
            return f"{field.name}__{path}"
    return None


def tenancy_relations():
    """Every (model, own path, foreign key, parent path) that must agree on the municipality."""
    relations = []
    for model in _project_models():
        own = _municipality_path(model)
        if own is None:
            continue
        for field in _foreign_keys(model):
            if field.related_model is Municipality or own.split("__")[0] == field.name:
                continue
            parent = _municipality_path(field.related_model)
            if parent is not None:
                relations.append((model, own, field.name, f"{field.name}__{parent}"))
    return relations


def tenancy_mismatches() -> list[tuple[str, str, list[int]]]:
    """(model label, foreign key, pks) for every row whose parent is in another municipality."""
    found = []
    for model, own, field_name, parent in tenancy_relations():
        pks = list(
            model._base_manager.filter(**{f"{own}__isnull": False, f"{parent}__isnull": False})
            .exclude(**{own: F(parent)})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if pks:
            found.append((model._meta.label, field_name, pks))
    return found


def test_walker_covers_the_parents_we_know():
    checked = {(model._meta.label, field) for model, _own, field, _parent in tenancy_relations()}
    expected = {
        ("organisation.Unit", "service_area"),
        ("organisation.RoleAssignment", "unit"),
        ("organisation.RoleAssignment", "department"),
        ("organisation.RoleAssignment", "person"),
        ("organisation.UnionPresence", "union"),
        ("meetings.Meeting", "unit"),
        ("meetings.Meeting", "series"),
        ("meetings.AgendaItem", "proposed_by"),
        ("meetings.ActionItem", "agenda_item"),
        ("inputs.Input", "unit"),
        ("inputs.Input", "agenda_item"),
        ("measures.Measure", "unit"),
        ("measures.Measure", "source_input"),
        ("measures.Measure", "source_agenda_item"),
        ("measures.MeasureEvent", "actor"),
    }
    assert expected <= checked, expected - checked


def test_demo_rows_all_belong_to_their_parents_municipality():
    call_command("load_demo", stdout=io.StringIO())
    assert tenancy_mismatches() == []


def test_walker_reports_a_row_whose_parent_is_in_another_municipality(unit, other_municipality):
    assert tenancy_mismatches() == []
    foreign_area = ServiceAreaFactory(municipality=other_municipality)
    Unit.objects.filter(pk=unit.pk).update(service_area=foreign_area)
    assert tenancy_mismatches() == [("organisation.Unit", "service_area", [unit.pk])]


def test_walker_follows_a_parent_without_its_own_municipality_field(unit, other_municipality):
    # A department has no municipality field: it is its unit's.
    assignment = RoleAssignment.objects.get(person=person_with_role(Role.EMPLOYEE, unit))
    foreign_department = DepartmentFactory(unit=UnitFactory(municipality=other_municipality))
    RoleAssignment.objects.filter(pk=assignment.pk).update(department=foreign_department)
    assert tenancy_mismatches() == [("organisation.RoleAssignment", "department", [assignment.pk])]
