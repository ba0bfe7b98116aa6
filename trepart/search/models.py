"""The search index (issue 11 point 6, P5): one row per searchable thing.

A denormalised copy of the searchable text of minutes, inputs, measures, reports and
experiences, kept current by signals (`signals.py`) and rebuilt by `manage.py search_reindex`.
The row says nothing about who may see it: every search joins `(kind, object_id)` against the
source's own `…_visible_to(user)` queryset before ranking and counting (`selectors.search`).
See docs/decisions/0005-search.md.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    INPUT = "input", _("Input")
    MEASURE = "measure", _("Measure")
    REPORT = "report", _("Unit report")
    EXPERIENCE = "experience", _("Experience")


class SearchEntry(models.Model):
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The source row: the meeting (for its latest published minutes), input, measure, unit
    # report or experience.
    object_id = models.BigIntegerField()
    # Both indexed by the (…, date, id) indexes below (issue 14), not by indexes of their own.
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    # Lower-case Snowball stems of title and body (space-separated, each once), for the
    # Python path on SQLite and as the source of `tails`.
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # The ends of long stems (nattevakt → "evakt vakt"), so a search for a word finds the
    # compounds it ends (PostgreSQL; the Python path computes them on the fly).
    tails = models.TextField(blank=True)
    # PostgreSQL only (NULL on SQLite): title (A), body (B) with the `norwegian` configuration
    # and the tails (D) with `simple`; a GIN index (migration 0002) serves the searches.
    vector = SearchVectorField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")
        ]
        # Issue 14: each part of a reader's reach (selectors._reach) reads its newest matches
        # along one of these (a common word), or finds them by a GIN index (a rare word; the
        # GIN indexes are PostgreSQL-only, migrations 0003 and 0004).
        indexes = [
            models.Index(
                fields=["municipality", "kind", "date", "id"], name="search_muni_kind_date"
            ),
            models.Index(fields=["municipality", "date", "id"], name="search_muni_date"),
            models.Index(fields=["unit", "date", "id"], name="search_unit_date"),
            models.Index(
                fields=["municipality", "date", "id"],
                condition=models.Q(unit__isnull=True),
                name="search_no_unit_date",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title[:40]}"
