import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from trepart.meetings.models import Frequency, ItemKind, MeetingKind, Ordinal, Weekday
from trepart.organisation.forms import DateInput
from trepart.organisation.people_picker import PersonField


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class _MeetingTimesForm(forms.Form):
    """Shared by series and single meetings: steering groups have no kind; end after start."""

    def __init__(self, *args, steering=False, **kwargs):
        super().__init__(*args, **kwargs)
        if steering:
            del self.fields["kind"]

    def clean(self):
        data = super().clean()
        if (
            data.get("start_time")
            and data.get("end_time")
            and data["end_time"] <= data["start_time"]
        ):
            self.add_error("end_time", _("The meeting must end after it starts."))
        return data


class SeriesForm(_MeetingTimesForm):
    """R10: fixed, known times. A new party group is offered monthly as the default."""

    title = forms.CharField(label=_("Title"), max_length=160)
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=[
            (MeetingKind.DEVELOPMENT, MeetingKind.DEVELOPMENT.label),
            (MeetingKind.CONSULTATION, MeetingKind.CONSULTATION.label),
        ],
        help_text=_("Keep consultation items and development items in separate meetings."),
    )
    frequency = forms.ChoiceField(label=_("Repeats"), choices=Frequency.choices)
    ordinal = forms.TypedChoiceField(
        label=_("Which week of the month"), choices=Ordinal.choices, coerce=int, required=False
    )
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    interval_weeks = forms.IntegerField(
        label=_("Every how many weeks"),
        min_value=1,
        max_value=8,
        required=False,
        initial=2,
        help_text=_("Only for meetings every n weeks."),
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    location = forms.CharField(label=_("Place"), max_length=160, required=False)
    starts_on = forms.DateField(label=_("First date"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last date"), widget=DateInput(), required=False)

    def __init__(self, *args, steering=False, themes=(), **kwargs):
        super().__init__(*args, steering=steering, **kwargs)
        if steering and themes:
            # R3: the topic catalogue, offered as the steering group's standing themes.
            self.fields["themes"] = forms.MultipleChoiceField(
                label=_("Standing themes"),
                choices=[(value, title) for value, title, _description in themes],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[value for value, _title, _description in themes],
                help_text=_(
                    "Topics the steering group usually follows. They go on every meeting's "
                    "agenda; remove any you do not need, now or later."
                ),
            )

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last date cannot be before the first date."))
        if data.get("frequency") == Frequency.MONTHLY and data.get("ordinal") in (None, ""):
            self.add_error("ordinal", _("Choose which week of the month."))
        if data.get("frequency") == Frequency.WEEKLY and not data.get("interval_weeks"):
            self.add_error("interval_weeks", _("Choose how many weeks between meetings."))
        data["ordinal"] = data.get("ordinal") or Ordinal.FIRST
        data["interval_weeks"] = data.get("interval_weeks") or 2
        return data


class MeetingForm(_MeetingTimesForm):
    title = forms.CharField(label=_("Title"), max_length=160)
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=[
            (MeetingKind.DEVELOPMENT, MeetingKind.DEVELOPMENT.label),
            (MeetingKind.CONSULTATION, MeetingKind.CONSULTATION.label),
        ],
    )
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    location = forms.CharField(label=_("Place"), max_length=160, required=False)


class MoveForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    location = forms.CharField(label=_("Place"), max_length=160, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the group)"), max_length=200, required=False)


class ItemProposeForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    description = forms.CharField(
        label=_("Background"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of item"),
        choices=[
            (ItemKind.DEVELOPMENT, ItemKind.DEVELOPMENT.label),
            (ItemKind.CONSULTATION, ItemKind.CONSULTATION.label),
        ],
        required=False,
        help_text=_(
            "A consultation item is formal consultation (drøfting) under the Basic Agreement."
        ),
    )
    personnel_case = forms.BooleanField(
        label=_("This is about an individual employee (a personnel case)"), required=False
    )

    def __init__(self, *args, steering=False, **kwargs):
        super().__init__(*args, **kwargs)
        if steering:
            del self.fields["kind"]


class ItemMinutesForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput())
    summary = forms.CharField(
        label=_("What was said"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    way_forward = forms.CharField(
        label=_("Agreed way forward"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Who does what next? The item cannot be closed without it."),
    )
    decisions = forms.CharField(
        label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # R13: may be empty while writing, but needed to close the item: the label says so.
        self.fields["way_forward"].required_note = _("needed to close the item")


class NotAgreedForm(forms.Form):
    """R15: the group did not agree. Each side's position by role (never a count of votes),
    and what happens until the next meeting. Rows left empty are ignored."""

    ROWS = 4

    in_between = forms.CharField(
        label=_("Until the next meeting"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("What we do until then, and who talks with whom in between."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(self.ROWS):
            self.fields[f"holder_{i}"] = forms.CharField(
                label=_("Whose position"),
                max_length=120,
                required=False,
                help_text=_("A role, e.g. the leader, the union reps, the safety rep.")
                if i == 0
                else "",
            )
            self.fields[f"text_{i}"] = forms.CharField(
                label=_("Their position"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=4000,
            )
            # At least one position is needed (checked in clean), none in particular.
            self.fields[f"holder_{i}"].hide_optional = True
            self.fields[f"text_{i}"].hide_optional = True
        # The optional "until then" after the positions.
        self.order_fields([f for i in range(self.ROWS) for f in (f"holder_{i}", f"text_{i}")])

    def clean(self):
        """R15: the same rules as the service, with the errors by the fields."""
        data = super().clean()
        texts = [(data.get(f"text_{i}") or "").strip() for i in range(self.ROWS)]
        if not any(texts):
            self.add_error(
                "text_0",
                _(
                    "Write the positions before continuing the item: what does each side think, and why?"
                ),
            )
        for i, text in enumerate(texts):
            if text and not (data.get(f"holder_{i}") or "").strip():
                self.add_error(f"holder_{i}", _("Say whose position it is (e.g. the leader)."))
        return data

    def rows(self):
        """(holder field, text field) pairs for the template."""
        return [(self[f"holder_{i}"], self[f"text_{i}"]) for i in range(self.ROWS)]

    def positions(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data.get(f"holder_{i}", ""), data.get(f"text_{i}", "")) for i in range(self.ROWS)]


class ActionForm(forms.Form):
    description = forms.CharField(label=_("What"), max_length=300)
    # Anyone active in the municipality may be given an action; chosen with the person
    # picker, which never lists everyone (a foreign or inactive id is a form error).
    assignee = PersonField(label=_("Who"))
    due_on = forms.DateField(label=_("By when"), widget=DateInput())

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].municipality = municipality

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < datetime.date.today() - datetime.timedelta(days=365):
            raise forms.ValidationError(_("The due date is more than a year ago."))
        return due


class ReferralForm(forms.Form):
    body = forms.CharField(
        label=_("Referred to"),
        max_length=160,
        help_text=_(
            "Which body or leader decides: e.g. AMU, the administration committee, the unit leader."
        ),
    )
    referred_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=datetime.date.today)
    note = forms.CharField(
        label=_("What is to be decided"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReferralOutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
    outcome_on = forms.DateField(
        label=_("Date of outcome"), widget=DateInput(), initial=datetime.date.today
    )


class ChairForm(forms.Form):
    chair = forms.ModelChoiceField(
        label=_("Chair"), queryset=None, required=False, empty_label=_("Not chosen")
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = people


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("What was corrected"),
        max_length=300,
        required=False,
        help_text=_("Only for corrections of published minutes."),
    )


class StandingItemForm(forms.Form):
    title = forms.CharField(label=_("New standing item"), max_length=200)
