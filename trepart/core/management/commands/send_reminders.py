"""`manage.py send_reminders`: the old name of `manage.py daily`, kept so that existing cron
lines and systemd units keep working. It runs every daily job, not only the reminders: the other
jobs (series roll-forward) are idempotent, and a server still scheduling this name must not
have its meeting series run out. New installations schedule `manage.py daily`.
"""

from trepart.core.management.commands.daily import Command as DailyCommand


class Command(DailyCommand):
    help = "Same as `manage.py daily` (the old name, kept for existing cron lines). " + (
        DailyCommand.help
    )
