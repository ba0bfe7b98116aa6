from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from trepart.accounts.models import User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ClaimingPasswordResetForm(PasswordResetForm):
    """Password reset that also reaches people who have never set a password.

    Imported people get an unusable password; "Forgot your password?" is how they take their
    account into use. Django's form skips them, so include every active account.
    """

    def get_users(self, email):
        return User.objects.filter(email__iexact=email.strip(), is_active=True)


class InvitationPasswordForm(SetPasswordForm):
    """The first password, chosen through an invitation (Django's password validators)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Choose a password")
        self.fields["new_password2"].label = _("Type the password again")
