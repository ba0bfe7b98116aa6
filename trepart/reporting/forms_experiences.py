"""Forms of the experiences part: an experience, "we want to try this", the settings page."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from trepart.reporting.models import ReportingSettings, Theme

TEXT_MAX = 10_000


def _text(label, help_text=""):
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ExperienceForm(forms.Form):
    """What we tried, what happened, what we learned (R28, R31), and whom to ask."""

    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, choices=())
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), choices=())
    tried = _text(_("What we tried"), _("The problem, and what you did about it."))
    happened = _text(_("What happened"), _("What you saw, against what you hoped for."))
    learned = _text(_("What we learned"), _("What others should know before they try the same."))
    contact_role = forms.CharField(
        label=_("Contact (a role)"),
        max_length=160,
        required=False,
        help_text=_("A role, not a name, e.g. “the safety rep at Fjordtun nursing home”."),
    )
    contact_me = forms.BooleanField(
        label=_("I agree to be named as the contact person"),
        required=False,
        help_text=_(
            "Your name is shown only to people in our municipality, never to other "
            "municipalities. Only you can name yourself or take your name away."
        ),
    )
    shared = forms.BooleanField(
        label=_("Share with other municipalities"),
        required=False,
        help_text=_(
            "Other municipalities may read it, attributed to our municipality and without "
            "anyone's name. They cannot change it."
        ),
    )

    def __init__(self, *args, units=None, sharing_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Choose a theme")), *Theme.choices]
        units = list(units or [])
        if len(units) > 1:
            self.fields["unit"].choices = [("", _("Choose a unit"))] + [
                (u.pk, u.name) for u in units
            ]
        else:
            del self.fields["unit"]
        if not sharing_allowed:
            del self.fields["shared"]


class TryForm(forms.Form):
    """ "We want to try this": at which of the reader's units."""

    unit = forms.TypedChoiceField(label=_("At which unit?"), coerce=int, choices=())

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class ReportingSettingsForm(forms.ModelForm):
    due_days = forms.IntegerField(
        label=_("Days after the period to send the report"),
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        min_value=1,
        max_value=120,
        help_text=_("The party groups are reminded when the report is due."),
    )

    class Meta:
        model = ReportingSettings
        fields = ["period_months", "due_days", "share_experiences"]
        labels = {
            "period_months": _("How often the party groups report"),
            "share_experiences": _("Let the party groups share chosen experiences"),
        }
        help_texts = {
            "share_experiences": _(
                "A party group may then mark an experience to be read by every other "
                "municipality on the platform: read-only, attributed to the municipality and "
                "never with a person's name."
            ),
        }
