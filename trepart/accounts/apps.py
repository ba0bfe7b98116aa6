from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trepart.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from trepart.accounts.sessions import stamp_login

        # Issue 15: a fresh login counts as a use of the session (SessionIdleMiddleware).
        user_logged_in.connect(stamp_login, dispatch_uid="trepart.accounts.stamp_login")

        from trepart.accounts.sessions import clear_expired
        from trepart.core import hooks

        hooks.register(hooks.DAILY_JOBS, clear_expired)  # `manage.py daily`
