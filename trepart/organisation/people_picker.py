"""The person picker: choose one active person of the municipality without listing them all.

One text box and, under it, at most `PEOPLE_SEARCH_LIMIT` matching people as radio buttons
named like the field. With htmx the list is fetched while typing (`organisation:people_search`);
without JavaScript the text is sent with the form and resolved on the server: one match is
taken, none or several give an error and the candidates are shown as radio buttons to choose
from. A chosen person (radio) wins as long as they match what is in the text box, so the text
box acts as a filter and typing a new name replaces an earlier choice.

The posted id is always checked again: an active person of the form's municipality, never
another municipality's (a foreign id is a form error, not a 500).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from trepart.accounts.models import User
from trepart.organisation import selectors

SEARCH_SUFFIX = "_search"
# Element ids and field names sent to the search endpoint are echoed into the fragment.
SAFE_NAME = re.compile(r"^[A-Za-z][\w-]{0,80}$")


@dataclass
class PickerState:
    """What the picker shows: the chosen person, the text typed and the candidates."""

    person: User | None = None
    query: str = ""
    candidates: list[User] = field(default_factory=list)
    more: bool = False  # more people match than are shown
    error: str = ""  # an error code of PersonField, or ""

    @property
    def options(self) -> list[User]:
        """The chosen person first, then the other candidates (each once)."""
        people = [self.person] if self.person else []
        return people + [p for p in self.candidates if not self.person or p.pk != self.person.pk]


def _matches(person: User, query: str) -> bool:
    text = f"{person.full_name} {person.email}".lower()
    return all(word in text for word in query.lower().split())


def search_state(municipality, query: str, limit: int = selectors.PEOPLE_SEARCH_LIMIT):
    """Candidates for `query` (one query, at most `limit`); one match, or an exact e-mail
    address, is taken as the person."""
    query = query.strip()[:100]
    if not query:
        return PickerState()
    found = selectors.people_search(municipality, query, limit=limit + 1)
    state = PickerState(query=query, candidates=found[:limit], more=len(found) > limit)
    exact = [p for p in found if p.email.lower() == query.lower()]
    if len(exact) == 1:
        state.person = exact[0]
    elif len(found) == 1:
        state.person = found[0]
    elif not found:
        state.error = "none"
    else:
        state.error = "several"
    return state


class PersonPickerWidget(forms.Widget):
    """Renders `organisation/partials/_person_picker.html` (the project's template engine)."""

    template_name = "organisation/partials/_person_picker.html"

    def value_from_datadict(self, data, files, name):
        return (data.get(name, ""), data.get(name + SEARCH_SUFFIX, ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + SEARCH_SUFFIX not in data

    def format_value(self, value):
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        state = value if isinstance(value, PickerState) else PickerState()
        element_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["attrs"]["id"] = element_id
        context.update(
            search_url=reverse("organisation:people_search"),
            **picker_options_context(state, element_id, name),
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, self.build_attrs(self.attrs, attrs))
        return mark_safe(render_to_string(self.template_name, context))


def picker_options_context(state: PickerState, element_id: str, name: str) -> dict:
    """The context of `_person_options.html`, shared by the widget and the search view."""
    return {
        "picker_id": element_id,
        "picker_name": name,
        "picker_search_name": name + SEARCH_SUFFIX,
        "state": state,
        "options": state.options,
        "single": bool(state.person) and len(state.options) == 1,
    }


class PersonField(forms.Field):
    """One active person of `municipality` (set by the form), chosen with the picker."""

    widget = PersonPickerWidget
    default_error_messages = {
        "required": _("Choose a person: type part of the name or e-mail address."),
        "invalid_choice": _("Choose an active person in the municipality."),
        "none": _("Nobody in the municipality matches “%(query)s”."),
        "several": _("Several people match “%(query)s”. Choose one of them below."),
    }

    def __init__(self, *, municipality=None, **kwargs):
        kwargs.setdefault(
            "help_text", _("Type part of the name or e-mail address, then choose the person.")
        )
        super().__init__(**kwargs)
        self.municipality = municipality
        self._states: dict = {}

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._states = {}
        return result

    def state(self, value) -> PickerState:
        """Resolve posted data `(id, text)`, an initial person or id, or nothing (cached, so
        cleaning and rendering share the queries)."""
        if isinstance(value, PickerState):
            return value
        if isinstance(value, User):
            ok = value.municipality_id == getattr(self.municipality, "pk", None)
            return PickerState(person=value) if ok else PickerState(error="invalid_choice")
        if not isinstance(value, tuple | list):
            value = (value, "")
        key = (str(value[0] or "").strip(), str(value[1] or "").strip()[:100])
        if key not in self._states:
            self._states[key] = self._resolve(*key)
        return self._states[key]

    def _resolve(self, pk: str, query: str) -> PickerState:
        chosen = selectors.active_person(self.municipality, pk) if pk else None
        if chosen and (not query or _matches(chosen, query)):
            return PickerState(person=chosen, query=query)
        if query:
            return search_state(self.municipality, query)
        if pk:
            return PickerState(error="invalid_choice")
        return PickerState()

    def prepare_value(self, value):
        return self.state(value)

    def bound_data(self, data, initial):
        return data

    def has_changed(self, initial, data):
        initial_pk = getattr(initial, "pk", initial)
        person = self.state(data).person
        return str(initial_pk or "") != str(person.pk if person else "")

    def to_python(self, value):
        state = self.state(value)
        if state.error:
            raise forms.ValidationError(
                self.error_messages[state.error], code=state.error, params={"query": state.query}
            )
        return state.person

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
