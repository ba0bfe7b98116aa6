"""Forms of the staff surveys (P7). Labels and errors are English msgids, shown in Norwegian."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trepart.surveys.models import MIN_THRESHOLD, Question, Survey

AUDIENCE_CHOICES = [
    (Survey.Audience.ANONYMOUS_LINK, _("Anyone with the link, without logging in")),
    (Survey.Audience.STAFF, _("Staff who log in (one answer each)")),
]
KIND_CHOICES = [
    (Survey.Kind.WORK_ON, _("What should the group work on?")),
    (Survey.Kind.TRIAL_EVALUATION, _("Evaluation of a trial")),
    (Survey.Kind.STAFF_PULSE, _("How are things with us?")),
    (Survey.Kind.OTHER, _("Blank: write your own questions")),
]
MUNICIPALITY = "municipality"


class SurveyCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Start from"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to start from.")},
    )
    scope = forms.ChoiceField(
        label=_("For"), error_messages={"required": _("Choose whom the survey is for.")}
    )
    measure = forms.ChoiceField(
        label=_("The trial to evaluate"),
        required=False,
        help_text=_(
            "Only for an evaluation of a trial: trials that are running or being evaluated."
        ),
    )
    audience = forms.ChoiceField(
        label=_("Who answers"),
        choices=AUDIENCE_CHOICES,
        widget=forms.RadioSelect,
        initial=Survey.Audience.ANONYMOUS_LINK,
        error_messages={"required": _("Choose who answers.")},
    )

    def __init__(self, *args, units=(), municipality_allowed=False, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        scopes = [(str(u.pk), u.name) for u in units]
        if municipality_allowed:
            scopes.insert(0, (MUNICIPALITY, _("The whole municipality")))
        self.fields["scope"].choices = [("", "—"), *scopes] if len(scopes) > 1 else scopes
        self.fields["measure"].choices = [("", "—")] + [
            (str(m.pk), f"{m.title} ({m.unit.name})") for m in measures
        ]
        self.fields["kind"].error_messages["invalid_choice"] = _("Choose what to start from.")
        self.fields["scope"].error_messages["invalid_choice"] = _("Choose whom the survey is for.")
        self.fields["measure"].error_messages["invalid_choice"] = _("Choose one of the trials.")
        self.fields["audience"].error_messages["invalid_choice"] = _("Choose who answers.")

    def clean(self):
        data = super().clean()
        if data.get("kind") == Survey.Kind.TRIAL_EVALUATION and not data.get("measure"):
            self.add_error("measure", _("Choose the trial to evaluate."))
        return data


class SurveyForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=160,
        error_messages={"required": _("Give the survey a title.")},
    )
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown above the questions. Say why you ask and what happens with the answers."
        ),
    )
    audience = forms.ChoiceField(
        label=_("Who answers"), choices=AUDIENCE_CHOICES, widget=forms.RadioSelect
    )
    opens_on = forms.DateField(
        label=_("Opens"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to open it as soon as you press Open."),
        error_messages={"invalid": _("Write a date such as 01.03.2026.")},
    )
    closes_on = forms.DateField(
        label=_("Closes"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to close it yourself."),
        error_messages={"invalid": _("Write a date such as 01.03.2026.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The survey must close after it opens."))
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=Question.Kind.choices,
        error_messages={"invalid_choice": _("Choose a kind of question.")},
    )
    text = forms.CharField(
        label=_("Question"),
        max_length=300,
        error_messages={"required": _("Write the question.")},
    )
    choices = forms.CharField(
        label=_("Choices, one on each line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for a question with one choice."),
    )

    def clean(self):
        data = super().clean()
        lines = [c.strip() for c in (data.get("choices") or "").splitlines() if c.strip()]
        data["choice_list"] = lines
        if data.get("kind") == Question.Kind.CHOICE and len(lines) < 2:
            self.add_error("choices", _("Write at least two choices, one on each line."))
        return data


class SurveySettingsForm(forms.Form):
    threshold = forms.IntegerField(
        label=_("Fewest answers before results are shown"),
        help_text=_(
            "Results, free text and breakdowns are hidden until a survey has this many answers. "
            "5 is usual; it can never be lower than 3."
        ),
        max_value=50,
        error_messages={
            "required": _("Write a number."),
            "invalid": _("Write a whole number."),
            "max_value": _("Write at most 50."),
        },
    )

    def clean_threshold(self):
        value = self.cleaned_data["threshold"]
        if value < MIN_THRESHOLD:
            raise forms.ValidationError(
                _("The threshold can never be lower than %(n)s, so that nobody can be recognised.")
                % {"n": MIN_THRESHOLD}
            )
        return value
