"""Every field of the export has a Norwegian label (review rev2 #12, issue 13 part 3).

A field with Django's automatic English name ("decided on", "is win") would be shown in
English to a Norwegian user in index.html; internal bookkeeping fields are left out instead.
"""

from __future__ import annotations

from django.utils import translation

from trepart.personaldata import introspection, labels, selectors


def _exported_fields():
    User = introspection.user_model()
    models = [User, *(m for m, _f, _m in introspection.person_links())]
    models += introspection.login_record_models()
    for model in models:
        for field in selectors._fields(model):
            yield model, field


def test_every_exported_field_has_a_translated_label():
    missing = [
        f"{model._meta.label}.{field.name}"
        for model, field in _exported_fields()
        if not labels.has_label(field)
    ]
    assert missing == []


def test_no_exported_label_under_nb_is_the_automatic_english_name():
    """Under nb, a label equal to the automatic name must come from an explicit label whose
    Norwegian word is the same ("Status", "Person"), never from the automatic name."""
    with translation.override("nb"):
        same = [
            f"{model._meta.label}.{field.name}"
            for model, field in _exported_fields()
            if labels.field_label(field).casefold() == field.name.replace("_", " ").casefold()
            and not labels.has_label(field)
        ]
    assert same == []


def test_internal_bookkeeping_is_left_out():
    names = {f"{m._meta.label}.{f.name}" for m, f in _exported_fields()}
    assert "meetings.AgendaItem.carried_root" not in names
    assert "reporting.UnitReport.reminded_overdue_on" not in names
    assert "measures.Measure.decided_on" in names  # a real date of the person's measure
