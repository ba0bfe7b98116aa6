from django.core.management.base import BaseCommand

from trepart.search.indexing import reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index from minutes, inputs, measures, reports and experiences "
        "(after loading data without signals, or to repair it; decision 0005)."
    )

    def handle(self, *args, **options):
        counts = reindex_all()
        summary = ", ".join(f"{kind}: {n}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt ({summary})."))
