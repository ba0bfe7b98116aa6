from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("trepart.home.urls")),
    path("accounts/", include("trepart.accounts.urls")),
    path("", include("trepart.organisation.urls")),
    path("", include("trepart.meetings.urls")),
    path("", include("trepart.inputs.urls")),
    path("", include("trepart.measures.urls")),
    path("", include("trepart.reporting.urls")),
    path("", include("trepart.surveys.urls")),
    path("", include("trepart.reflection.urls")),
    path("", include("trepart.continuity.urls")),
    path("", include("trepart.search.urls")),
    path("", include("trepart.notifications.urls")),
    path("", include("trepart.api.urls")),
    path("", include("trepart.personaldata.urls")),
    path("", include("trepart.archive.urls")),
    path("", include("trepart.sso.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

# Issue 15: a database that cannot be reached answers 503 with its own page; other errors 500.
handler500 = "trepart.core.views_errors.server_error"
