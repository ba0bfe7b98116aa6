"""Template helpers for Designsystemet markup rendered on the server (works without JavaScript)."""

from django import forms, template

register = template.Library()

_INPUT_CLASS = {
    forms.Select: "ds-input",
    forms.Textarea: "ds-input",
    forms.CheckboxInput: "ds-input",
    forms.RadioSelect: "",
    forms.ClearableFileInput: "ds-input",
    forms.FileInput: "ds-input",
}


@register.inclusion_tag("core/_field.html")
def ds_field(bound_field, **kwargs):
    """A Designsystemet field: label, description, input and validation message.

    aria-describedby points at the description and the error; aria-invalid is set when the field
    has errors. Both come from the server, so the form is accessible without JavaScript.
    """
    widget = bound_field.field.widget
    field_id = bound_field.auto_id
    described = []
    if bound_field.help_text:
        described.append(f"{field_id}_help")
    if bound_field.errors:
        described.append(f"{field_id}_error")
    attrs = {}
    css = _INPUT_CLASS.get(type(widget), "ds-input")
    if css:
        attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if isinstance(widget, forms.Select):
        attrs["data-width"] = "full"
    return {
        "field": bound_field,
        "widget_html": bound_field.as_widget(attrs=attrs),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "is_radio": isinstance(widget, forms.RadioSelect),
        "field_id": field_id,
        **kwargs,
    }


@register.filter
def severity_count(findings, severity):
    return sum(1 for f in findings if f.severity == severity)


@register.filter
def isodate(value):
    """'2026-11-22' (as stored in JSON snapshots) → a date, for the date filter."""
    import datetime

    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
