from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from trepart.accounts.models import User
from trepart.core import hooks


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        # A higher app may refuse password login (a municipality that uses single sign-on only).
        # Asked before the password is checked, so the answer never tells whether it was right.
        email = self.cleaned_data.get("username")
        user = User.objects.filter(email__iexact=email).first() if email else None
        if user is not None:
            for refusal in hooks.get_hooks(hooks.PASSWORD_LOGIN_REFUSAL):
                reason = refusal(user)
                if reason:
                    raise forms.ValidationError(reason, code="password_login_off")
        return super().clean()


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


class OwnLanguageForm(forms.ModelForm):
    """A person's own language on their page (P8): empty follows the municipality."""

    class Meta:
        model = User
        fields = ["language"]

    def __init__(self, *args, default_label="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        field.label = _("Language for pages and e-mail")
        field.help_text = ""
        field.choices = [("", default_label)] + [c for c in field.choices if c[0]]
