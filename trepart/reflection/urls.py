"""The reflection app's addresses, one module per part."""

from django.urls import include, path

app_name = "reflection"

urlpatterns = [
    path("", include("trepart.reflection.urls_exercises")),
    path("", include("trepart.reflection.urls_members")),
]
