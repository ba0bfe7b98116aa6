"""Import of units, people and role assignments from CSV or Excel (P1).

`import_dry_run` reads a file and reports every bad row with its row number and reason, writing
nothing. `import_apply` runs the same checks and, only if there are none, writes everything in one
transaction: all or nothing.

The columns (header row, any order, Norwegian or English names):
tjenesteområde, enhet, avdeling, navn, e-post, rolle, fagforening, side, fra, til.
A row without name, e-mail and role defines a unit (and optionally a department).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.accounts.models import User
from trepart.core import spreadsheets
from trepart.organisation import services
from trepart.organisation.models import (
    UNIT_ROLES,
    Department,
    ImportBatch,
    PoliticalSide,
    Role,
    RoleAssignment,
    Union,
    Unit,
)
from trepart.organisation.permissions import can_import

COLUMNS = {
    "service_area": {"tjenesteområde", "tjenesteomrade", "sektor", "service_area", "service area"},
    "unit": {"enhet", "unit", "tjenestested", "virksomhet"},
    "department": {"avdeling", "department"},
    "name": {"navn", "name", "full_name", "fullt navn"},
    "email": {"e-post", "epost", "email", "e-mail"},
    "role": {"rolle", "role"},
    "union": {"fagforening", "forbund", "union"},
    "side": {"side", "politisk side"},
    "starts_on": {"fra", "from", "starts_on", "fra dato"},
    "ends_on": {"til", "to", "ends_on", "til dato"},
}

ROLE_NAMES = {
    "enhetsleder": Role.UNIT_LEADER,
    "virksomhetsleder": Role.UNIT_LEADER,
    "avdelingsleder": Role.DEPARTMENT_LEADER,
    "plasstillitsvalgt": Role.LOCAL_UNION_REP,
    "tillitsvalgt": Role.LOCAL_UNION_REP,
    "ptv": Role.LOCAL_UNION_REP,
    "verneombud": Role.SAFETY_REP,
    "vo": Role.SAFETY_REP,
    "ansatt": Role.EMPLOYEE,
    "medarbeider": Role.EMPLOYEE,
    "politiker": Role.POLITICIAN,
    "folkevalgt": Role.POLITICIAN,
    "administrasjon": Role.ADMINISTRATION,
    "kommunedirektør": Role.ADMINISTRATION,
    "hovedtillitsvalgt": Role.CHIEF_UNION_REP,
    "htv": Role.CHIEF_UNION_REP,
    "hovedverneombud": Role.CHIEF_SAFETY_REP,
    "hvo": Role.CHIEF_SAFETY_REP,
    "kommuneadministrator": Role.MUNICIPAL_ADMIN,
    **{role.value: role for role in Role},
}

SIDE_NAMES = {
    "posisjon": PoliticalSide.POSITION,
    "position": PoliticalSide.POSITION,
    "opposisjon": PoliticalSide.OPPOSITION,
    "opposition": PoliticalSide.OPPOSITION,
}

# How the required columns are named in the example file and docs/import.md.
REQUIRED_COLUMNS = {"unit": "enhet", "name": "navn", "email": "e-post", "role": "rolle"}

MAX_ROWS = 5000


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class RowError:
    row: int
    reason: str


@dataclass
class PlannedUnit:
    service_area: str
    name: str
    department: str


@dataclass
class PlannedRole:
    row: int
    name: str
    email: str
    role: str
    unit_name: str
    department_name: str
    union: Union | None
    side: str
    starts_on: datetime.date
    ends_on: datetime.date | None


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    units: list[PlannedUnit] = field(default_factory=list)
    roles: list[PlannedRole] = field(default_factory=list)
    new_people: set[str] = field(default_factory=set)
    new_unit_names: set[str] = field(default_factory=set)
    new_departments: set[tuple[str, str]] = field(default_factory=set)
    # Filled by import_apply: the people it created (they can be invited afterwards).
    new_person_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "errors": len(self.errors),
            "units": len(self.new_unit_names),
            "departments": len(self.new_departments),
            "people": len(self.new_people),
            "roles": len(self.roles),
        }


# --- reading ------------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """Rows as (row number in the file, {column key: text}); the header is row 1."""
    if filename.lower().endswith(".xlsx"):
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportFileError(_("The Excel file could not be read.")) from exc
        sheet = workbook.worksheets[0]
        table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        try:
            dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    if not table or not any(table[0]):
        raise ImportFileError(_("The file is empty."))
    header = [h.strip().lower() for h in table[0]]
    keys = []
    for h in header:
        key = next((k for k, names in COLUMNS.items() if h in names), None)
        keys.append(key)
    missing = [name for k, name in REQUIRED_COLUMNS.items() if k not in keys]
    if missing:
        raise ImportFileError(
            _("The header row lacks the columns: %(columns)s. See the example file.")
            % {"columns": ", ".join(missing)}
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        if not any(raw):
            continue
        rows.append(
            (number, {k: (raw[i] if i < len(raw) else "") for i, k in enumerate(keys) if k})
        )
    if not rows:
        raise ImportFileError(_("The file has a header row but no rows to import."))
    return rows


def _parse_date(text: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


# --- checking -----------------------------------------------------------------------------------


def import_dry_run(*, municipality, filename: str, content: bytes) -> ImportReport:
    """Check every row and plan the import, writing nothing."""
    report = ImportReport()
    rows = read_rows(filename, content)
    report.rows = len(rows)
    units = {u.name.lower(): u for u in Unit.objects.filter(municipality=municipality)}
    departments = {
        (d.unit.name.lower(), d.name.lower())
        for d in Department.objects.filter(unit__municipality=municipality).select_related("unit")
    }
    unions = list(Union.objects.available_to(municipality))
    union_by_name = {}
    for u in unions:
        union_by_name[u.short_name.lower()] = u
        union_by_name[u.name.lower()] = u
    people = {
        p.email.lower(): p
        for p in User.objects.filter(municipality=municipality).only(
            "email", "full_name", "municipality"
        )
    }

    # First pass: units defined by the file.
    file_units = {}
    file_departments = set()
    for number, row in rows:
        if row.get("name") or row.get("email") or row.get("role"):
            continue
        unit_name = row.get("unit", "")
        area_name = row.get("service_area", "")
        if not unit_name:
            report.errors.append(
                RowError(number, _("The row is empty apart from the service area."))
            )
            continue
        if not area_name and unit_name.lower() not in units and unit_name.lower() not in file_units:
            report.errors.append(RowError(number, _("A new unit needs a service area.")))
            continue
        if unit_name.lower() not in units and unit_name.lower() not in file_units:
            report.new_unit_names.add(unit_name)
        file_units.setdefault(unit_name.lower(), unit_name)
        department = row.get("department", "")
        if department:
            key = (unit_name.lower(), department.lower())
            if key not in departments and key not in file_departments:
                report.new_departments.add((unit_name, department))
            file_departments.add(key)
        report.units.append(PlannedUnit(area_name, unit_name, department))

    # Second pass: people and roles.
    seen = {}
    names_by_email = {}
    for number, row in rows:
        if not (row.get("name") or row.get("email") or row.get("role")):
            continue
        problems = []
        name = row.get("name", "")
        email = row.get("email", "").lower()
        if not name:
            problems.append(_("Name is missing."))
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("Bad e-mail address: '%(email)s'.") % {"email": row.get("email", "")})
            email = ""
        role = ROLE_NAMES.get(row.get("role", "").strip().lower())
        if role is None:
            problems.append(_("Unknown role: '%(role)s'.") % {"role": row.get("role", "")})
        unit_name = row.get("unit", "")
        unit_key = unit_name.lower()
        if unit_name and unit_key not in units and unit_key not in file_units:
            problems.append(_("Unknown unit: '%(unit)s'.") % {"unit": unit_name})
        department_name = row.get("department", "")
        if (
            department_name
            and (unit_key, department_name.lower()) not in departments | file_departments
        ):
            problems.append(
                _("Unknown department: '%(department)s'.") % {"department": department_name}
            )
        union = None
        if row.get("union"):
            union = union_by_name.get(row["union"].lower())
            if union is None:
                problems.append(_("Unknown union: '%(union)s'.") % {"union": row["union"]})
        side = ""
        if row.get("side"):
            side = SIDE_NAMES.get(row["side"].lower(), "")
            if not side:
                problems.append(_("Political side must be 'posisjon' or 'opposisjon'."))
        starts_on = datetime.date.today()
        ends_on = None
        try:
            if row.get("starts_on"):
                starts_on = _parse_date(row["starts_on"])
        except ValueError:
            problems.append(
                _("Bad start date: '%(date)s'. Use YYYY-MM-DD or DD.MM.YYYY.")
                % {"date": row["starts_on"]}
            )
        try:
            if row.get("ends_on"):
                ends_on = _parse_date(row["ends_on"])
        except ValueError:
            problems.append(
                _("Bad end date: '%(date)s'. Use YYYY-MM-DD or DD.MM.YYYY.")
                % {"date": row["ends_on"]}
            )
        if ends_on and ends_on < starts_on:
            problems.append(_("The end date is before the start date."))
        if email:
            existing = people.get(email)
            if existing is None and User.objects.filter(email__iexact=email).exists():
                problems.append(_("The e-mail address is already used by another account."))
            other_name = names_by_email.setdefault(email, name)
            if name and other_name.lower() != name.lower():
                problems.append(
                    _("The e-mail address is used for two different names in the file.")
                )
        if role is not None and not problems:
            # Shape rules, as for the form (unit, union, side).
            probe = RoleAssignment(
                municipality=municipality,
                role=role,
                unit_id=1 if unit_name else None,
                union_id=union.pk if union else None,
                side=side,
                starts_on=starts_on,
                ends_on=ends_on,
            )
            try:
                probe.clean()
            except ValidationError as exc:
                problems.extend(m for messages in exc.message_dict.values() for m in messages)
        if not problems:
            key = (email, role, unit_key, department_name.lower(), union.pk if union else None)
            earlier = next(
                (
                    row_number
                    for row_number, other_start, other_end in seen.get(key, [])
                    if (other_end is None or other_end >= starts_on)
                    and (ends_on is None or ends_on >= other_start)
                ),
                None,
            )
            if earlier is not None:
                problems.append(_("Duplicate of row %(row)d.") % {"row": earlier})
            else:
                seen.setdefault(key, []).append((number, starts_on, ends_on))
                person = people.get(email)
                unit = units.get(unit_key)
                if person is not None and (unit is not None or not unit_name):
                    department = None
                    if department_name and unit is not None:
                        department = unit.departments.filter(name__iexact=department_name).first()
                    if services.overlapping_assignment(
                        person=person,
                        role=role,
                        unit=unit,
                        union=union,
                        department=department,
                        starts_on=starts_on,
                        ends_on=ends_on,
                    ):
                        problems.append(
                            _("Duplicate: the person already holds this role in this period.")
                        )
        if problems:
            report.errors.extend(RowError(number, p) for p in problems)
            continue
        if email not in people:
            report.new_people.add(email)
        report.roles.append(
            PlannedRole(
                row=number,
                name=name,
                email=email,
                role=role,
                unit_name=unit_name if role in UNIT_ROLES else "",
                department_name=department_name,
                union=union,
                side=side,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        )
    report.errors.sort(key=lambda e: e.row)
    return report


# --- applying -----------------------------------------------------------------------------------


def import_apply(*, actor, municipality, filename: str, content: bytes) -> ImportReport:
    """Check again and write everything, or nothing if any row is bad."""
    if not can_import(actor, municipality):
        raise PermissionDenied
    report = import_dry_run(municipality=municipality, filename=filename, content=content)
    if not report.ok:
        return report
    with transaction.atomic():
        for planned in report.units:
            unit = Unit.objects.filter(municipality=municipality, name__iexact=planned.name).first()
            if unit is None:
                area = services.service_area_get_or_create(
                    municipality=municipality, name=planned.service_area
                )
                unit = services.unit_get_or_create(
                    municipality=municipality, service_area=area, name=planned.name
                )
            if (
                planned.department
                and not unit.departments.filter(name__iexact=planned.department).exists()
            ):
                services.department_get_or_create(unit=unit, name=planned.department)
        for planned in report.roles:
            person = User.objects.filter(email__iexact=planned.email).first()
            if person is None:
                person = User.objects.create_user(
                    email=planned.email, full_name=planned.name, municipality=municipality
                )
                report.new_person_ids.append(person.pk)
            unit = department = None
            if planned.unit_name:
                unit = Unit.objects.get(municipality=municipality, name__iexact=planned.unit_name)
                if planned.department_name:
                    department = unit.departments.get(name__iexact=planned.department_name)
            services.role_assign(
                actor=actor,
                municipality=municipality,
                person=person,
                role=planned.role,
                unit=unit,
                department=department,
                union=planned.union,
                side=planned.side,
                starts_on=planned.starts_on,
                ends_on=planned.ends_on,
            )
    return report


# --- retention of the uploaded file (docs/archive.md) -------------------------------------------

# An uploaded file is kept only between the dry run and the apply (the web stays stateless, so
# it lives in ImportBatch.content). Once applied, only what was imported (the rows themselves, in
# the organisation's tables) and the batch's summary are kept; the file is removed. An upload
# that is never applied is deleted after this many days.
IMPORT_FILE_RETENTION_DAYS = 7


def import_batch_apply(*, actor, batch: ImportBatch) -> ImportReport:
    """Apply an uploaded batch and, when it was imported, record that and remove the file
    (retention: the uploaded file is not kept after apply). All in one transaction."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.applied_at:
            raise ValidationError(_("This file has already been imported."))
        report = import_apply(
            actor=actor,
            municipality=locked.municipality,
            filename=locked.filename,
            content=bytes(locked.content),
        )
        if report.ok:
            locked.applied_at = timezone.now()
            # The new people's ids: "invite everyone new" invites exactly them.
            locked.summary = {**report.summary(), "new_person_ids": report.new_person_ids}
            locked.content = b""
            locked.save(update_fields=["applied_at", "summary", "content"])
            batch.applied_at, batch.summary, batch.content = (
                locked.applied_at,
                locked.summary,
                b"",
            )
    return report


def import_files_purge(today: datetime.date | None = None) -> int:
    """The daily retention job: remove the file of every applied batch that still holds one
    (applied before import_batch_apply existed, or by another path), and delete uploads never
    applied once IMPORT_FILE_RETENTION_DAYS have passed. Returns the number of files removed."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=IMPORT_FILE_RETENTION_DAYS), datetime.time.min
        )
    )
    cleared = (
        ImportBatch.objects.filter(applied_at__isnull=False)
        .exclude(content=b"")
        .update(content=b"")
    )
    deleted, _rows = ImportBatch.objects.filter(
        applied_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return cleared + deleted


EXAMPLE_CSV = Path(__file__).resolve().parents[2] / "docs" / "examples" / "import-example.csv"


def example_file(fmt: str) -> tuple[str, bytes]:
    """The shipped example (docs/examples/import-example.csv), as CSV or as an Excel workbook."""
    text = EXAMPLE_CSV.read_text(encoding="utf-8")
    if fmt == "csv":
        return "text/csv; charset=utf-8", text.encode("utf-8-sig")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Import"
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        sheet.append(row)
    spreadsheets.neutralise(workbook)  # issue 15 (the example is ours, but one rule everywhere)
    out = io.BytesIO()
    workbook.save(out)
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out.getvalue()
