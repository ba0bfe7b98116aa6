"""Import of units, people and roles (trepart/organisation/importing.py) and its command (P1).

Reasons are compared with gettext of the same message in the active language, so the tests hold
whether or not the Norwegian catalogue is compiled.
"""

import codecs
import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext as _

from tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    UnitFactory,
    UserFactory,
    give_role,
    person_with_role,
    union,
)
from trepart.accounts.models import User
from trepart.organisation import importing
from trepart.organisation.importing import ImportFileError, import_apply, import_dry_run
from trepart.organisation.models import (
    Department,
    PoliticalSide,
    Role,
    RoleAssignment,
    ServiceArea,
    Union,
    Unit,
)

HEADER = [
    "tjenesteområde",
    "enhet",
    "avdeling",
    "navn",
    "e-post",
    "rolle",
    "fagforening",
    "side",
    "fra",
    "til",
]
KEYS = [
    "area",
    "unit",
    "department",
    "name",
    "email",
    "role",
    "union",
    "side",
    "starts_on",
    "ends_on",
]
UNIT = "Solsiden sykehjem"  # the `unit` fixture's name


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """UserFactory hashes with the default hasher (Argon2, ~0.2 s a person); MD5 keeps this fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- helpers ------------------------------------------------------------------------------------


def row(**values) -> list[str]:
    unknown = set(values) - set(KEYS)
    assert not unknown, unknown
    return [values.get(k, "") for k in KEYS]


def leader(name="Ingrid Solheim", email="ingrid@example.no", unit=UNIT, **values):
    return row(name=name, email=email, role="enhetsleder", unit=unit, **values)


def make_csv(rows, *, header=HEADER, delimiter=";", bom=False, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


def make_xlsx(rows, *, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def dry(municipality, rows=None, *, content=None, filename="import.csv", **csv_options):
    if content is None:
        content = make_csv(rows, **csv_options)
    return import_dry_run(municipality=municipality, filename=filename, content=content)


def apply(actor, municipality, rows=None, *, content=None, filename="import.csv"):
    if content is None:
        content = make_csv(rows)
    return import_apply(actor=actor, municipality=municipality, filename=filename, content=content)


def errors(report):
    return [(e.row, e.reason) for e in report.errors]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (ServiceArea, Unit, Department, User, RoleAssignment, Union)
    }


def roles_of(email):
    return list(RoleAssignment.objects.filter(person__email=email).order_by("starts_on"))


# --- reading: delimiters, encodings, Excel ------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_with_either_delimiter(municipality, unit, delimiter):
    report = dry(
        municipality,
        [
            leader(starts_on="01.08.2024"),
            row(
                name="Kari Moen",
                email="kari@example.no",
                role="plasstillitsvalgt",
                unit=UNIT,
                union="Norsk Sykepleierforbund",
                starts_on="2025-01-01",
            ),
        ],
        delimiter=delimiter,
    )
    assert errors(report) == []
    assert [(r.email, r.role, r.unit_name) for r in report.roles] == [
        ("ingrid@example.no", Role.UNIT_LEADER, UNIT),
        ("kari@example.no", Role.LOCAL_UNION_REP, UNIT),
    ]
    assert report.roles[0].starts_on == datetime.date(2024, 8, 1)
    assert report.roles[1].union == union("NSF")


def test_csv_field_containing_the_delimiter_is_quoted(municipality):
    report = dry(
        municipality,
        [row(area="Helse, omsorg", unit="Bo, og aktivitet"), leader(unit="Bo, og aktivitet")],
        delimiter=",",
    )
    assert errors(report) == []
    assert report.units[0].service_area == "Helse, omsorg"
    assert report.new_unit_names == {"Bo, og aktivitet"}


def test_csv_utf8_with_bom(municipality):
    """Excel's 'CSV UTF-8' starts with a BOM; the first column (tjenesteområde) must still match."""
    content = make_csv(
        [
            row(area="Helse og omsorg", unit="Tromsøbakken bo"),
            leader(name="Åse Ødegård", unit="Tromsøbakken bo"),
        ],
        bom=True,
    )
    assert content.startswith(codecs.BOM_UTF8)
    report = dry(municipality, content=content)
    assert errors(report) == []
    assert report.units[0].service_area == "Helse og omsorg"
    assert report.roles[0].name == "Åse Ødegård"


def test_csv_in_windows_1252(municipality):
    """Excel's plain 'CSV (semikolonseparert)' on Windows is cp1252, not UTF-8."""
    content = make_csv(
        [
            row(area="Helse og omsorg", unit="Tromsøbakken bo"),
            leader(name="Åse Ødegård", unit="Tromsøbakken bo"),
        ],
        encoding="cp1252",
    )
    report = dry(municipality, content=content)
    assert errors(report) == []
    assert report.new_unit_names == {"Tromsøbakken bo"}
    assert report.roles[0].name == "Åse Ødegård"


def test_header_names_are_case_insensitive_english_and_in_any_order(municipality, unit):
    content = make_csv(
        [["kari@example.no", "Kari Moen", "Ansatt", UNIT, "2024-02-01"]],
        header=["Email", "Name", "Role", "Unit", "From"],
    )
    report = dry(municipality, content=content)
    assert errors(report) == []
    assert report.roles[0].role == Role.EMPLOYEE
    assert report.roles[0].starts_on == datetime.date(2024, 2, 1)


def test_xlsx(municipality, admin_user):
    content = make_xlsx(
        [
            row(area="Oppvekst", unit="Havbris barnehage"),
            row(unit="Havbris barnehage", department="Småbarn"),
            # Dates typed into Excel arrive as datetime cells.
            leader(unit="Havbris barnehage", starts_on=datetime.datetime(2024, 8, 1)),
            row(
                name="Per Aune",
                email="per@example.no",
                role="avdelingsleder",
                unit="Havbris barnehage",
                department="Småbarn",
                starts_on="01.08.2024",
                ends_on=datetime.date(2026, 7, 31),
            ),
        ]
    )
    report = dry(municipality, content=content, filename="Organisasjon.XLSX")
    assert errors(report) == []
    assert report.summary() == {
        "rows": 4,
        "errors": 0,
        "units": 1,
        "departments": 1,
        "people": 2,
        "roles": 2,
    }

    apply(admin_user, municipality, content=content, filename="Organisasjon.XLSX")
    [per] = roles_of("per@example.no")
    assert per.department.name == "Småbarn"
    assert (per.starts_on, per.ends_on) == (datetime.date(2024, 8, 1), datetime.date(2026, 7, 31))
    assert roles_of("ingrid@example.no")[0].starts_on == datetime.date(2024, 8, 1)


def test_broken_xlsx_is_a_file_error(municipality):
    with pytest.raises(ImportFileError):
        dry(municipality, content=b"this is not a zip file", filename="import.xlsx")


@pytest.mark.parametrize(
    "content",
    [b"", codecs.BOM_UTF8, b"\r\n\r\n", b";;;\r\n"],
    ids=["empty", "bom", "blank", "delims"],
)
def test_empty_file_is_a_file_error(municipality, content):
    with pytest.raises(ImportFileError) as exc:
        dry(municipality, content=content)
    assert str(exc.value) == _("The file is empty.")


def test_empty_xlsx_is_a_file_error(municipality):
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    with pytest.raises(ImportFileError) as exc:
        dry(municipality, content=out.getvalue(), filename="import.xlsx")
    assert str(exc.value) == _("The file is empty.")


def test_missing_header_columns_is_a_file_error_naming_them(municipality):
    content = make_csv([["Solsiden", "Kari"]], header=["enhet", "fornavn"])
    with pytest.raises(ImportFileError) as exc:
        dry(municipality, content=content)
    # Named as in the example file and the documentation, so that the administrator finds them.
    assert str(exc.value) == _(
        "The header row lacks the columns: %(columns)s. See the example file."
    ) % {"columns": "navn, e-post, rolle"}


def test_file_with_too_many_rows_is_refused(municipality, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    with pytest.raises(ImportFileError):
        dry(municipality, [leader(email=f"p{i}@example.no") for i in range(4)])


# --- the example file ---------------------------------------------------------------------------


def test_example_file_imports_cleanly_into_an_empty_municipality(municipality, admin_user):
    content = importing.EXAMPLE_CSV.read_bytes()
    report = dry(municipality, content=content, filename="import-example.csv")
    assert errors(report) == []
    assert report.summary() == {
        "rows": 10,
        "errors": 0,
        "units": 1,
        "departments": 2,
        "people": 7,
        "roles": 7,
    }

    before = counts()
    report = apply(admin_user, municipality, content=content, filename="import-example.csv")
    assert report.ok
    after = counts()
    assert after["Unit"] - before["Unit"] == 1
    assert after["Department"] - before["Department"] == 2
    assert after["User"] - before["User"] == 7
    assert after["RoleAssignment"] - before["RoleAssignment"] == 7

    unit = Unit.objects.get(municipality=municipality, name="Havbris barnehage")
    assert unit.service_area.name == "Oppvekst"
    assert set(unit.departments.values_list("name", flat=True)) == {
        "Småbarnsavdelingen",
        "Storbarnsavdelingen",
    }
    [sara] = roles_of("sara.dahl@example.no")
    assert (sara.role, sara.unit, sara.ends_on) == (
        Role.SAFETY_REP,
        unit,
        datetime.date(2026, 12, 31),
    )
    [berit] = roles_of("berit.lunde@example.no")
    assert (berit.role, berit.side, berit.unit) == (Role.POLITICIAN, PoliticalSide.OPPOSITION, None)
    assert {
        a.union.short_name
        for a in RoleAssignment.objects.filter(unit=unit, role=Role.LOCAL_UNION_REP)
    } == {
        "Utdanningsforbundet",
        "Fagforbundet",
    }
    [per] = roles_of("per.aune@example.no")
    assert per.department.name == "Småbarnsavdelingen"
    # Imported people belong to the municipality and log in only after setting a password.
    people = User.objects.filter(email__endswith="@example.no")
    assert {p.municipality_id for p in people} == {municipality.pk}
    assert not any(p.has_usable_password() for p in people)
    assert {a.created_by_id for a in RoleAssignment.objects.filter(unit=unit)} == {admin_user.pk}


def test_example_file_as_excel_imports_cleanly(municipality):
    _content_type, content = importing.example_file("xlsx")
    report = dry(municipality, content=content, filename="eksempel.xlsx")
    assert errors(report) == []
    assert report.summary()["roles"] == 7


# --- every error reason -------------------------------------------------------------------------


def test_unknown_unit(municipality, unit):
    report = dry(municipality, [leader(unit="Skyggesiden sykehjem")])
    assert errors(report) == [
        (2, _("Unknown unit: '%(unit)s'.") % {"unit": "Skyggesiden sykehjem"})
    ]


def test_unit_names_match_case_insensitively(municipality, unit):
    assert errors(dry(municipality, [leader(unit=UNIT.upper())])) == []


@pytest.mark.parametrize("email", ["kari.example.no", "kari@", "", "kari moen@example.no"])
def test_bad_email(municipality, unit, email):
    report = dry(municipality, [leader(email=email)])
    assert errors(report) == [(2, _("Bad e-mail address: '%(email)s'.") % {"email": email})]


def test_unknown_union(municipality, unit):
    report = dry(
        municipality,
        [
            row(
                name="Kari",
                email="kari@example.no",
                role="plasstillitsvalgt",
                unit=UNIT,
                union="Sykepleierne",
            )
        ],
    )
    assert errors(report) == [(2, _("Unknown union: '%(union)s'.") % {"union": "Sykepleierne"})]


def test_union_by_short_or_full_name_in_any_case(municipality, unit):
    report = dry(
        municipality,
        [
            row(name="A", email="a@example.no", role="ptv", unit=UNIT, union="nsf"),
            row(
                name="B",
                email="b@example.no",
                role="ptv",
                unit=UNIT,
                union="NORSK SYKEPLEIERFORBUND",
                starts_on="2025-01-01",
            ),
        ],
    )
    assert errors(report) == []
    assert {r.union for r in report.roles} == {union("NSF")}


def test_end_before_start(municipality, unit):
    report = dry(municipality, [leader(starts_on="01.08.2024", ends_on="31.07.2024")])
    assert errors(report) == [(2, _("The end date is before the start date."))]


def test_end_on_the_start_day_is_allowed(municipality, unit):
    assert errors(dry(municipality, [leader(starts_on="01.08.2024", ends_on="2024-08-01")])) == []


@pytest.mark.parametrize("column", ["starts_on", "ends_on"])
def test_bad_date(municipality, unit, column):
    report = dry(municipality, [leader(**{column: "1. august"})])
    message = {
        "starts_on": _("Bad start date: '%(date)s'. Use YYYY-MM-DD or DD.MM.YYYY."),
        "ends_on": _("Bad end date: '%(date)s'. Use YYYY-MM-DD or DD.MM.YYYY."),
    }[column]
    assert errors(report) == [(2, message % {"date": "1. august"})]


def test_start_date_defaults_to_today(municipality, unit):
    [planned] = dry(municipality, [leader()]).roles
    assert planned.starts_on == datetime.date.today()
    assert planned.ends_on is None


def test_duplicate_within_the_file(municipality, unit):
    report = dry(municipality, [leader(), leader(name="INGRID SOLHEIM", email="Ingrid@Example.no")])
    assert errors(report) == [(3, _("Duplicate of row %(row)d.") % {"row": 2})]


def test_same_role_in_the_file_for_two_periods_is_history_not_a_duplicate(
    municipality, unit, admin_user
):
    """R5: periods are kept as history; a role held twice in separate periods is no duplicate."""
    rows = [
        leader(starts_on="01.01.2020", ends_on="31.12.2021"),
        leader(starts_on="01.01.2024"),
    ]
    assert errors(dry(municipality, rows)) == []
    apply(admin_user, municipality, rows)
    assert [(a.starts_on.year, a.ends_on) for a in roles_of("ingrid@example.no")] == [
        (2020, datetime.date(2021, 12, 31)),
        (2024, None),
    ]


def test_overlapping_periods_for_the_same_role_in_the_file_are_duplicates(municipality, unit):
    rows = [
        leader(starts_on="01.01.2020", ends_on="31.12.2024"),
        leader(starts_on="01.01.2024"),
    ]
    assert errors(dry(municipality, rows)) == [(3, _("Duplicate of row %(row)d.") % {"row": 2})]


def test_same_person_in_two_roles_is_not_a_duplicate(municipality, unit):
    report = dry(
        municipality,
        [
            leader(),
            row(name="Ingrid Solheim", email="ingrid@example.no", role="verneombud", unit=UNIT),
        ],
    )
    assert errors(report) == []
    assert report.summary()["people"] == 1
    assert report.summary()["roles"] == 2


def test_duplicate_of_an_existing_assignment_in_the_database(municipality, unit):
    person = UserFactory(
        municipality=municipality, email="ingrid@example.no", full_name="Ingrid Solheim"
    )
    give_role(person, Role.UNIT_LEADER, unit=unit, starts_on=datetime.date(2024, 1, 1))
    report = dry(municipality, [leader(starts_on="01.08.2024")])
    assert errors(report) == [
        (2, _("Duplicate: the person already holds this role in this period."))
    ]


def test_existing_assignment_in_another_period_is_not_a_duplicate(municipality, unit):
    person = UserFactory(
        municipality=municipality, email="ingrid@example.no", full_name="Ingrid Solheim"
    )
    give_role(
        person,
        Role.UNIT_LEADER,
        unit=unit,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )
    report = dry(municipality, [leader(starts_on="01.01.2024")])
    assert errors(report) == []
    assert report.new_people == set()  # the person is known and reused


def test_unknown_role(municipality, unit):
    report = dry(
        municipality, [row(name="Kari", email="kari@example.no", role="vaktmester", unit=UNIT)]
    )
    assert errors(report) == [(2, _("Unknown role: '%(role)s'.") % {"role": "vaktmester"})]


def test_roles_by_norwegian_name_or_code_in_any_case(municipality, unit):
    rows = [
        row(name="A", email="a@example.no", role="Enhetsleder", unit=UNIT),
        row(name="B", email="b@example.no", role="VO", unit=UNIT),
        row(name="C", email="c@example.no", role="safety_rep", unit=UNIT, starts_on="2025-01-01"),
        row(name="D", email="d@example.no", role="Kommunedirektør"),
        row(name="E", email="e@example.no", role="HTV", union="Delta"),
        row(name="F", email="f@example.no", role="hovedverneombud"),
    ]
    report = dry(municipality, rows)
    assert errors(report) == []
    assert [r.role for r in report.roles] == [
        Role.UNIT_LEADER,
        Role.SAFETY_REP,
        Role.SAFETY_REP,
        Role.ADMINISTRATION,
        Role.CHIEF_UNION_REP,
        Role.CHIEF_SAFETY_REP,
    ]


def test_union_rep_without_union(municipality, unit):
    report = dry(
        municipality,
        [row(name="Kari", email="kari@example.no", role="plasstillitsvalgt", unit=UNIT)],
    )
    assert errors(report) == [(2, _("A union rep must have a union."))]


def test_union_given_for_a_role_without_union(municipality, unit):
    report = dry(municipality, [leader(union="NSF")])
    assert errors(report) == [(2, _("Only union reps are registered with a union."))]


def test_politician_without_side(municipality):
    report = dry(municipality, [row(name="Berit", email="berit@example.no", role="politiker")])
    assert errors(report) == [
        (2, _("Choose whether the politician represents the position or the opposition."))
    ]


def test_bad_political_side(municipality):
    report = dry(
        municipality, [row(name="Berit", email="berit@example.no", role="politiker", side="midten")]
    )
    assert errors(report) == [(2, _("Political side must be 'posisjon' or 'opposisjon'."))]


def test_unit_role_without_unit(municipality):
    report = dry(municipality, [leader(unit="")])
    assert errors(report) == [(2, _("This role belongs to a unit. Choose the unit."))]


def test_municipality_role_with_unit(municipality, unit):
    report = dry(
        municipality,
        [row(name="Berit", email="berit@example.no", role="politiker", side="posisjon", unit=UNIT)],
    )
    assert errors(report) == [(2, _("This role is for the whole municipality and has no unit."))]


def test_missing_name(municipality, unit):
    assert errors(dry(municipality, [leader(name="")])) == [(2, _("Name is missing."))]


def test_unknown_department(municipality, unit):
    DepartmentFactory(unit=unit, name="Avdeling A")
    report = dry(
        municipality,
        [
            row(
                name="Per",
                email="per@example.no",
                role="avdelingsleder",
                unit=UNIT,
                department="avdeling a",
            ),
            row(
                name="Kari",
                email="kari@example.no",
                role="avdelingsleder",
                unit=UNIT,
                department="Avdeling B",
            ),
        ],
    )
    assert errors(report) == [
        (3, _("Unknown department: '%(department)s'.") % {"department": "Avdeling B"})
    ]


def test_department_of_another_unit_is_unknown(municipality, unit):
    DepartmentFactory(unit=UnitFactory(municipality=municipality), name="Avdeling A")
    report = dry(
        municipality,
        [
            row(
                name="Per",
                email="per@example.no",
                role="ansatt",
                unit=UNIT,
                department="Avdeling A",
            )
        ],
    )
    assert errors(report) == [
        (2, _("Unknown department: '%(department)s'.") % {"department": "Avdeling A"})
    ]


def test_same_email_for_two_names_in_the_file(municipality, unit):
    report = dry(
        municipality,
        [leader(), row(name="Kari Moen", email="ingrid@example.no", role="verneombud", unit=UNIT)],
    )
    assert errors(report) == [
        (3, _("The e-mail address is used for two different names in the file."))
    ]


def test_new_unit_needs_a_service_area(municipality):
    report = dry(municipality, [row(unit="Nyby skole")])
    assert errors(report) == [(2, _("A new unit needs a service area."))]


def test_unit_defined_earlier_in_the_file_needs_no_service_area_again(municipality, admin_user):
    rows = [
        row(area="Oppvekst", unit="Nyby skole"),
        row(unit="Nyby skole", department="Mellomtrinnet"),
        row(
            name="Per",
            email="per@example.no",
            role="avdelingsleder",
            unit="Nyby skole",
            department="Mellomtrinnet",
        ),
    ]
    assert errors(dry(municipality, rows)) == []
    apply(admin_user, municipality, rows)
    assert (
        Department.objects.get(unit__municipality=municipality, unit__name="Nyby skole").name
        == "Mellomtrinnet"
    )


def test_unit_row_without_unit(municipality):
    report = dry(municipality, [row(area="Oppvekst")])
    assert errors(report) == [(2, _("The row is empty apart from the service area."))]


def test_a_row_may_have_several_problems(municipality):
    report = dry(municipality, [row(name="", email="nope", role="sjef", unit="Ukjent")])
    assert errors(report) == [
        (2, _("Name is missing.")),
        (2, _("Bad e-mail address: '%(email)s'.") % {"email": "nope"}),
        (2, _("Unknown role: '%(role)s'.") % {"role": "sjef"}),
        (2, _("Unknown unit: '%(unit)s'.") % {"unit": "Ukjent"}),
    ]


# --- row numbers --------------------------------------------------------------------------------


def test_error_rows_are_spreadsheet_row_numbers_with_header_as_row_1(municipality, unit):
    content = make_csv(
        [
            leader(),  # row 2
            ["", "", "", "", "", "", "", "", "", ""],  # row 3: blank, skipped but counted
            leader(email="bad", name="X"),  # row 4
        ]
    )
    content += b"\r\n"  # row 5: an empty line
    content += (
        ";".join(row(name="Y", email="y@example.no", role="vaktmester", unit=UNIT)).encode()
        + b"\r\n"
    )  # row 6
    report = dry(municipality, content=content)
    assert [e.row for e in report.errors] == [4, 6]
    assert report.rows == 3


def test_error_rows_count_quoted_line_breaks_as_one_row(municipality, unit):
    """A cell with a line break is still one spreadsheet row, as Excel shows it."""
    report = dry(municipality, [leader(name="Ingrid\nSolheim"), leader(email="bad", name="X")])
    assert [e.row for e in report.errors] == [3]


def test_error_rows_in_excel_are_sheet_rows(municipality, unit):
    content = make_xlsx([leader(), [None] * 10, [None] * 10, leader(email="bad", name="X")])
    report = dry(municipality, content=content, filename="import.xlsx")
    assert [e.row for e in report.errors] == [5]


def test_errors_are_sorted_by_row(municipality, unit):
    rows = [row(unit="Ny enhet")] + [leader(email="bad", name="X")]  # unit rows are checked first
    report = dry(municipality, [leader(email="bad1", name="X"), *rows])
    assert [e.row for e in report.errors] == [2, 3, 4]


# --- apply: all or nothing ----------------------------------------------------------------------


def test_apply_writes_nothing_when_one_row_is_bad(municipality, unit, admin_user):
    before = counts()
    rows = [
        row(area="Oppvekst", unit="Havbris barnehage"),
        row(unit="Havbris barnehage", department="Småbarn"),
        leader(),
        row(name="Kari", email="kari@example.no", role="verneombud", unit="Havbris barnehage"),
        row(name="Berit", email="berit@example.no", role="politiker"),  # no side
    ]
    report = apply(admin_user, municipality, rows)
    assert not report.ok
    assert errors(report) == [
        (6, _("Choose whether the politician represents the position or the opposition."))
    ]
    assert counts() == before
    assert not Unit.objects.filter(name="Havbris barnehage").exists()
    assert not User.objects.filter(email__in=["ingrid@example.no", "kari@example.no"]).exists()


def test_apply_is_one_transaction_even_if_a_write_fails(
    municipality, unit, admin_user, monkeypatch
):
    """A failure in the middle of writing (after the checks passed) rolls everything back."""
    real_role_assign = importing.services.role_assign
    calls = []

    def failing_role_assign(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_role_assign(**kwargs)

    monkeypatch.setattr(importing.services, "role_assign", failing_role_assign)
    before = counts()
    with pytest.raises(RuntimeError):
        apply(
            admin_user,
            municipality,
            [
                row(area="Oppvekst", unit="Havbris barnehage"),
                leader(unit="Havbris barnehage"),
                row(
                    name="Kari",
                    email="kari@example.no",
                    role="verneombud",
                    unit="Havbris barnehage",
                ),
            ],
        )
    assert len(calls) == 2
    assert counts() == before


def test_apply_writes_everything_when_all_rows_are_good(municipality, unit, admin_user):
    before = counts()
    report = apply(
        admin_user,
        municipality,
        [
            leader(),
            row(
                name="Kari",
                email="kari@example.no",
                role="plasstillitsvalgt",
                unit=UNIT,
                union="NSF",
            ),
            row(name="Berit", email="berit@example.no", role="politiker", side="posisjon"),
        ],
    )
    assert report.ok
    assert counts()["RoleAssignment"] == before["RoleAssignment"] + 3
    assert counts()["User"] == before["User"] + 3
    assert roles_of("kari@example.no")[0].union == union("NSF")
    assert roles_of("berit@example.no")[0].side == PoliticalSide.POSITION


def test_applying_the_same_file_twice_is_refused_as_duplicate(municipality, unit, admin_user):
    content = importing.EXAMPLE_CSV.read_bytes()
    assert apply(admin_user, municipality, content=content).ok
    before = counts()
    report = apply(admin_user, municipality, content=content)
    assert not report.ok
    duplicate = _("Duplicate: the person already holds this role in this period.")
    assert [e.row for e in report.errors] == [5, 6, 7, 8, 9, 10, 11]
    assert {e.reason for e in report.errors} == {duplicate}
    assert counts() == before


@pytest.mark.parametrize("who", ["employee", "local_rep", "other_admin", "ended_admin", "staff"])
def test_apply_by_a_non_admin_is_permission_denied(
    municipality, other_municipality, unit, who, request
):
    if who == "other_admin":
        actor = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    elif who == "ended_admin":
        actor = person_with_role(
            Role.MUNICIPAL_ADMIN,
            municipality=municipality,
            starts_on=datetime.date(2020, 1, 1),
            ends_on=datetime.date.today() - datetime.timedelta(days=1),
        )
    elif who == "staff":
        actor = UserFactory(municipality=None, is_staff=True, is_superuser=True)
    else:
        actor = request.getfixturevalue(who)
    before = counts()
    with pytest.raises(PermissionDenied):
        apply(actor, municipality, [leader()])
    assert counts() == before


# --- tenant isolation ---------------------------------------------------------------------------


def test_unit_of_the_same_name_in_another_municipality_is_unknown(municipality, other_municipality):
    UnitFactory(municipality=other_municipality, name=UNIT)
    report = dry(municipality, [leader()])
    assert errors(report) == [(2, _("Unknown unit: '%(unit)s'.") % {"unit": UNIT})]


def test_new_unit_with_the_name_of_another_municipalitys_unit_is_created_here(
    municipality, other_municipality, admin_user
):
    theirs = UnitFactory(municipality=other_municipality, name=UNIT)
    DepartmentFactory(unit=theirs, name="Avdeling A")
    rows = [row(area="Helse", unit=UNIT), row(unit=UNIT, department="Avdeling A"), leader()]
    report = dry(municipality, rows)
    assert errors(report) == []
    assert report.new_unit_names == {UNIT} and report.new_departments == {(UNIT, "Avdeling A")}
    apply(admin_user, municipality, rows)
    ours = Unit.objects.get(municipality=municipality, name=UNIT)
    assert ours != theirs
    assert roles_of("ingrid@example.no")[0].unit == ours
    assert theirs.departments.count() == 1 and ours.departments.count() == 1
    assert not theirs.role_assignments.exists()


def test_email_used_in_another_municipality_is_reported(municipality, other_municipality, unit):
    UserFactory(municipality=other_municipality, email="ingrid@example.no")
    report = dry(municipality, [leader(email="Ingrid@example.no")])
    assert errors(report) == [(2, _("The e-mail address is already used by another account."))]


def test_union_added_by_another_municipality_is_unknown(municipality, other_municipality, unit):
    Union.objects.create(municipality=other_municipality, name="Lokalforeningen", short_name="LF")
    Union.objects.create(municipality=municipality, name="Vår forening", short_name="VF")
    report = dry(
        municipality,
        [
            row(name="A", email="a@example.no", role="ptv", unit=UNIT, union="LF"),
            row(name="B", email="b@example.no", role="ptv", unit=UNIT, union="VF"),
        ],
    )
    assert errors(report) == [(2, _("Unknown union: '%(union)s'.") % {"union": "LF"})]


# --- the command --------------------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisation", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue()


def write(tmp_path, rows, name="import.csv", **csv_options):
    path = tmp_path / name
    path.write_bytes(make_xlsx(rows) if name.endswith(".xlsx") else make_csv(rows, **csv_options))
    return path


def test_command_dry_run_prints_bad_rows_and_exits_1(municipality, unit, tmp_path):
    path = write(
        tmp_path,
        [
            leader(),
            leader(email="bad", name="X"),
            row(name="Y", email="y@example.no", role="sjef", unit=UNIT),
        ],
    )
    out = io.StringIO()
    before = counts()
    with pytest.raises(CommandError) as exc:
        call_command("import_organisation", municipality.name, str(path), stdout=out)
    assert exc.value.returncode == 1
    lines = out.getvalue().splitlines()
    # The command speaks bokmål whatever language an earlier test left active.
    with translation.override("nb"):
        assert lines[0] == "Rad 3: " + _("Bad e-mail address: '%(email)s'.") % {"email": "bad"}
        assert lines[1] == "Rad 4: " + _("Unknown role: '%(role)s'.") % {"role": "sjef"}
    assert "3 rader, 2 feil" in lines[2]
    assert counts() == before


def test_command_dry_run_of_a_good_file_writes_nothing(municipality, unit, tmp_path):
    path = write(tmp_path, [leader()], delimiter=",")
    before = counts()
    out = run(municipality.pk, path)
    assert "Rad " not in out
    assert "1 rad, 0 feil" in out
    assert "--apply" in out
    assert counts() == before


def test_command_apply_with_as(municipality, unit, admin_user, tmp_path):
    path = write(tmp_path, [leader()], name="import.xlsx")
    person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)  # another admin, not chosen
    out = run(municipality.name.upper(), path, "--apply", "--as", admin_user.email.upper())
    assert admin_user.email in out
    [assignment] = roles_of("ingrid@example.no")
    assert assignment.created_by == admin_user


def test_command_apply_without_as_uses_the_first_current_admin(municipality, unit, tmp_path):
    person_with_role(
        Role.MUNICIPAL_ADMIN,
        municipality=municipality,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 1, 1),
    )  # no longer an admin
    first = person_with_role(
        Role.MUNICIPAL_ADMIN, municipality=municipality, starts_on=datetime.date(2021, 1, 1)
    )
    person_with_role(
        Role.MUNICIPAL_ADMIN, municipality=municipality, starts_on=datetime.date(2022, 1, 1)
    )
    run(municipality.name, write(tmp_path, [leader()]), "--apply")
    assert roles_of("ingrid@example.no")[0].created_by == first


def test_command_apply_without_as_and_without_admin_fails_clearly(municipality, unit, tmp_path):
    path = write(tmp_path, [leader()])
    before = counts()
    with pytest.raises(CommandError, match="ingen nåværende kommuneadministrator"):
        run(municipality.name, path, "--apply")
    assert counts() == before


def test_command_apply_as_a_non_admin_is_refused(municipality, unit, employee, tmp_path):
    path = write(tmp_path, [leader()])
    with pytest.raises(CommandError, match="ikke kommuneadministrator"):
        run(municipality.name, path, "--apply", "--as", employee.email)
    assert not roles_of("ingrid@example.no")


def test_command_apply_as_an_admin_of_another_municipality_is_refused(
    municipality, other_municipality, unit, tmp_path
):
    other_admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    with pytest.raises(CommandError, match="ikke kommuneadministrator"):
        run(municipality.name, write(tmp_path, [leader()]), "--apply", "--as", other_admin.email)


def test_command_apply_as_a_deactivated_admin_is_refused(municipality, unit, admin_user, tmp_path):
    admin_user.is_active = False
    admin_user.save()
    with pytest.raises(CommandError, match="ikke kommuneadministrator"):
        run(municipality.name, write(tmp_path, [leader()]), "--apply", "--as", admin_user.email)
    with pytest.raises(CommandError, match="ingen nåværende kommuneadministrator"):
        run(municipality.name, write(tmp_path, [leader()]), "--apply")


def test_command_apply_as_unknown_email_is_refused(municipality, unit, admin_user, tmp_path):
    with pytest.raises(CommandError, match="nobody@example.no"):
        run(municipality.name, write(tmp_path, [leader()]), "--apply", "--as", "nobody@example.no")


def test_command_apply_with_a_bad_row_writes_nothing(municipality, unit, admin_user, tmp_path):
    path = write(
        tmp_path, [leader(), row(name="Berit", email="berit@example.no", role="politiker")]
    )
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_organisation", municipality.name, str(path), "--apply", stdout=out)
    assert exc.value.returncode == 1
    assert out.getvalue().startswith("Rad 3: ")
    assert counts() == before


def test_command_apply_twice_is_refused(municipality, unit, admin_user, tmp_path):
    path = write(tmp_path, [leader()])
    run(municipality.name, path, "--apply")
    with pytest.raises(CommandError):
        run(municipality.name, path, "--apply")
    assert len(roles_of("ingrid@example.no")) == 1


def test_command_example_file(municipality, admin_user):
    out = run(municipality.name, importing.EXAMPLE_CSV, "--apply")
    assert "10 rader, 0 feil" in out
    assert Unit.objects.filter(municipality=municipality, name="Havbris barnehage").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["Ingenby kommune", "{file}"], "Fant ingen kommune"),
        (["999999", "{file}"], "Fant ingen kommune"),
        (["{municipality}", "{tmp}/finnes-ikke.csv"], "Fant ikke filen"),
        (["{municipality}", "{tmp}/import.txt"], ".csv eller .xlsx"),
        (["{municipality}", "{tmp}/tom.csv"], "Filen kan ikke leses"),
    ],
)
def test_command_bad_arguments(municipality, unit, tmp_path, args, message):
    file = write(tmp_path, [leader()])
    (tmp_path / "import.txt").write_text("x")
    (tmp_path / "tom.csv").write_bytes(b"")
    args = [a.format(file=file, tmp=tmp_path, municipality=municipality.name) for a in args]
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_command_municipality_by_id_is_not_confused_with_another(
    municipality, other_municipality, unit, tmp_path
):
    UnitFactory(municipality=other_municipality, name="Bare der")
    path = write(tmp_path, [leader(unit="Bare der")])
    with pytest.raises(CommandError):
        run(municipality.pk, path)
    assert "0 feil" in run(other_municipality.pk, path)


def test_command_municipality_name_in_any_case_also_outside_ascii(db, tmp_path):
    municipality = MunicipalityFactory(name="Åfjord kommune")
    UnitFactory(municipality=municipality, name=UNIT)
    assert "0 feil" in run("ÅFJORD KOMMUNE", write(tmp_path, [leader()]))


def test_command_numeric_name_falls_back_to_name(db, tmp_path):
    municipality = MunicipalityFactory(name="1234")
    UnitFactory(municipality=municipality, name=UNIT)
    assert "0 feil" in run("1234", write(tmp_path, [leader()]))
