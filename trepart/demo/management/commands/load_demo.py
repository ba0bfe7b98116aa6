from django.core.management.base import BaseCommand
from django.utils import translation

from trepart.demo.api import load_api_demo
from trepart.demo.continuity import load as load_continuity_demo
from trepart.demo.disagreement import load as load_disagreement_demo
from trepart.demo.exercises import load as load_exercises_demo
from trepart.demo.experiences import BERGLI, BERGLI_LEADER, load_experiences_demo
from trepart.demo.inputs import anonymous_link, load_inputs_demo
from trepart.demo.measures import load_measures_demo
from trepart.demo.meetings import load_meetings_demo
from trepart.demo.notifications import load_notifications_demo
from trepart.demo.organisation import DEMO_PASSWORD, demo_logins, load_demo
from trepart.demo.pulse import load as load_pulse_demo
from trepart.demo.reports import load_reports_demo
from trepart.demo.second_factor import load as load_second_factor_demo
from trepart.demo.sso import load as load_sso_demo
from trepart.demo.surveys import load as load_surveys_demo


class Command(BaseCommand):
    help = (
        "Load the demo municipality (Fjordvik kommune). Safe to run again: creates nothing twice."
    )

    def handle(self, *args, **options):
        municipality = load_demo()
        load_meetings_demo(municipality)
        load_inputs_demo(municipality)
        load_measures_demo(municipality)
        load_reports_demo(municipality)
        load_experiences_demo(municipality)
        load_disagreement_demo(municipality)  # issue 12: an item not agreed, then tried
        load_surveys_demo(municipality)  # staff surveys (P7)
        load_pulse_demo(municipality)  # four quarters of the cooperation pulse
        load_exercises_demo(municipality)  # reflection exercises in two groups
        load_continuity_demo(municipality)  # a vacancy, a newcomer, ways of working
        load_notifications_demo(municipality)  # settings and a log of sent notifications
        load_sso_demo(municipality)  # an example single sign-on service, not in use
        load_second_factor_demo(municipality)  # the administrator's authenticator (demo key)
        load_api_demo(municipality)  # a token on the unit leader's page (secret unknown)
        link_unit, link_url = anonymous_link(municipality)
        with translation.override("nb"):
            self.stdout.write(self.style.SUCCESS(f"Demo: {municipality.name} is ready."))
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for label, email in demo_logins():
                self.stdout.write(f"  {str(label):<28} {email}")
            # Issue 12: a newcomer to a party group sees the onboarding page.
            self.stdout.write(f"  {'Ny tillitsvalgt':<28} ingrid.solheim@fjordvik.test")
            self.stdout.write(
                "  The administrator gives a code after logging in: "
                "`.venv/bin/python manage.py demo_code` prints it."
            )
            self.stdout.write(f"Anonymous input for {link_unit}: {link_url}")
            self.stdout.write(f"{BERGLI} (shares experiences): {BERGLI_LEADER[1]} (same password)")
