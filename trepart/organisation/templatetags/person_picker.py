"""`{% person_field form.field %}`: a person picker with label, description and error.

Use this tag (not `ds_field`) for a `PersonField`: the radio buttons of the candidates must sit
outside the Designsystemet field of the text box. `id` (+ `suffix`) overrides the element id when one
form is shown several times on a page; `blank` shows it empty (another copy of the form was posted).
"""

from django import template

register = template.Library()


@register.inclusion_tag("organisation/partials/_person_field.html")
def person_field(bound_field, id=None, suffix="", blank=False):
    field = bound_field.field
    element_id = f"{id or bound_field.auto_id}{suffix}"
    errors = [] if blank else list(bound_field.errors)
    described = [f"{element_id}_help"] if bound_field.help_text else []
    if errors:
        described.append(f"{element_id}_error")
    attrs = {"id": element_id, "class": "ds-input"}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if errors:
        attrs["aria-invalid"] = "true"
    value = field.prepare_value(None) if blank else bound_field.value()
    context = field.widget.get_context(bound_field.html_name, value, attrs)
    return {**context, "field": bound_field, "errors": errors}
