"""The erasure's matching and edges (review rev2 #1, #3, #4, #10, #11; PRODUCT P8, R5).

Other people's names and addresses are left alone; short forms of the person's name go; the
text is never cut; import files that name the person are emptied; a role starting today goes.
"""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from tests.factories import give_role, person_with_role
from tests.meetings.conftest import make_meeting
from trepart.meetings.models import AgendaItem
from trepart.organisation.models import ImportBatch, Role, RoleAssignment
from trepart.personaldata.services import Matcher, person_erase

LABEL = "Verneombud"


def matcher(name="Kari Hansen", email="kari@x.no", phone=""):
    return Matcher(name, email, phone)


# --- #1 namesakes and longer addresses ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Kari Hansen-Berg la fram saken.",
        "Anne-Kari Hansen la fram saken.",
        "Kari Hansen-Bergs forslag.",
        "Per Hansen sa nei. Rådmann Hansen var enig.",
        "Skriv til ikari@x.no i dag.",
        "Skriv til kari@x.no.example i dag.",
        "Skriv til ole.kari@x.no eller kari@x.nord.",
        "Skriv til kari@x.no-test.example.",
    ],
)
def test_other_people_and_longer_addresses_are_left_alone(text):
    m = matcher()
    assert not m.found_in(text)
    assert m.replace(text, LABEL, whole=True) == text


def test_the_person_is_replaced_with_punctuation_and_genitive():
    m = matcher()
    text = "Kari Hansen (kari@x.no). Kari Hansens forslag, skriv til KARI@X.NO."
    assert m.replace(text, LABEL) == (
        "Verneombud ([e-post fjernet]). Verneombuds forslag, skriv til [e-post fjernet]."
    )


@pytest.mark.django_db
def test_erasure_keeps_a_namesake_with_a_double_name(admin_user, unit):
    kari = person_with_role(Role.SAFETY_REP, unit, full_name="Kari Hansen")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder")
    item = AgendaItem.objects.create(
        meeting=make_meeting(leader, unit),
        order=99,
        title="Sak",
        summary="Kari Hansen-Berg og Anne-Kari Hansen la fram saken. Kari Hansen var enig.",
    )
    person_erase(admin_user, kari)
    item.refresh_from_db()
    assert item.summary == (
        "Kari Hansen-Berg og Anne-Kari Hansen la fram saken. Verneombud var enig."
    )


# --- #3 short forms and the surname alone ------------------------------------------------------


def test_short_forms_are_replaced_everywhere():
    m = matcher(name="Kari Nordheim")
    assert m.found_in("Kari N. tok ordet") and m.found_in("K. Nordheim tok ordet")
    assert m.replace("Kari N. og K.Nordheim sa ja.", LABEL) == "Verneombud og Verneombud sa ja."
    # Another first name or initial is someone else, and so is a middle initial.
    assert m.replace("Kari M. og P. Nordheim sa ja.", LABEL) == "Kari M. og P. Nordheim sa ja."
    assert m.replace("Kari N. Olsen sa ja.", LABEL) == "Kari N. Olsen sa ja."


def test_the_surname_alone_goes_only_in_a_document_that_named_the_person():
    m = matcher(name="Kari Nordheim")
    text = "Nordheim sa at Nordheims turnus virker. Nordheimveien er stengt."
    assert not m.found_in(text)  # alone it does not select a document
    assert m.replace(text, LABEL) == text
    assert m.replace(text, LABEL, whole=True) == (
        "Verneombud sa at Verneombuds turnus virker. Nordheimveien er stengt."
    )
    assert m.full_name_in({"summary": "Kari Nordheim var der"})


def test_a_surname_that_is_a_common_word_or_short_stays():
    for name, text in (("Kari Berg", "Berg og dal."), ("Kari Li", "Li sa ja.")):
        m = matcher(name=name)
        assert m.replace(text, LABEL, whole=True) == text


@pytest.mark.django_db
def test_erasure_removes_the_surname_in_the_same_document_only(admin_user, unit):
    kari = person_with_role(Role.SAFETY_REP, unit, full_name="Kari Nordheim")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder")
    meeting = make_meeting(leader, unit)
    named = AgendaItem.objects.create(
        meeting=meeting, order=98, title="Sak", summary="Kari Nordheim innledet. Nordheim mente…"
    )
    other = AgendaItem.objects.create(
        meeting=meeting, order=99, title="Sak", summary="Kari N. og Nordheim skole."
    )
    person_erase(admin_user, kari)
    named.refresh_from_db()
    other.refresh_from_db()
    assert "Nordheim" not in named.summary and named.summary.count("Verneombud") == 2
    assert other.summary == "Verneombud og Nordheim skole."


# --- #10 the text is never cut -----------------------------------------------------------------


def test_replacements_are_shortened_not_the_tail():
    m = matcher(email="a@b.no", phone="91234567")
    text = "Spør a@b.no eller ring 91234567 om saken, siste ord"
    result = m.replace(text, LABEL, limit=len(text))
    assert len(result) <= len(text)
    assert result.endswith(" om saken, siste ord") and "a@b.no" not in result
    assert "91234567" not in result
    # Without a limit, the whole note is written.
    assert "[e-post fjernet]" in m.replace(text, LABEL)


@pytest.mark.django_db
def test_a_full_title_keeps_its_end(admin_user, unit):
    kari = person_with_role(Role.SAFETY_REP, unit, full_name="Kari Hansen")
    kari.email = "k@x.no"
    kari.save()
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder")
    limit = AgendaItem._meta.get_field("title").max_length
    title = ("Spør k@x.no " + "x" * limit)[: limit - 5] + " SLUTT"
    title = title[-limit:]
    assert len(title) == limit and "k@x.no" in title
    item = AgendaItem.objects.create(meeting=make_meeting(leader, unit), order=99, title=title)
    person_erase(admin_user, kari)
    item.refresh_from_db()
    assert item.title.endswith(" SLUTT") and "k@x.no" not in item.title


# --- #11 a role starting today -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_role_starting_today_is_removed_and_older_ones_end_yesterday(admin_user, unit):
    today = timezone.localdate()
    kari = person_with_role(
        Role.EMPLOYEE, unit, full_name="Kari Hansen", starts_on=today - datetime.timedelta(days=30)
    )
    give_role(kari, Role.SAFETY_REP, unit=unit, starts_on=today)
    person_erase(admin_user, kari)
    roles = list(RoleAssignment.objects.filter(person=kari))
    assert [(r.role, r.ends_on) for r in roles] == [
        (Role.EMPLOYEE, today - datetime.timedelta(days=1))
    ]
    assert not RoleAssignment.objects.current().filter(person=kari).exists()


# --- #4 import files not yet applied -----------------------------------------------------------


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_unapplied_import_files_naming_the_person_are_emptied(admin_user, unit, other_municipality):
    kari = person_with_role(Role.SAFETY_REP, unit, full_name="Kari Hansen")
    kari.email = "kari.hansen@fjordby.example"
    kari.save()
    csv_named = ImportBatch.objects.create(
        municipality=unit.municipality,
        filename="ansatte.csv",
        content=b"navn;e-post\nKari Hansen;kari.hansen@fjordby.example\n",
    )
    xlsx_named = ImportBatch.objects.create(
        municipality=unit.municipality,
        filename="ansatte.xlsx",
        content=_xlsx([["fornavn", "etternavn", "e-post"], ["Kari", "Hansen", kari.email]]),
    )
    unrelated = ImportBatch.objects.create(
        municipality=unit.municipality,
        filename="andre.csv",
        content=b"navn;e-post\nOle Olsen;ole@fjordby.example\n",
    )
    applied = ImportBatch.objects.create(
        municipality=unit.municipality,
        filename="brukt.csv",
        content=b"",
        applied_at=timezone.now(),
    )
    foreign = ImportBatch.objects.create(
        municipality=other_municipality, filename="x.csv", content=b"Kari Hansen;ukjent\n"
    )
    erasure = person_erase(admin_user, kari)
    for batch in (csv_named, xlsx_named, unrelated, applied, foreign):
        batch.refresh_from_db()
    assert bytes(csv_named.content) == b"" and bytes(xlsx_named.content) == b""
    assert b"Ole Olsen" in bytes(unrelated.content)
    assert b"Kari Hansen" in bytes(foreign.content)  # another municipality's namesake
    assert erasure.counts["rewritten"]["organisation.ImportBatch"] == 2
