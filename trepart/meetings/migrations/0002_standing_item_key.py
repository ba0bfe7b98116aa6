"""Standing items get a stable key, so other apps never match on a translated title."""

from django.conf import settings
from django.db import migrations, models
from django.utils import translation

# The default titles (msgids) of the items that have a key; matched in every language once.
KEYED_TITLES = {
    "wellbeing": "How are things with us?",
    "new_input": "New input from staff",
    "running_trials": "Status of running trials",
    "cooperation": "How are we cooperating?",
}


def set_keys(apps, schema_editor):
    StandingItem = apps.get_model("meetings", "StandingItem")
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    for key, msgid in KEYED_TITLES.items():
        titles = set()
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                titles.add(str(translation.gettext(msgid)))
        StandingItem.objects.filter(title__in=titles, key="").update(key=key)
        AgendaItem.objects.filter(standing=True, title__in=titles, standing_key="").update(
            standing_key=key
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="standing_key",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.AddField(
            model_name="standingitem",
            name="key",
            field=models.CharField(
                blank=True,
                choices=[
                    ("wellbeing", "wellbeing"),
                    ("new_input", "new input"),
                    ("running_trials", "running trials"),
                    ("cooperation", "cooperation"),
                ],
                default="",
                max_length=32,
            ),
        ),
        migrations.RunPython(set_keys, migrations.RunPython.noop),
    ]
