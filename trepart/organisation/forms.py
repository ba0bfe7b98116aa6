import datetime

from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from trepart.core.forms import posted_id
from trepart.core.uploads import UploadRule, check_upload, plain_text, zip_with
from trepart.organisation.models import (
    UNION_ROLES,
    AdoptionDecision,
    Department,
    Municipality,
    PoliticalSide,
    Role,
    ServiceArea,
    Union,
    Unit,
)
from trepart.organisation.people_picker import PersonField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Used to log in. An invitation lets the person choose a password."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    send_invitation = forms.BooleanField(
        label=_("Send an invitation to the e-mail address now"),
        required=False,
        help_text=_(
            "The person gets a link to choose a password. You can also send it later from the "
            "person's page."
        ),
    )

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the person's name."))
        return name


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role"))] + Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("No unit"),
        help_text=_("For unit leaders, department leaders, local reps, safety reps and employees."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("No department"),
        help_text=_("Only for department leaders and staff of a department."),
    )
    # Required in context: the label says when (the form stays usable without JavaScript).
    union = forms.ModelChoiceField(
        label=_("Union"),
        queryset=Union.objects.none(),
        required=False,
        empty_label=_("No union"),
        help_text=_("The union the rep represents. Leave empty for other roles."),
    )
    side = forms.ChoiceField(
        label=_("Political side"),
        choices=[("", "—")] + PoliticalSide.choices,
        required=False,
        help_text=_("Position or opposition. Leave empty for other roles."),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), initial=datetime.date.today)
    ends_on = forms.DateField(
        label=_("To"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty if the period has no known end."),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(municipality=municipality)
        self.fields["department"].queryset = Department.objects.filter(
            unit__municipality=municipality
        ).select_related("unit")
        self.fields["department"].label_from_instance = lambda d: f"{d.unit.name} – {d.name}"
        self.fields["union"].queryset = Union.objects.available_to(municipality)
        self.fields["union"].label_from_instance = lambda u: (
            f"{u.short_name} ({u.name})" if u.short_name != u.name else u.name
        )
        # Labels that tell the truth: "(required for union reps)", not "(optional)".
        self.fields["unit"].required_note = _("required for roles at a unit")
        self.fields["union"].required_note = _("required for union reps")
        self.fields["side"].required_note = _("required for politicians")

    def clean(self):
        data = super().clean()
        department = data.get("department")
        if department and not data.get("unit"):
            data["unit"] = department.unit
        if data.get("role") in UNION_ROLES and not data.get("union") and "union" not in self.errors:
            self.add_error(
                "union",
                _(
                    "Choose the union the rep represents: a union rep is always registered with "
                    "their union."
                ),
            )
        return data


def role_prefill(params, municipality) -> dict:
    """Initial values for a role form from GET parameters (role, unit, union, side), as the
    composition check's links send them. Unknown or foreign values are left out, never an
    error."""
    initial = {}
    role = params.get("role", "")
    if role in Role.values:
        initial["role"] = role
    unit_id = posted_id(params.get("unit"))
    if unit_id is not None:
        unit = Unit.objects.filter(municipality=municipality, pk=unit_id).first()
        if unit is not None:
            initial["unit"] = unit
    union_id = posted_id(params.get("union"))
    if union_id is not None:
        union = Union.objects.available_to(municipality).filter(pk=union_id).first()
        if union is not None:
            initial["union"] = union
    if params.get("side", "") in PoliticalSide.values:
        initial["side"] = params["side"]
    return initial


def prefill_query(initial: dict) -> str:
    """The GET parameters that give `role_prefill` these initial values back."""
    pairs = []
    for key in ("role", "unit", "union", "side"):
        value = initial.get(key)
        if value:
            pairs.append((key, getattr(value, "pk", value)))
    return urlencode(pairs)


class RoleAssignNewForm(RoleAssignForm):
    """Register a role for someone chosen with the person picker (the composition check's
    "register the safety rep" opens this, pre-filled with the unit and the role)."""

    field_order = ["person"]
    person = PersonField(label=_("Person"))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        self.fields["person"].municipality = municipality


class RoleEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day in the role"), widget=DateInput(), initial=datetime.date.today
    )


class AdoptionDecisionForm(forms.ModelForm):
    class Meta:
        model = AdoptionDecision
        fields = ["body", "decided_on", "reference", "summary"]
        widgets = {"decided_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def clean_decided_on(self):
        value = self.cleaned_data["decided_on"]
        if value > datetime.date.today():
            raise forms.ValidationError(_("The date of the decision cannot be in the future."))
        return value


class UnionPresenceForm(forms.Form):
    union = forms.ModelChoiceField(
        label=_("Union"), queryset=Union.objects.none(), empty_label=_("Choose a union")
    )
    # A bound above: an oversized number is a form error, not a database overflow (a 500).
    member_count = forms.IntegerField(
        label=_("Number of members"), min_value=1, max_value=100_000, required=False
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = Union.objects.available_to(municipality)


# Issue 15: the import file is parsed on the server (importing.read_rows), so its content must
# be what its name says: CSV is text, an Excel file a real workbook that does not unpack to more
# than 50 MB (a ZIP bomb would reach openpyxl otherwise).
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_UPLOAD = UploadRule(
    kinds={
        ".csv": plain_text,
        ".xlsx": zip_with("xl/workbook.xml", max_unpacked=10 * IMPORT_MAX_BYTES),
    },
    max_bytes=IMPORT_MAX_BYTES,
    wrong_type=_("Choose a .csv or .xlsx file."),
    wrong_content=_("The file is not a CSV or Excel file, whatever its name says."),
    too_large=_("The file is larger than 5 MB."),
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_("Columns as in the example file. Nothing is saved before you confirm."),
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"], IMPORT_UPLOAD)


class MunicipalitySettingsForm(forms.ModelForm):
    accessibility_statement_url = forms.URLField(
        label=_("accessibility statement"),
        required=False,
        assume_scheme="https",
        help_text=_("Link to the municipality's accessibility statement, shown in the footer."),
    )

    class Meta:
        model = Municipality
        fields = [
            "steering_group_name",
            "party_group_name",
            "default_language",
            "accessibility_statement_url",
            "input_answer_days",
        ]


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name of the unit"), max_length=160)
    service_area = forms.ModelChoiceField(
        label=_("Service area"),
        queryset=ServiceArea.objects.none(),
        required=False,
        empty_label=_("Choose a service area"),
    )
    new_service_area = forms.CharField(
        label=_("…or a new service area"), max_length=120, required=False
    )
    party_group_name = forms.CharField(
        label=_("Name of the party group"),
        max_length=80,
        required=False,
        help_text=_('Only if the unit has its own name for it, e.g. "HMS-gruppa".'),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["service_area"].queryset = ServiceArea.objects.filter(municipality=municipality)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Unit.objects.filter(municipality=self.municipality, name__iexact=name).exists():
            raise forms.ValidationError(_("A unit with this name already exists."))
        return name

    def clean(self):
        data = super().clean()
        if not data.get("service_area") and not data.get("new_service_area", "").strip():
            self.add_error("service_area", _("Choose a service area or name a new one."))
        return data


class UnitSettingsForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["party_group_name"]


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("New department"), max_length=160)
