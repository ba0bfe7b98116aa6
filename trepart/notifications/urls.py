from django.urls import path

from trepart.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.log, name="log"),
    path("notifications/settings/", views.settings_page, name="settings"),
]
