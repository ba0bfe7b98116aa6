from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trepart.accounts"
    label = "accounts"
