"""`manage.py refresh_input_terms`: recompute every input's stored terms (P3, issue 10).

Run it after editing `trepart/inputs/vocabulary.py` or the rules in `similarity.py`, so that
earlier inputs are read the same way as new ones. Safe to run at any time and more than once;
it changes only the derived `Input.stems`.
"""

from django.core.management.base import BaseCommand

from trepart.inputs.models import Input
from trepart.inputs.similarity import refresh_stored_terms


class Command(BaseCommand):
    help = (
        "Recompute the stored terms behind the similar-inputs suggestions, after the vocabulary "
        "or the matching rules changed."
    )

    def handle(self, *args, **options):
        changed = refresh_stored_terms(Input)
        self.stdout.write(f"{changed} of {Input.objects.count()} inputs got new terms.")
