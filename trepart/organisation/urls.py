from django.urls import path

from trepart.organisation import views

app_name = "organisation"

urlpatterns = [
    path("structure/", views.structure, name="structure"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/settings/", views.unit_update, name="unit_update"),
    path("units/<int:pk>/departments/", views.department_add, name="department_add"),
    path("units/<int:pk>/unions/", views.union_presence_add, name="union_presence_add"),
    path(
        "units/<int:pk>/unions/<int:union_pk>/remove/",
        views.union_presence_remove,
        name="union_presence_remove",
    ),
    path("steering-group/", views.steering_group, name="steering_group"),
    path("people/search/", views.people_search, name="people_search"),
    path("manage/", views.manage, name="manage"),
    path("manage/settings/", views.municipality_settings, name="municipality_settings"),
    path("manage/units/new/", views.unit_create, name="unit_create"),
    path("manage/people/", views.people, name="people"),
    path("manage/people/new/", views.person_create, name="person_create"),
    path("manage/people/<int:pk>/", views.person_detail, name="person_detail"),
    path("manage/people/<int:pk>/roles/", views.role_assign, name="role_assign"),
    path("manage/people/<int:pk>/invite/", views.person_invite, name="person_invite"),
    path("manage/roles/new/", views.role_assign_new, name="role_assign_new"),
    path("manage/roles/<int:pk>/end/", views.role_end, name="role_end"),
    path("manage/adoption/", views.adoption_decision, name="adoption_decision"),
    path("manage/import/", views.import_upload, name="import"),
    path("manage/import/example.<str:fmt>", views.import_example, name="import_example"),
    path("manage/import/<int:pk>/", views.import_review, name="import_review"),
    path("manage/import/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("manage/import/<int:pk>/invite/", views.import_invite, name="import_invite"),
]
