"""The national union catalogue (P1). Municipalities can add their own unions."""

from django.db import migrations

from trepart.organisation.catalogue import CATALOGUE, ensure_catalogue


def add_catalogue(apps, schema_editor):
    ensure_catalogue(apps.get_model("organisation", "Union"))


def remove_catalogue(apps, schema_editor):
    Union = apps.get_model("organisation", "Union")
    Union.objects.filter(municipality=None, short_name__in=[c[0] for c in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(add_catalogue, remove_catalogue)]
