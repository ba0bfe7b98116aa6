"""Addresses of the reports part (names are in the "reporting" namespace)."""

from django.urls import path

from trepart.reporting import views_reports as views

urlpatterns = [
    path("units/<int:unit_pk>/reports/", views.unit_reports, name="unit_reports"),
    path("units/<int:unit_pk>/reports/start/", views.report_start, name="report_start"),
    path("units/<int:unit_pk>/questions/ask/", views.question_ask, name="question_ask"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("reports/<int:pk>/versions/", views.report_versions, name="report_versions"),
    path("reports/<int:pk>/respond/", views.report_respond, name="report_respond"),
    path("reports/<int:pk>/ask/", views.report_ask, name="report_ask"),
    path("reports/<int:pk>/agenda/", views.report_to_agenda, name="report_to_agenda"),
    path("questions/<int:pk>/", views.question_detail, name="question_detail"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("questions/<int:pk>/agenda/", views.question_to_agenda, name="question_to_agenda"),
    path("experiences/<int:pk>/agenda/", views.experience_to_agenda, name="experience_to_agenda"),
    path("steering-group/reports/", views.steering_reports, name="steering_reports"),
]
