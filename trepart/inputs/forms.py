from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trepart.inputs import services
from trepart.inputs.models import CLOSED_STATUSES, MAX_TEXT_LENGTH, Category, ReferredTo, Status


class InputForm(forms.Form):
    """One text field and an optional category (P3). No maxlength attribute on purpose: the
    browser would cut pasted text silently; the server says how long it is instead."""

    text = forms.CharField(
        label=_("What would you like the party group to know or work on?"),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        help_text=_(
            "A suggestion, a concern or a question about work at the unit. At most "
            "%(max)d characters."
        )
        % {"max": MAX_TEXT_LENGTH},
        strip=False,
        error_messages={"required": _("Write your input before sending.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("No category"))] + list(Category.choices),
        required=False,
    )

    def clean_text(self):
        try:
            return services.clean_text(self.cleaned_data["text"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class NamedInputForm(InputForm):
    unit = forms.ModelChoiceField(
        label=_("Workplace"), queryset=None, empty_label=None, required=True
    )
    hide_name = forms.BooleanField(
        label=_("Hide my name from the group"),
        required=False,
        help_text=_(
            "Then the input is stored like anonymous input: without your name. You get a "
            "receipt code to follow it instead."
        ),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units is not None and len(units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
        self.order_fields(["unit", "text", "category", "hide_name"])


CLOSING_CHOICES = [(s.value, s.label) for s in Status if s in CLOSED_STATUSES]


class AnswerForm(forms.Form):
    """Close an input with a reasoned answer (R21), or save the answer as a draft."""

    status = forms.ChoiceField(
        label=_("What does the group do with the input?"),
        choices=CLOSING_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    answer = forms.CharField(
        label=_("Answer to the submitter"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_(
            "Say what happens and why. It is much easier to accept a no when you know the reason."
        ),
    )
    target = forms.ChoiceField(
        label=_("How it is taken up"),
        required=False,
        help_text=_(
            "Only when taken up: on a coming meeting's agenda, or as a measure to plan and try."
        ),
    )
    measure_title = forms.CharField(
        label=_("Title of the measure"),
        max_length=160,
        required=False,
        help_text=_("Only as a measure: a short title. Empty: the start of the input."),
    )
    referred_to = forms.ChoiceField(
        label=_("Referred to"),
        choices=[("", _("Choose"))] + list(ReferredTo.choices),
        required=False,
        help_text=_("Only when referred."),
    )
    referred_to_name = forms.CharField(
        label=_("Recipient"),
        max_length=160,
        required=False,
        help_text=_("Only when referred, e.g. “AMU for health and care”."),
    )

    def __init__(self, *args, meetings=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Needed to send the answer, not to save a draft: the service checks (R21), and the
        # label does not say "optional".
        for name in ("status", "answer"):
            self.fields[name].hide_optional = True

        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["target"].choices = (
            [("", _("Choose"))]
            + [
                (
                    str(m.pk),
                    _("On the agenda: %(meeting)s")
                    % {"meeting": f"{m.title} – {timezone.localtime(m.starts_at):%d.%m.%Y}"},
                )
                for m in meetings
            ]
            # Ways to take it up that higher apps contribute (a measure, P4).
            + [(t["value"], t["label"]) for t in targets]
        )
        self.targets = {t["value"]: t for t in targets}

    def clean(self):
        data = super().clean()
        target = data.get("target") or ""
        data["take_up_target"] = self.targets.get(target)
        data["meeting"] = self.meetings.get(target)
        return data


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the input hidden?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={"required": _("Write why the input is hidden.")},
    )


class ReceiptLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("The code you got when you sent the input, e.g. ABCD-EFGH-JKMN."),
        error_messages={"required": _("Write the receipt code.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
