from django import forms
from django.utils.translation import gettext_lazy as _

from trepart.core.uploads import check_upload
from trepart.measures import services
from trepart.measures.models import Decision, Level, Measure
from trepart.measures.services import REQUIRED_PLAN_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MeasureCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    problem = forms.CharField(
        label=_("The problem, or the development we want"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Start small: something you can achieve soon."),
    )


PLAN_FIELDS = [
    "title",
    "problem",
    "facts_needed",
    "need_and_purpose",
    "goals",
    "anchoring_political",
    "anchoring_administrative",
    "anchoring_union",
    "anchoring_staff",
    "cooperation",
    "resources",
    "follow_up",
    "staff_asked",
    "responsibilities",
    "success_criteria",
    "evaluation_on",
]


class PlanForm(forms.ModelForm):
    """The plan may be saved incomplete; the page marks what the trial needs (R24, R27)."""

    class Meta:
        model = Measure
        fields = PLAN_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in PLAN_FIELDS
            if name not in ("title", "evaluation_on")
        } | {"evaluation_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.needed_for_trial = name in REQUIRED_PLAN_FIELDS
            if name != "title":
                field.required = False
                field.hide_optional = True


class RiskForm(forms.Form):
    summary = forms.CharField(
        label=_("Overall assessment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    with_safety_rep = forms.CharField(
        label=_("Made together with the safety rep"),
        max_length=160,
        required=False,
        help_text=_("Only when you are not the safety rep: the safety rep's name."),
    )


class RiskRowForm(forms.Form):
    description = forms.CharField(
        label=_("Risk"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"),
        choices=[("", "–")] + list(Level.choices),
        coerce=int,
        required=False,
    )
    consequence = forms.TypedChoiceField(
        label=_("Consequence"),
        choices=[("", "–")] + list(Level.choices),
        coerce=int,
        required=False,
    )
    mitigation = forms.CharField(
        label=_("Mitigation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Needed for every risk that is written; empty rows are skipped.
        for name in ("description", "likelihood", "consequence"):
            self.fields[name].hide_optional = True


RISK_ROWS_MAX = 12
RISK_ROW_FIELDS = ("description", "likelihood", "consequence", "mitigation")
RiskRowFormSet = forms.formset_factory(RiskRowForm, extra=1, max_num=RISK_ROWS_MAX)
# Re-showing what was typed after "add a row" / "remove": exactly the rows given as initial.
RiskRowEditFormSet = forms.formset_factory(RiskRowForm, extra=0, max_num=RISK_ROWS_MAX)


def typed_risk_rows(data, prefix="risk") -> list[dict]:
    """The rows as typed in a posted risk form (junk counts are read as none, never a 500)."""
    total = data.get(f"{prefix}-TOTAL_FORMS", "")
    total = min(int(total), RISK_ROWS_MAX) if total.isascii() and total.isdigit() else 0
    return [
        {name: data.get(f"{prefix}-{i}-{name}", "") for name in RISK_ROW_FIELDS}
        for i in range(total)
    ]


class _OwnIds:
    """Several small forms share the measure page: each gets its own id prefix, so no two
    fields on the page have the same id (issue 10; the evidence field had the note's id)."""

    id_prefix = ""
    # Fields the service requires (its message names them); their label must not say
    # "(optional)" (issue 10: labels that tell the truth).
    needed: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        for name in self.needed:
            self.fields[name].hide_optional = True


class TrialStartForm(_OwnIds, forms.Form):
    id_prefix = "start"
    starts_on = forms.DateField(label=_("Trial starts"), widget=DateInput(), required=False)
    ends_on = forms.DateField(
        label=_("Trial planned to end"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: six months after the start."),
    )
    participants = forms.CharField(
        label=_("Who takes part"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Start with those who want to."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].hide_optional = True


class NoteForm(_OwnIds, forms.Form):
    id_prefix = "note"
    needed = ("text",)
    text = forms.CharField(
        label=_("Note from the trial"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class EvidenceForm(_OwnIds, forms.Form):
    id_prefix = "evidence"
    text = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("E.g. what staff said in the interviews, figures before and after."),
    )
    upload = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, Word, Excel, text, CSV, PNG or JPEG, at most 5 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One of the two is needed: the labels say so instead of "(optional)".
        self.fields["text"].required_note = _("or an attachment")
        self.fields["upload"].required_note = _("or a written text")

    def clean_upload(self):
        return check_upload(self.cleaned_data.get("upload"), services.EVIDENCE_UPLOAD)


class EvaluateForm(_OwnIds, forms.Form):
    id_prefix = "evaluate"
    findings = forms.CharField(
        label=_("What happened, against the success criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    assessment = forms.CharField(
        label=_("The group's assessment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    # Shown only when the trial is evaluated long before its planned end (issue 10).
    early_reason = forms.CharField(
        label=_("Why is the trial evaluated before its planned end?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Shown on the timeline."),
    )
    confirm_early = forms.BooleanField(
        label=_("Yes, the trial ends now, before its planned end"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Needed to evaluate; the service says which is missing.
        for name in ("findings", "assessment", "early_reason"):
            self.fields[name].hide_optional = True


class DecideForm(_OwnIds, forms.Form):
    id_prefix = "decide"
    decision = forms.ChoiceField(
        label=_("What does the group decide?"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    referred_to = forms.CharField(
        label=_("Referred to the decision line (when a formal decision is needed)"),
        max_length=200,
        required=False,
        help_text=_(
            "When the leader, the AMU, the administration committee or the council decides "
            "formally, name where it went. The group's choice is then its recommendation."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("decision", "note"):
            self.fields[name].hide_optional = True


class OutcomeForm(_OwnIds, forms.Form):
    id_prefix = "outcome"
    needed = ("outcome",)
    outcome = forms.CharField(
        label=_("What the decision line decided"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    outcome_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)


class ReasonForm(_OwnIds, forms.Form):
    id_prefix = "stop"
    needed = ("reason",)
    reason = forms.CharField(
        label=_("Why is the measure stopped?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class CommentForm(_OwnIds, forms.Form):
    id_prefix = "comment"
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class WinForm(_OwnIds, forms.Form):
    id_prefix = "win"
    needed = ("story",)
    story = forms.CharField(
        label=_("The story of the win"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("A few sentences: what changed, and for whom? Shown on the unit page."),
    )
