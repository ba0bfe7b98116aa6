"""Forms of the handover part: the group's way of working and the chief rep's note."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GroupPracticeForm(forms.Form):
    text = forms.CharField(
        label=_("How we work"),
        max_length=10_000,
        help_text=_(
            "How meetings run, who chairs, how items are sent in advance, what you do when you "
            "do not agree, and how input from the staff is answered."
        ),
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    # The version the writer saw (the text's last change), so that nobody silently overwrites
    # a colleague's change made in the meantime.
    seen = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)


class FollowUpNoteForm(forms.Form):
    rep = forms.TypedChoiceField(label=_("With whom"), coerce=int, choices=())
    held_on = forms.DateField(
        label=_("Date of the conversation"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    text = forms.CharField(
        label=_("Note"),
        max_length=4000,
        help_text=_("Only you can read your notes."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, reps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reps = {a.pk: a for a in reps}
        self.fields["rep"].choices = [("", _("Choose a rep"))] + [
            (a.pk, f"{a.person.full_name} – {a.unit.name}") for a in reps
        ]
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The conversation cannot be in the future."))
        if day < datetime.date(2000, 1, 1):
            raise forms.ValidationError(_("Enter a later date."))
        return day
