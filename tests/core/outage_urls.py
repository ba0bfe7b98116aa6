"""URLs for tests/core/test_outage.py: the project's URLs plus views that fail on purpose."""

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.urls import path

from trepart.urls import handler500  # noqa: F401
from trepart.urls import urlpatterns as project_urlpatterns


def counts_people(request):
    """A view that reads the database (and fails when it cannot be reached)."""
    return HttpResponse(str(get_user_model().objects.count()))


def breaks(request):
    """A view with an ordinary bug: stays a 500."""
    raise ValueError("an ordinary bug")


urlpatterns = [
    path("test-outage/count/", counts_people),
    path("test-outage/bug/", breaks),
    *project_urlpatterns,
]
