from django.core.management.base import BaseCommand, CommandError

from trepart.demo.second_factor import current_code


class Command(BaseCommand):
    help = "Print the demo administrator's current second-factor code (the demo only)."

    def handle(self, *args, **options):
        found = current_code()
        if found is None:
            raise CommandError("No demo administrator: run `manage.py load_demo` first.")
        email, code = found
        self.stdout.write(f"{email}: {code} (valid about 30 seconds)")
