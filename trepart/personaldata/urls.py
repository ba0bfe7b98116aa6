from django.urls import path

from trepart.personaldata import views

app_name = "personaldata"

urlpatterns = [
    path("accounts/me/data/", views.download, name="download"),
    path("manage/people/<int:pk>/erase/", views.erase, name="erase"),
]
