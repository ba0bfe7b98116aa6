"""The national union catalogue (P1): LO Kommune, Unio, YS Kommune and Akademikerne unions.

Loaded by a data migration; `ensure_catalogue` restores it where a test flushed the tables.
"""

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


def ensure_catalogue(union_model=None):
    if union_model is None:
        from trepart.organisation.models import Union as union_model
    for short_name, name, federation in CATALOGUE:
        union_model.objects.get_or_create(
            municipality=None,
            short_name=short_name,
            defaults={"name": name, "federation": federation},
        )
