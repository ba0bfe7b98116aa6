from django.urls import path

from trepart.archive import views

app_name = "archive"

urlpatterns = [
    path("manage/archive/", views.index, name="index"),
    path("archive/meetings/<int:pk>/pdfa/", views.minutes_pdfa, name="minutes_pdfa"),
    path("archive/reports/<int:pk>/pdfa/", views.report_pdfa, name="report_pdfa"),
    path("archive/measures/<int:pk>/pdfa/", views.measure_pdfa, name="measure_pdfa"),
]
