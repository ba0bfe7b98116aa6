"""The national union catalogue (P1). Municipalities can add their own unions."""

from django.db import migrations

CATALOGUE = [
    # (short name, name, federation)
    ("Fagforbundet", "Fagforbundet", "LO Kommune"),
    ("FO", "Fellesorganisasjonen", "LO Kommune"),
    ("EL og IT", "EL og IT Forbundet", "LO Kommune"),
    ("MFO", "Musikernes fellesorganisasjon", "LO Kommune"),
    ("NSF", "Norsk Sykepleierforbund", "Unio"),
    ("Utdanningsforbundet", "Utdanningsforbundet", "Unio"),
    ("Fysioterapeutforbundet", "Norsk Fysioterapeutforbund", "Unio"),
    ("Ergoterapeutene", "Ergoterapeutene", "Unio"),
    ("Diakonforbundet", "Det norske diakonforbund", "Unio"),
    ("Delta", "Delta", "YS Kommune"),
    ("Parat", "Parat", "YS Kommune"),
    ("SL", "Skolelederforbundet", "YS Kommune"),
    ("Legeforeningen", "Den norske legeforening", "Akademikerne"),
    ("Tekna", "Tekna", "Akademikerne"),
    ("Samfunnsviterne", "Samfunnsviterne", "Akademikerne"),
    ("Psykologforeningen", "Norsk psykologforening", "Akademikerne"),
    ("Lektorlaget", "Norsk Lektorlag", "Akademikerne"),
    ("Juristforbundet", "Juristforbundet", "Akademikerne"),
    ("Naturviterne", "Naturviterne", "Akademikerne"),
]


def add_catalogue(apps, schema_editor):
    Union = apps.get_model("organisation", "Union")
    for short_name, name, federation in CATALOGUE:
        Union.objects.get_or_create(
            municipality=None,
            short_name=short_name,
            defaults={"name": name, "federation": federation},
        )


def remove_catalogue(apps, schema_editor):
    Union = apps.get_model("organisation", "Union")
    Union.objects.filter(municipality=None, short_name__in=[c[0] for c in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(add_catalogue, remove_catalogue)]
