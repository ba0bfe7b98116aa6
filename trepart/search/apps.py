from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "trepart.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        # Decision 0005: the index follows every save and delete of the searchable sources.
        from trepart.search import signals

        signals.connect()
