from django.core.management.base import BaseCommand
from django.utils import translation

from trepart.organisation.demo import DEMO_PASSWORD, demo_logins, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo municipality (Fjordvik kommune). Safe to run again: creates nothing twice."
    )

    def handle(self, *args, **options):
        municipality = load_demo()
        from trepart.meetings.demo import load_meetings_demo

        load_meetings_demo(municipality)
        from trepart.inputs.demo import anonymous_link, load_inputs_demo

        load_inputs_demo(municipality)
        from trepart.measures.demo import load_measures_demo

        load_measures_demo(municipality)
        link_unit, link_url = anonymous_link(municipality)
        with translation.override("nb"):
            self.stdout.write(self.style.SUCCESS(f"Demo: {municipality.name} is ready."))
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for label, email in demo_logins():
                self.stdout.write(f"  {str(label):<28} {email}")
            self.stdout.write(f"Anonymous input for {link_unit}: {link_url}")
