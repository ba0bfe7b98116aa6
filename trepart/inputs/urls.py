from django.urls import path

from trepart.inputs import views

app_name = "inputs"

urlpatterns = [
    # Anonymous (no account): the unit's link / QR code, and the receipt (P3).
    path("i/<str:token>/", views.anonymous_form, name="anonymous_form"),
    path("r/", views.receipt_lookup, name="receipt_lookup"),
    path("r/<str:code>/", views.receipt, name="receipt"),
    # Logged in.
    path("inputs/", views.index, name="index"),
    path("inputs/new/", views.input_new, name="input_new"),
    path("inputs/unit/<int:unit_pk>/", views.unit_inputs, name="unit_inputs"),
    path("inputs/unit/<int:unit_pk>/poster.pdf", views.poster_pdf, name="poster_pdf"),
    path("inputs/unit/<int:unit_pk>/link/renew/", views.link_renew, name="link_renew"),
    path("inputs/<int:pk>/", views.input_detail, name="input_detail"),
    path("inputs/<int:pk>/consider/", views.input_consider, name="input_consider"),
    path("inputs/<int:pk>/answer/", views.input_answer, name="input_answer"),
    path("inputs/<int:pk>/reopen/", views.input_reopen, name="input_reopen"),
    path("inputs/<int:pk>/public/", views.input_public, name="input_public"),
    path("inputs/<int:pk>/hide/", views.input_hide, name="input_hide"),
    path("inputs/<int:pk>/unhide/", views.input_unhide, name="input_unhide"),
]
