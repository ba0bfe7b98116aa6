"""Forms of the exercises part: start a run, answer it, release it early, turn an insight."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trepart.reflection import catalogue_exercises as catalogue
from trepart.reflection.models import ExerciseOutcome
from trepart.reflection.services_exercises import ANSWER_MAX


class StartForm(forms.Form):
    exercise = forms.ChoiceField(
        label=_("Exercise"),
        choices=catalogue.CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose one of the exercises."),
            "invalid_choice": _("Choose one of the exercises."),
        },
    )
    note = forms.CharField(
        label=_("A note to the group"),
        required=False,
        max_length=2000,
        help_text=_(
            "For example why you suggest this exercise now, or when you will talk about it."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    """One text field per question the member answers (their role decides the questions)."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for key, text, help_text in questions:
            field = forms.CharField(
                label=text,
                required=False,
                max_length=ANSWER_MAX,
                help_text=help_text,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            field.hide_optional = True
            self.fields[f"q_{key}"] = field

    def answers(self) -> dict:
        return {
            name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("q_")
        }


class ReleaseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, show the answers to the group now"),
        help_text=_("Those who have not answered yet can no longer answer."),
        error_messages={
            "required": _("Tick the box to confirm that you want to show the answers now.")
        },
    )


class InsightForm(forms.Form):
    title = forms.CharField(label=_("The insight, in a few words"), max_length=160)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target = forms.ChoiceField(
        label=_("Make it"),
        choices=ExerciseOutcome.Target.choices,
        widget=forms.RadioSelect,
        initial=ExerciseOutcome.Target.AGENDA,
        error_messages={
            "required": _("Choose where the insight should go."),
            "invalid_choice": _("Choose where the insight should go."),
        },
    )
