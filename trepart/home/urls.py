from django.urls import path

from trepart.home import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("ping/", views.ping, name="ping"),
]
