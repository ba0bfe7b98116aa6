from django.urls import path, re_path

from trepart.meetings import views, views_exports

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.index, name="index"),
    path("meetings/steering/", views.group, name="steering_group"),
    path("meetings/steering/series/new/", views.series_create, name="steering_series_create"),
    path("meetings/steering/new/", views.meeting_create, name="steering_meeting_create"),
    path("meetings/steering/standing/", views.standing_item_add, name="steering_standing_add"),
    path("meetings/unit/<int:unit_pk>/", views.group, name="unit_group"),
    path("meetings/unit/<int:unit_pk>/series/new/", views.series_create, name="unit_series_create"),
    path("meetings/unit/<int:unit_pk>/new/", views.meeting_create, name="unit_meeting_create"),
    path(
        "meetings/unit/<int:unit_pk>/standing/", views.standing_item_add, name="unit_standing_add"
    ),
    path("meetings/standing/<int:pk>/remove/", views.standing_item_remove, name="standing_remove"),
    path("meetings/actions/", views.my_actions, name="my_actions"),
    path("meetings/actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/chair/", views.chair_set, name="chair_set"),
    path("meetings/<int:pk>/items/", views.item_propose, name="item_propose"),
    path("meetings/<int:pk>/agenda/send/", views.agenda_send, name="agenda_send"),
    path("meetings/<int:pk>/attendance/", views.attendance_save, name="attendance_save"),
    path("meetings/<int:pk>/actions/", views.action_add, name="action_add"),
    path("meetings/<int:pk>/publish/", views.minutes_publish, name="minutes_publish"),
    path("meetings/<int:pk>/correct/", views.minutes_correct, name="minutes_correct"),
    path("meetings/<int:pk>/versions/", views.minutes_versions, name="minutes_versions"),
    path("meetings/items/<int:pk>/minutes/", views.item_minutes, name="item_minutes"),
    path("meetings/items/<int:pk>/close/", views.item_close, name="item_close"),
    path("meetings/items/<int:pk>/not-agreed/", views.item_not_agreed, name="item_not_agreed"),
    path("meetings/items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("meetings/items/<int:pk>/move/<str:direction>/", views.item_move, name="item_move"),
    path("meetings/items/<int:pk>/referrals/", views.referral_add, name="referral_add"),
    path("meetings/referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
    # Exports (P2): minutes as PDF/Word, calendar invitation, personal calendar feed.
    path("meetings/<int:pk>/minutes.pdf", views_exports.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/minutes.docx", views_exports.minutes_docx, name="minutes_docx"),
    path("meetings/<int:pk>/invite.ics", views_exports.meeting_invite, name="meeting_invite"),
    path("calendar/", views_exports.calendar, name="calendar"),
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$",
        views_exports.calendar_feed,
        name="calendar_feed",
    ),
]
