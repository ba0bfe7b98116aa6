"""What the database holds about a person, found by introspection (issue 13, PRODUCT P8).

No list of models is written down here: every model Django knows (``apps.get_models()``) is
looked at, so a model added by a later capability is covered by the export and the erasure
the day it is installed. The few explicit lists below only say what to *keep* or how to label.
"""

from __future__ import annotations

import functools
import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

# A field whose name looks like a secret is never exported (a token's hash, a TOTP key, the
# password hash): it says nothing to the person and would weaken the account if leaked.
SECRET_NAME = re.compile(r"hash|token|secret|password|key|digest", re.IGNORECASE)

# Rows that point to the person with on_delete=CASCADE are "only personal" and deleted on
# erasure (tokens, settings, notification logs, calendar feeds, private notes, SSO identities,
# OTP devices…). These models are archive material or counts and are KEPT instead: the row
# stays and points to the anonymised person, who is shown by the role they held (P8, R5).
KEEP_ON_ERASURE = frozenset(
    {
        "meetings.Attendance",  # part of the minutes (who was there), R10
        "surveys.Respondent",  # response rates of closed surveys; answers are not linked
        "organisation.RoleAssignment",  # role history is never deleted (R5)
    }
)

# Text types that can hold a name, an e-mail address or a phone number.
TEXT_FIELDS = (models.CharField, models.TextField)  # EmailField, SlugField, URLField… included


def user_model():
    return get_user_model()


def is_secret(field) -> bool:
    return bool(SECRET_NAME.search(field.name))


def is_text(field) -> bool:
    """A stored field that may hold free text (names, e-mail, phone): char, text or JSON.
    Fields with fixed choices cannot hold a name."""
    if not field.concrete or field.is_relation:
        return False
    if isinstance(field, models.JSONField):
        return True
    return isinstance(field, TEXT_FIELDS) and not field.choices


@functools.cache
def person_links() -> list[tuple[type[models.Model], tuple[str, ...], tuple[str, ...]]]:
    """Every model that points to the person model: (model, FK/O2O names, M2M names).

    The person model's own relations (groups, permissions) are not "rows about the person";
    the person's own row is exported by itself.
    """
    User = user_model()
    links = []
    for model in apps.get_models():
        if model is User:
            continue
        fks, m2ms = [], []
        for field in model._meta.get_fields():
            if not field.concrete or field.related_model is not User:
                continue
            if field.many_to_many:
                m2ms.append(field.name)
            elif field.many_to_one or field.one_to_one:
                fks.append(field.name)
        if fks or m2ms:
            links.append((model, tuple(fks), tuple(m2ms)))
    return links


def person_filter(fks, m2ms, person) -> models.Q:
    q = models.Q()
    for name in (*fks, *m2ms):
        q |= models.Q(**{name: person})
    return q


@functools.cache
def login_record_models() -> list[type[models.Model]]:
    """Models without a relation that record log-ins by the typed user name (django-axes): the
    person's rows are those whose ``username`` is the person's e-mail address."""
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "username" in names and "ip_address" in names:
            found.append(model)
    return found


def cascade_fields(model, fks) -> list[str]:
    """The person fields of a model whose rows go when the person goes (on_delete=CASCADE)."""
    result = []
    for name in fks:
        field = model._meta.get_field(name)
        if field.remote_field.on_delete is models.CASCADE:
            result.append(name)
    return result


@functools.cache
def municipality_path(model, depth: int = 0) -> str | None:
    """A lookup from a model to its municipality ("municipality", "meeting__municipality"…),
    or None for a model that belongs to no municipality (sessions, log-in records, jobs)."""
    paths = municipality_paths(model, depth)
    return paths[0] if paths else None


@functools.cache
def municipality_paths(model, depth: int = 0) -> tuple[str, ...]:
    """Every way from a model to its municipality, one per foreign key (a nullable key may be
    empty on a row: a steering meeting has no unit), the municipality itself first."""
    Municipality = apps.get_model("organisation", "Municipality")
    if model is Municipality:
        return ("pk",)
    if depth > 3:
        return ()
    fks = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    fks.sort(key=lambda f: (f.name != "municipality", f.related_model is user_model()))
    paths = []
    for fk in fks:
        if fk.related_model is Municipality:
            paths.append(fk.name)
        elif fk.related_model is not model:
            rest = municipality_path(fk.related_model, depth + 1)
            if rest is not None:
                paths.append(f"{fk.name}__{rest}" if rest != "pk" else fk.name)
    return tuple(paths)


def in_municipality(model, municipality_id) -> models.Q | None:
    """Rows of the model that belong to the municipality by any path; None: no path."""
    paths = municipality_paths(model)
    if not paths:
        return None
    q = models.Q()
    for path in paths:
        q |= models.Q(**{path: municipality_id})
    return q


@functools.cache
def text_models() -> list[tuple[type[models.Model], tuple[str, ...]]]:
    """Every model with text fields, and those fields (the scan of the erasure). Secrets
    (hashes, keys, tokens) hold no names and are never rewritten."""
    result = []
    for model in apps.get_models():
        names = tuple(
            f.name for f in model._meta.concrete_fields if is_text(f) and not is_secret(f)
        )
        if names:
            result.append((model, names))
    return result


def export_fields(model) -> list[models.Field]:
    """The fields of a row shown in the export: stored, not secret, not binary content."""
    return [
        f
        for f in model._meta.concrete_fields
        if not is_secret(f) and not isinstance(f, models.BinaryField)
    ]
