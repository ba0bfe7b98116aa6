"""Signal handlers that keep the search index current (decision 0005).

Connected in `SearchConfig.ready()`. The sources' apps know nothing of search (it is the top
layer); a write that bypasses `save()` (a queryset `.update()`) is caught up by
`manage.py search_reindex`. The indexed texts change only through `save()` today.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from trepart.inputs.models import Input
from trepart.measures.models import Measure
from trepart.meetings.models import Meeting, MinutesVersion
from trepart.reporting.models import Experience, ReportVersion, UnitReport
from trepart.search.indexing import index_safely
from trepart.search.models import Kind

# model → (kind, the source row's pk from an instance)
WATCHED = {
    Input: (Kind.INPUT, lambda obj: obj.pk),
    Measure: (Kind.MEASURE, lambda obj: obj.pk),
    Meeting: (Kind.MINUTES, lambda obj: obj.pk),
    MinutesVersion: (Kind.MINUTES, lambda obj: obj.meeting_id),
    UnitReport: (Kind.REPORT, lambda obj: obj.pk),
    ReportVersion: (Kind.REPORT, lambda obj: obj.report_id),
    Experience: (Kind.EXPERIENCE, lambda obj: obj.pk),
}


def _changed(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loading fixtures: `search_reindex` afterwards
        return
    if sender is Meeting and kwargs.get("signal") is post_save:
        return  # a meeting's own fields are not indexed; its published versions are
    kind, source_pk = WATCHED[sender]
    pk = source_pk(instance)
    if pk is not None:
        index_safely(kind, pk)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
