# Issue 15: "log out everywhere" (part of the session auth hash).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_user_municipality_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="session_generation",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="times logged out everywhere"
            ),
        ),
    ]
