"""The period of an archive extract."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A package is built while the administrator waits (MAX_DOCUMENTS caps its size too).
MAX_PERIOD_DAYS = 366 * 2
EARLIEST = datetime.date(2000, 1, 1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last whole calendar year: the usual unit an archive receives."""
    today = today or timezone.localdate()
    return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the first day of the period."),
            "invalid": _("Enter a date, e.g. 01.01.2026."),
        },
    )
    end = forms.DateField(
        label=_("To"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the last day of the period."),
            "invalid": _("Enter a date, e.g. 31.12.2026."),
        },
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start < EARLIEST:
            raise forms.ValidationError(_("Choose a date in 2000 or later."))
        if start > timezone.localdate():
            raise forms.ValidationError(_("The period cannot start in the future."))
        return start

    def clean_end(self):
        end = self.cleaned_data["end"]
        if end < EARLIEST:
            raise forms.ValidationError(_("Choose a date in 2000 or later."))
        return end

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period must end on or after its first day."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error(
                    "end", _("Choose a period of at most two years, and make several extracts.")
                )
        return data
