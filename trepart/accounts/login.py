"""The login page: Django's LoginView with the other ways to log in (LOGIN_OPTIONS)."""

from django.contrib.auth import views as auth_views

from trepart.accounts.forms import EmailAuthenticationForm
from trepart.core import hooks


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["login_options"] = hooks.collect(hooks.LOGIN_OPTIONS, self.request)
        return context
