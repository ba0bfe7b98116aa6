"""Tenancy is structural, not remembered (ARCHITECTURE rule 3).

Every view looks up a tenant-owned object through its app's `…_visible_to(user)` queryset (or
a selector that takes the secret key, like the anonymous link's token); no view module touches
`Model.objects` of a tenant-owned model directly. This test reads the views' source, so a new
direct lookup fails here before it can leak another municipality's data.
"""

import ast
import pathlib

from django.apps import apps

ROOT = pathlib.Path(__file__).resolve().parents[2] / "trepart"
# Managers that require the municipality are a scoped path too.
SCOPED_MANAGER_METHODS = {"available_to"}


def _owns_municipality(model, seen=()) -> bool:
    """A model is tenant-owned if it has a municipality, or a required parent that is."""
    names = {f.name for f in model._meta.get_fields()}
    if "municipality" in names:
        return True
    for field in model._meta.get_fields():
        if (
            field.many_to_one
            and field.concrete
            and not field.null
            and field.related_model not in seen
            and field.related_model is not model
        ):
            if _owns_municipality(field.related_model, seen + (model,)):
                return True
    return False


def tenant_model_names() -> set[str]:
    return {
        m.__name__
        for m in apps.get_models()
        if m.__module__.startswith("trepart.") and _owns_municipality(m)
    }


def direct_lookups(source: str, names: set[str]) -> list[tuple[int, str]]:
    found = []
    tree = ast.parse(source)
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in names
        ):
            parent = parents.get(node)
            if isinstance(parent, ast.Attribute) and parent.attr in SCOPED_MANAGER_METHODS:
                continue
            found.append((node.lineno, f"{node.value.id}.objects"))
    return found


def view_modules() -> list[pathlib.Path]:
    return sorted(p for p in ROOT.glob("*/views*.py")) + sorted(ROOT.glob("*/views/*.py"))


def test_tenant_models_are_found():
    names = tenant_model_names()
    # A sample of what must count as tenant-owned, including models that only have a parent.
    assert {"Unit", "Meeting", "AgendaItem", "ActionItem", "Input", "Measure", "User"} <= names


def test_no_view_looks_up_a_tenant_owned_model_directly():
    names = tenant_model_names()
    offenders = []
    for path in view_modules():
        for line, what in direct_lookups(path.read_text(), names):
            offenders.append(f"{path.relative_to(ROOT.parent)}:{line}: {what}")
    assert not offenders, (
        "Views must look tenant-owned objects up through a …_visible_to(user) queryset:\n"
        + "\n".join(offenders)
    )


def test_the_source_check_notices_a_direct_lookup():
    names = tenant_model_names()
    bad = "def view(request, pk):\n    return Meeting.objects.get(pk=pk)\n"
    assert direct_lookups(bad, names) == [(2, "Meeting.objects")]
    good = "def view(request, pk):\n    return Union.objects.available_to(m).get(pk=pk)\n"
    assert direct_lookups(good, names) == []
