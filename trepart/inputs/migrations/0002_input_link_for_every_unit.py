"""Every unit has its anonymous input link from the start (made when the unit is created, via the
UNIT_CREATED extension point). Units made before that get theirs here, so no page writes on GET."""

import secrets

from django.db import migrations


def add_missing_links(apps, schema_editor):
    Unit = apps.get_model("organisation", "Unit")
    InputLink = apps.get_model("inputs", "InputLink")
    missing = Unit.objects.filter(input_link__isnull=True).values_list("pk", flat=True)
    InputLink.objects.bulk_create(
        [InputLink(unit_id=pk, token=secrets.token_urlsafe(9)) for pk in missing]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inputs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_missing_links, migrations.RunPython.noop),
    ]
