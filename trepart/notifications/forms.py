"""The settings form: one radio group per kind of notification (works without JavaScript)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trepart.notifications import kinds
from trepart.notifications.models import Mode


def field_name(code: str) -> str:
    """A kind's code as a form field name (ids stay plain: no dots in CSS selectors)."""
    return "kind_" + code.replace(".", "__")


class NotificationSettingsForm(forms.Form):
    def __init__(self, *args, modes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds.all_kinds()
        for kind in self.kinds:
            self.fields[field_name(kind.code)] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Mode.choices,
                initial=modes.get(kind.code, kind.default),
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose how you want to hear about this."),
                    "invalid_choice": _("Choose one of the options."),
                },
            )

    def modes(self) -> dict[str, str]:
        """The chosen mode per kind code (after is_valid())."""
        return {kind.code: self.cleaned_data[field_name(kind.code)] for kind in self.kinds}
