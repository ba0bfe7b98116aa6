from django.urls import path

from trepart.measures import views

app_name = "measures"

urlpatterns = [
    path("measures/", views.index, name="index"),
    path("measures/unit/<int:unit_pk>/", views.board, name="board"),
    path("measures/unit/<int:unit_pk>/new/", views.measure_create, name="measure_create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("measures/<int:pk>/risk/", views.risk_edit, name="risk_edit"),
    path("measures/<int:pk>/start/", views.trial_start, name="trial_start"),
    path("measures/<int:pk>/notes/", views.note_add, name="note_add"),
    path("measures/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("measures/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("measures/<int:pk>/decide/", views.decide, name="decide"),
    path("measures/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("measures/<int:pk>/complete/", views.complete, name="complete"),
    path("measures/<int:pk>/try-again/", views.try_again, name="try_again"),
    path("measures/<int:pk>/stop/", views.stop, name="stop"),
    path("measures/<int:pk>/win/", views.win_mark, name="win_mark"),
    path("measures/evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path(
        "measures/from-agenda-item/<int:item_pk>/",
        views.from_agenda_item,
        name="from_agenda_item",
    ),
]
