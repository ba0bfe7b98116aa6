"""Forms of the reports part. They only parse; the rules live in services_reports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trepart.reporting.models import ReportResponse


def _text(label, help_text="", rows=4, max_length=4000, required=False):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.Form):
    """R31: the group's own words next to the figures."""

    went_well = _text(_("What went well"), _("Wins, good cooperation, something that worked."))
    hard = _text(_("What is hard"), _("What stands in the way, what you have not solved."))
    need = _text(
        _("What we need from the steering group"),
        _("Support, a decision higher up, resources, an answer."),
    )
    change_note = forms.CharField(
        label=_("What was corrected"),
        max_length=300,
        required=False,
        help_text=_("Shown with the new version, so readers see what changed."),
    )

    def __init__(self, *args, correcting=False, **kwargs):
        super().__init__(*args, **kwargs)
        if correcting:
            self.fields["change_note"].required_note = _("needed to send the correction")
        else:
            del self.fields["change_note"]


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of response"),
        choices=ReportResponse.Kind.choices,
        initial=ReportResponse.Kind.COMMENT,
        widget=forms.RadioSelect,
    )
    text = _text(_("Your response"), rows=3)
    text.required = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_response_%s")  # the question form has "text" too
        super().__init__(*args, **kwargs)


class QuestionForm(forms.Form):
    text = _text(
        _("Your question to the unit"),
        _("The unit's party group answers; you get an e-mail when they do."),
        rows=3,
        max_length=2000,
        required=True,
    )


class AnswerForm(forms.Form):
    answer = _text(_("Answer"), rows=4, required=True)
