from django import forms
from django.utils.translation import gettext_lazy as _


class BriefForm(forms.Form):
    text = forms.CharField(
        label=_("Summary for your members"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=10_000,
        help_text=_("Write it in your own words. Short and plain is best."),
    )
