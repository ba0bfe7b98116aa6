"""Every group has its default standing items (R11) from the start: a unit's party group gets
them when the unit is created (the UNIT_CREATED extension point). Groups that never had any get
them here, in the municipality's language, so no page writes on GET."""

from django.db import migrations
from django.utils import translation

# (key, title msgid, description msgid), as in meetings.services.default_standing_titles().
DEFAULTS = [
    (
        "wellbeing",
        "How are things with us?",
        "How is the working day for staff, and are we delivering good services?",
    ),
    ("new_input", "New input from staff", "Inputs received since the last meeting."),
    ("running_trials", "Status of running trials", "What have we learned since last time?"),
    (
        "cooperation",
        "How are we cooperating?",
        "A short round: is the cooperation working for everyone?",
    ),
]


def add_missing_standing_items(apps, schema_editor):
    Municipality = apps.get_model("organisation", "Municipality")
    Unit = apps.get_model("organisation", "Unit")
    StandingItem = apps.get_model("meetings", "StandingItem")
    have = set(StandingItem.objects.values_list("municipality_id", "unit_id").distinct())
    groups = [(m, None) for m in Municipality.objects.all()]
    groups += [(u.municipality, u) for u in Unit.objects.select_related("municipality")]
    rows = []
    for municipality, unit in groups:
        if (municipality.pk, unit.pk if unit else None) in have:
            continue
        with translation.override(municipality.default_language or "nb"):
            for order, (key, title, description) in enumerate(DEFAULTS):
                rows.append(
                    StandingItem(
                        municipality=municipality,
                        unit=unit,
                        key=key,
                        title=translation.gettext(title),
                        description=translation.gettext(description),
                        order=order,
                    )
                )
    StandingItem.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_standing_item_key"),
        ("organisation", "0003_municipality_input_answer_days"),
    ]

    operations = [
        migrations.RunPython(add_missing_standing_items, migrations.RunPython.noop),
    ]
