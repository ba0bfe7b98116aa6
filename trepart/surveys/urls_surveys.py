"""Addresses of the surveys part (names are in the "surveys" namespace)."""

from django.urls import path

from trepart.surveys import views_surveys as views

urlpatterns: list = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/settings/", views.survey_settings, name="survey_settings"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/status/", views.survey_status, name="survey_status"),
    path("surveys/<int:pk>/questions/", views.question_add, name="question_add"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/",
        views.question_edit,
        name="question_edit",
    ),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.xlsx", views.survey_export, name="survey_export"),
    path("surveys/<int:pk>/answer/", views.survey_answer, name="survey_answer"),
    path("surveys/<int:pk>/answered/", views.survey_answered, name="survey_answered"),
    path("units/<int:unit_pk>/participation/", views.participation, name="participation"),
    # The anonymous link (no login): /s/<token>/. P7: logged without the client address.
    path("s/<str:token>/", views.survey_answer_link, name="survey_answer_link"),
    path("s/<str:token>/thanks/", views.survey_answer_link_done, name="survey_answer_link_done"),
]
