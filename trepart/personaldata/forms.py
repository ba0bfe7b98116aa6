"""The erasure's confirmation: the administrator types the person's name (P8)."""

from django import forms
from django.utils.translation import gettext_lazy as _


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


class EraseForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Type the person's full name to confirm"),
        max_length=200,
        error_messages={"required": _("Type the person's full name to confirm.")},
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["confirm_name"].help_text = _("Exactly as written above: %(name)s") % {
            "name": person.full_name
        }
        self.fields["confirm_name"].widget.attrs["autocomplete"] = "off"

    def clean_confirm_name(self):
        typed = self.cleaned_data["confirm_name"]
        if _normal(typed) != _normal(self.person.full_name):
            raise forms.ValidationError(
                _("The name does not match. Type the full name exactly as shown above.")
            )
        return typed
