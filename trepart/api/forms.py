"""The form for a new API token, on the person's own page."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trepart.api.models import Scope
from trepart.api.services import latest_expiry


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What will use the token, e.g. “The case system”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("The token may"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
        error_messages={"required": _("Choose at least one thing the token may do.")},
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At most a year from today."),
        error_messages={"invalid": _("Enter a date, e.g. 2026-12-31.")},
    )

    def __init__(self, *args, **kwargs):
        # Own ids: the form sits on the person's page among other panels' forms.
        kwargs.setdefault("auto_id", "token_%s")
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + datetime.timedelta(days=90)
        self.fields["expires_on"].widget.attrs.update(
            min=(today + datetime.timedelta(days=1)).isoformat(),
            max=latest_expiry(today).isoformat(),
        )
