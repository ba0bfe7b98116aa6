"""Erasing a person's personal data (issue 13 part 3, PRODUCT P8).

`person_erase(actor, person)` does it all in one transaction:

1. Rows that are only personal are deleted: every row that points to the person with
   on_delete=CASCADE (tokens, settings, notification logs, calendar feed, private notes,
   reps' summaries, SSO identities, OTP devices…), except the archive models in
   ``introspection.KEEP_ON_ERASURE`` and rows whose deletion would cascade into anything
   else (those are scrubbed instead). Sessions and log-in records (django-axes, by e-mail)
   go too.
2. Archive material is kept (P8: minutes and reports are archive material; R5: roles, not
   persons). Every text, char and JSON field of every model of the municipality (and of the
   models that belong to no municipality) is scanned in Python, so JSON snapshots and
   non-ASCII names are matched the same way on SQLite and PostgreSQL: the person's name (and
   its short forms; the surname alone in a row that also held the full name, see `Matcher`) is
   replaced by the role they held on the document's date, the e-mail address and the phone
   number by a short note. A text is never cut (the replacements are shortened instead).
   Import files not yet applied that name the person are emptied. Rows pointing to the person (published_by, author…) keep
   pointing to the anonymised person row, which now reads as the role they held.
3. The person row is anonymised: name -> "Former <role>", a unique e-mail address on the
   reserved ``.invalid`` domain, phone and language cleared, unusable password, inactive.
   Current roles end yesterday (so vacancies show today, R5); roles starting today or later
   are removed.
4. An `Erasure` row records who erased whom and when, with counts only.

Models are found by introspection (``apps.get_models()``), so a capability added later is
covered without changing this module.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import secrets

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.db.models.signals import post_save
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trepart.organisation import services as organisation_services
from trepart.organisation.models import ImportBatch, RoleAssignment
from trepart.organisation.templatetags.author_label import (
    held_on,
    join_names,
    role_label_on,
    role_names,
)
from trepart.personaldata import introspection, permissions
from trepart.personaldata.models import Erasure

# Which date of a row says when the document was written (the role held that day replaces
# the name). The first that a row has wins; else any date of the row, else its parent's.
DATE_PRIORITY = (
    "published_at",
    "sent_at",
    "held_on",
    "answered_at",
    "submitted_on",
    "created_at",
    "starts_at",
    "starts_on",
    "date",
    "updated_at",
)

# Derived texts that are computed from another field and must follow it.
DERIVED = {"inputs.Input": ("text", "stems")}

CHUNK = 500


# Surnames that are also everyday words: alone in a text they are most likely the word.
COMMON_WORDS = frozenset(
    """
    aas ask bakke bakken berg bru bråten dahl dal eik eng fjell fjord foss gran hage hagen hals
    haug haugen heim holm lia lie lien lund moe moen myr nes rud sand skog stein strand sund
    tveit vang vik vold øye
    """.split()
)


class Matcher:
    """Finds and replaces one person's name, e-mail address and phone number in texts.

    Whole words only: a hyphen joins a word too, so "Kari Hansen-Berg" and "Anne-Kari Hansen"
    (other people, double names are common) are left alone. Besides the full name, the short
    forms "Kari H." and "K. Hansen" are replaced everywhere, and in a document that also held
    the full name (``replace(..., whole=True)``) the surname alone ("Hansen sa") too, unless it
    is short or an everyday word ("Berg"). The first name alone is never replaced: it is
    shared by too many people (documented in docs/personal-data.md).
    """

    def __init__(self, name: str, email: str, phone: str):
        self.email = None
        self.name = None
        self.short = None
        self.surname = None
        self.phone = None
        email = (email or "").strip()
        if email:
            # Not inside a longer address ("ikari@x.no", "kari@x.no.example"); a full stop
            # after it ends the sentence.
            self.email = re.compile(
                rf"(?<![\w.+\-]){re.escape(email)}(?![\w\-]|\.\w)", re.IGNORECASE
            )
        parts = name.split()
        if parts:
            # A genitive "s" stays after the replacement ("Kari Nordmanns" -> "Verneombuds").
            body = r"\s+".join(re.escape(p) for p in parts)
            self.name = re.compile(rf"(?<![\w\-]){body}(?=s?(?![\w\-]))", re.IGNORECASE)
        if len(parts) >= 2:
            first, last = parts[0], parts[-1]
            forms = [
                # "Kari H.", but not "Kari H. Olsen" (someone else's middle initial).
                rf"{re.escape(first)}\s+{re.escape(last[0])}\.(?!\s*(?-i:[A-ZÆØÅ])\w)",
                rf"{re.escape(first[0])}\.\s*{re.escape(last)}(?=s?(?![\w\-]))",  # "K. Hansen"
            ]
            self.short = re.compile(rf"(?<![\w\-])(?:{'|'.join(forms)})", re.IGNORECASE)
            if len(last) >= 3 and last.casefold() not in COMMON_WORDS:
                # As written (capital first letter): "hansen" in lower case is left alone.
                self.surname = re.compile(rf"(?<![\w\-]){re.escape(last)}(?=s?(?![\w\-]))")
        digits = national_digits(phone)
        if len(digits) >= 5:
            sep = r"[\s.\-]?"
            body = sep.join(digits)
            self.phone = re.compile(rf"(?<![\d+])(?:(?:\+|00)47{sep})?{body}(?!\d)")

    def _patterns(self):
        return (self.email, self.name, self.short, self.phone)

    def found_in(self, value) -> bool:
        if isinstance(value, str):
            return any(p is not None and p.search(value) for p in self._patterns())
        if isinstance(value, dict):
            return any(self.found_in(k) or self.found_in(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return any(self.found_in(v) for v in value)
        return False

    def full_name_in(self, value) -> bool:
        """The full name is in the value (then the surname alone is the person too)."""
        if self.name is None:
            return False
        if isinstance(value, str):
            return bool(self.name.search(value))
        if isinstance(value, dict):
            return any(self.full_name_in(k) or self.full_name_in(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return any(self.full_name_in(v) for v in value)
        return False

    def surname_in(self, value) -> bool:
        if self.surname is None:
            return False
        if isinstance(value, str):
            return bool(self.surname.search(value))
        if isinstance(value, dict):
            return any(self.surname_in(k) or self.surname_in(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return any(self.surname_in(v) for v in value)
        return False

    def replace(self, value, label: str, *, whole: bool = False, limit: int | None = None):
        """The value with the person replaced by `label` (names) or a short note (e-mail,
        phone). `whole`: the document held the full name, so the surname alone goes too.
        `limit`: a text's maximum length; when the replacements make it longer, they are
        shortened (never the text's own tail, which would be lost silently)."""
        if isinstance(value, str):
            result = self._replace_text(value, label, whole, overflow=0)
            if limit is not None and len(result) > limit:
                result = self._replace_text(value, label, whole, overflow=len(result) - limit)
            return result
        if isinstance(value, dict):
            return {
                self.replace(k, label, whole=whole): self.replace(v, label, whole=whole)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.replace(v, label, whole=whole) for v in value]
        return value

    def _replace_text(self, text: str, label: str, whole: bool, overflow: int) -> str:
        budget = [overflow]

        def by(replacement: str):
            def sub(match) -> str:
                extra = len(replacement) - len(match.group(0))
                if budget[0] <= 0 or extra <= 0:
                    return replacement
                cut = min(extra, budget[0])
                budget[0] -= cut
                return _shorten(replacement, len(replacement) - cut)

            return sub

        steps = (
            (self.email, _("[e-mail removed]")),
            (self.name, label),
            (self.short, label),
            (self.surname if whole else None, label),
            (self.phone, _("[phone removed]")),
        )
        for pattern, replacement in steps:
            if pattern is None:
                continue
            sub = by(replacement)
            if pattern is self.surname:
                sub = _unless_after_a_name(sub)
            text = pattern.sub(sub, text)
        return text


_WORD_BEFORE = re.compile(r"([\w\-]+)\s+$")


def _unless_after_a_name(sub):
    """The surname alone, but not after another capitalised word: "Per Hansen" and
    "Anne-Kari Hansen" are other people (a sentence's first word ends with a full stop)."""

    def guarded(match) -> str:
        before = _WORD_BEFORE.search(match.string, max(0, match.start() - 80), match.start())
        if before and before.group(1)[:1].isupper():
            return match.group(0)
        return sub(match)

    return guarded


def _shorten(text: str, length: int) -> str:
    if length <= 0:
        return ""
    return text if len(text) <= length else text[: length - 1] + "…"


def national_digits(phone: str) -> str:
    """The phone number's digits without the Norwegian country code."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0047") and len(digits) > 8:
        digits = digits[4:]
    elif digits.startswith("47") and len(digits) == 10:
        digits = digits[2:]
    return digits


# --- the role held on a day (R5: roles, not persons) -------------------------------------------


def neutral_name(assignments: list[RoleAssignment], today: datetime.date) -> str:
    """The erased person's new name: "Former safety rep" (the roles held last)."""
    names = role_names(held_on(assignments, today))
    if not names:
        return _("Former user")
    return _("Former %(roles)s") % {"roles": join_names([n[:1].lower() + n[1:] for n in names])}


def _as_day(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return None


def row_day(obj, depth: int = 0) -> datetime.date | None:
    """When a row was written: its own date by DATE_PRIORITY, else any date, else a parent's."""
    fields = {f.name: f for f in obj._meta.concrete_fields}
    for name in DATE_PRIORITY:
        if name in fields and (day := _as_day(getattr(obj, name))):
            return day
    for f in fields.values():
        if isinstance(f, models.DateField) and (day := _as_day(getattr(obj, f.name))):
            return day
    if depth < 2:
        User = introspection.user_model()
        for f in fields.values():
            if f.many_to_one and f.related_model not in (User, obj.__class__):
                parent = getattr(obj, f.name, None)
                if parent is not None and (day := row_day(parent, depth + 1)):
                    return day
    return None


# --- the erasure -------------------------------------------------------------------------------


def _personal_models() -> set:
    """Models whose rows belong to one person (on_delete=CASCADE to the person model) and are
    not archive material."""
    return {
        model
        for model, fks, _m2ms in introspection.person_links()
        if introspection.cascade_fields(model, fks)
        and model._meta.label not in introspection.KEEP_ON_ERASURE
        and model is not Erasure
    }


def _only_personal(rows, personal: set) -> bool:
    """Deleting these rows would delete nothing but personal rows (no archive material by a
    cascade: a row that something kept depends on is scrubbed instead)."""
    collector = Collector(using=rows.db)
    try:
        collector.collect(rows)
    except (ProtectedError, RestrictedError):
        return False
    touched = set(collector.data) | {qs.model for qs in collector.fast_deletes}
    return all(model in personal for model in touched)


def _delete_personal_rows(person, counts: dict) -> None:
    personal = _personal_models()
    for model, fks, _m2ms in introspection.person_links():
        if model not in personal:
            continue
        by = introspection.cascade_fields(model, fks)
        rows = model._base_manager.filter(introspection.person_filter(by, (), person))
        if not rows.exists() or not _only_personal(rows, personal):
            continue
        with transaction.atomic():
            _total, per_model = rows.delete()
        for name, n in per_model.items():
            if n:
                counts[name] = counts.get(name, 0) + n
    # Log-in records name the person only by the typed e-mail address (django-axes).
    for model in introspection.login_record_models():
        n, _x = model._base_manager.filter(username__iexact=person.email).delete()
        if n:
            counts[model._meta.label] = counts.get(model._meta.label, 0) + n
    n = 0
    for session in Session.objects.iterator(chunk_size=CHUNK):
        try:
            data = session.get_decoded()
        except Exception:  # noqa: BLE001 - a broken session is not ours to judge
            continue
        if str(data.get("_auth_user_id")) == str(person.pk):
            session.delete()
            n += 1
    if n:
        counts["sessions.Session"] = n


def _scrub(person, matcher: Matcher, assignments, today, counts: dict) -> None:
    """Rewrite every text that names the person, across the municipality and the models that
    belong to no municipality."""
    User = introspection.user_model()
    labels: dict[datetime.date, str] = {}

    def label_for(obj) -> str:
        day = row_day(obj) or today
        if day not in labels:
            labels[day] = role_label_on(assignments, day)
        return labels[day]

    for model, fields in introspection.text_models():
        if model is User:
            continue
        scope = introspection.in_municipality(model, person.municipality_id)
        rows = model._base_manager.all() if scope is None else model._base_manager.filter(scope)
        found = [
            row[0]
            for row in rows.values_list("pk", *fields).iterator(chunk_size=CHUNK)
            if any(matcher.found_in(_loaded(v)) for v in row[1:])
        ]
        changed = []
        for start in range(0, len(found), CHUNK):
            for obj in model._base_manager.filter(pk__in=found[start : start + CHUNK]):
                label = label_for(obj)
                values = {name: _loaded(getattr(obj, name)) for name in fields}
                # The document named the person in full: the surname alone is them too (#3).
                whole = any(matcher.full_name_in(v) for v in values.values())
                changes = {}
                for name, loaded in values.items():
                    old = getattr(obj, name)
                    if not (matcher.found_in(loaded) or (whole and matcher.surname_in(loaded))):
                        continue
                    limit = model._meta.get_field(name).max_length
                    new = matcher.replace(loaded, label, whole=whole, limit=limit)
                    if isinstance(old, str) and not isinstance(new, str):
                        new = json.dumps(new)  # a JSON text stored in a text field
                    if new != old:
                        changes[name] = new
                derived = DERIVED.get(model._meta.label)
                if derived and derived[0] in changes:
                    changes[derived[1]] = _derive(model._meta.label, changes[derived[0]])
                if changes:
                    model._base_manager.filter(pk=obj.pk).update(**changes)
                    for name, value in changes.items():
                        setattr(obj, name, value)
                    changed.append((obj, frozenset(changes)))
        if changed:
            counts[model._meta.label] = len(changed)
        # Derived data elsewhere (the search index) follows the rewritten rows: tell the
        # listeners as a save would. A queryset update sends no signal by itself.
        for obj, names in changed:
            post_save.send(
                sender=model,
                instance=obj,
                created=False,
                update_fields=names,
                raw=False,
                using=obj._state.db,
            )


def _loaded(value):
    """A JSON document kept in a text field is searched as JSON (its escapes decoded)."""
    if isinstance(value, str) and value[:1] in "[{" and "\\u" in value:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _derive(label: str, text: str) -> str:
    if label == "inputs.Input":
        from trepart.inputs.similarity import stems_text

        return stems_text(text)
    return ""


def _file_text(filename: str, content: bytes) -> str:
    """The text of an uploaded import file (CSV or Excel), cells separated by spaces."""
    if filename.lower().endswith(".xlsx"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            return "\n".join(
                " ".join("" if v is None else str(v) for v in row)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
            )
        except Exception:  # noqa: BLE001 - a broken file: searched as bytes below
            pass
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    return text + "\n" + re.sub(r"[;,\t\"]+", " ", text)


def _clear_import_files(person, matcher: Matcher, counts: dict) -> None:
    """Uploaded import files not yet applied are kept as bytes for up to a week (organisation
    importing): one that names the person loses its content. The upload stays listed; trying to
    apply it says that the file is empty, and the administrator uploads a new one (rev2 #4)."""
    batches = ImportBatch.objects.filter(
        municipality_id=person.municipality_id, applied_at__isnull=True
    ).exclude(content=b"")
    cleared = []
    for pk, filename, content in batches.values_list("pk", "filename", "content"):
        if matcher.found_in(_file_text(filename, bytes(content))):
            cleared.append(pk)
    if cleared:
        ImportBatch.objects.filter(pk__in=cleared).update(content=b"")
        counts[ImportBatch._meta.label] = counts.get(ImportBatch._meta.label, 0) + len(cleared)


def _end_roles(actor, person, today) -> None:
    """R5: the seats the person held become vacancies; roles not yet started are removed."""
    for assignment in RoleAssignment.objects.filter(person=person).select_related("municipality"):
        if assignment.ends_on is not None and assignment.ends_on < today:
            continue
        if assignment.starts_on < today:
            # Ended yesterday: the seat is vacant from today.
            last = today - datetime.timedelta(days=1)
            organisation_services.role_end(actor=actor, assignment=assignment, ends_on=last)
            continue
        # Starting today or later: never held a full day, removed (a role ending on its first
        # day would keep the seat taken until tomorrow).
        try:
            with transaction.atomic():
                assignment.delete()
        except (ProtectedError, RestrictedError):
            organisation_services.role_end(
                actor=actor, assignment=assignment, ends_on=assignment.starts_on
            )


def _anonymise(person, assignments, today) -> None:
    person.full_name = neutral_name(assignments, today)[
        : person._meta.get_field("full_name").max_length
    ]
    person.email = f"erased-{person.pk}-{secrets.token_hex(6)}@erased.invalid"
    person.phone = ""
    person.language = ""
    person.set_unusable_password()
    person.is_active = False
    person.last_login = None
    person.erased_at = timezone.now()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()


def person_erase(actor, person) -> Erasure:
    """Erase a person's personal data (P8). Raises PermissionDenied unless `actor` is a municipal
    administrator of the person's municipality, the person is someone else and not yet erased."""
    User = introspection.user_model()
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if not permissions.can_erase(actor, person):
            raise PermissionDenied
        municipality = person.municipality
        today = timezone.localdate()
        assignments = list(RoleAssignment.objects.filter(person=person).order_by("starts_on", "pk"))
        matcher = Matcher(person.full_name, person.email, person.phone)
        deleted: dict[str, int] = {}
        rewritten: dict[str, int] = {}
        # Labels written into documents are in the municipality's language.
        with translation.override(municipality.default_language or "nb"):
            _delete_personal_rows(person, deleted)
            _scrub(person, matcher, assignments, today, rewritten)
            _clear_import_files(person, matcher, rewritten)
            _end_roles(actor, person, today)
            _anonymise(person, assignments, today)
        return Erasure.objects.create(
            municipality=municipality,
            person=person,
            erased_by=actor,
            counts={"deleted": deleted, "rewritten": rewritten},
        )
