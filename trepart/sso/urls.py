from django.urls import path

from trepart.sso import views

app_name = "sso"

urlpatterns = [
    path("sso/login/<int:pk>/", views.login_start, name="login_start"),
    path("sso/callback/", views.callback, name="callback"),
    path("sso/link/<int:pk>/", views.link_start, name="link_start"),
    path("sso/identities/<int:pk>/unlink/", views.identity_unlink, name="identity_unlink"),
    path("sso/second-factor/", views.second_factor, name="second_factor"),
    path("sso/second-factor/qr.svg", views.second_factor_qr, name="second_factor_qr"),
    path("manage/sign-in/", views.settings_page, name="settings"),
    path("manage/sign-in/services/new/", views.provider_create, name="provider_create"),
    path("manage/sign-in/services/<int:pk>/", views.provider_edit, name="provider_edit"),
]
