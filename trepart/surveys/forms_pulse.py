"""The pulse's answer form: one radio group per statement (1–5) and an optional free text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trepart.surveys import pulse
from trepart.surveys.models import Question
from trepart.surveys.services import TEXT_MAX


class PulseAnswerForm(forms.Form):
    """Fields are named after the question ids ("q<id>") so a service's ValidationError lands
    next to the question it names. Labels come from the question's key, in the reader's
    language."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            name = f"q{q.pk}"
            if q.kind == Question.Kind.TEXT:
                self.fields[name] = forms.CharField(
                    label=pulse.IMPROVE_TEXT if q.key == pulse.IMPROVE_KEY else q.text,
                    required=False,
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=_("Do not write names or anything that tells who you are."),
                )
            else:
                self.fields[name] = forms.TypedChoiceField(
                    label=pulse.STATEMENTS.get(q.key, q.text),
                    choices=pulse.LIKERT_CHOICES,
                    coerce=int,
                    required=q.required,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Please choose an answer."),
                        "invalid_choice": _("Choose one of the options."),
                    },
                )

    def answers(self) -> dict:
        """{question id: value} for the service."""
        result = {}
        for q in self.questions:
            value = self.cleaned_data.get(f"q{q.pk}")
            if value not in (None, ""):
                result[q.pk] = value
        return result
