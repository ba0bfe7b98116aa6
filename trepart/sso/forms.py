import re
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from trepart.sso.models import IdentityProvider
from trepart.sso.oidc import host_is_private, private_hosts_allowed

SCOPE_TOKEN = re.compile(r"^[A-Za-z0-9_:./\-]{1,100}$")


class ProviderForm(forms.ModelForm):
    issuer = forms.URLField(
        label=_("Issuer (discovery address)"),
        help_text=IdentityProvider._meta.get_field("issuer").help_text,
        max_length=300,
        assume_scheme="https",
    )

    class Meta:
        model = IdentityProvider
        fields = ["kind", "label", "issuer", "client_id", "client_secret", "scopes", "enabled"]
        widgets = {
            "kind": forms.RadioSelect,
            "client_secret": forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = IdentityProvider.Kind.choices
        secret = self.fields["client_secret"]
        if self.instance.pk and self.instance.client_secret:
            secret.help_text = _("A secret is saved. Leave empty to keep it.")
        else:
            secret.help_text = _("From the app registration. Never shown again after saving.")
        self.fields["client_id"].help_text = _("The application (client) ID of the registration.")
        self.fields["scopes"].help_text = _(
            'Separated by spaces; "openid" is always included. Usually: openid email profile.'
        )
        self.fields["enabled"].help_text = _("Shows the button on the login page.")

    def clean_issuer(self):
        issuer = self.cleaned_data["issuer"].strip()
        parts = urlsplit(issuer)
        allowed = private_hosts_allowed()  # development and tests only
        if parts.scheme != "https" and not (allowed and parts.scheme == "http"):
            raise forms.ValidationError(_("The address must start with https://."))
        if parts.query or parts.fragment:
            raise forms.ValidationError(_("The address cannot contain ? or #."))
        if not allowed and host_is_private(parts.hostname):
            # No requests from Trepart into its own network (server-side request forgery).
            raise forms.ValidationError(
                _("Use the public address of the sign-in service, not a local or internal one.")
            )
        return issuer

    def clean_scopes(self):
        scopes = self.cleaned_data["scopes"].split()
        if not all(SCOPE_TOKEN.match(s) for s in scopes):
            raise forms.ValidationError(
                _("Use letters, digits and . _ : / - only, with spaces between scopes.")
            )
        if "openid" not in scopes:
            scopes.insert(0, "openid")
        return " ".join(dict.fromkeys(scopes))


class LoginPolicyForm(forms.Form):
    password_login = forms.BooleanField(
        label=_("Allow login with e-mail and password"),
        required=False,
        help_text=_(
            "Switched off, people of the municipality log in only through a sign-in service. "
            "Platform operators are not affected."
        ),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        help_text=_("Six digits. The code changes every 30 seconds."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not code.isascii() or not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Type the six digits the app shows."))
        return code
