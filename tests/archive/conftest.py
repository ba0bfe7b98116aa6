"""Shared fixtures for the archive tests (issue 13 part 4): a municipality with published
minutes (two versions), an unpublished meeting, a sent report and a draft, a decided measure
and an undecided one; and a second municipality with its own published minutes."""

from __future__ import annotations

import datetime
import io
import zipfile

import pikepdf
import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import MunicipalityFactory, UnitFactory, person_with_role
from tests.measures.conftest import advance, new_measure
from tests.meetings.conftest import (  # noqa: F401  (fixtures re-exported for this folder)
    leader,
    make_meeting,
    party_group,
    publishable,
)
from trepart.meetings import services as meeting_services
from trepart.organisation.models import Role
from trepart.reporting.models import ReportVersion, UnitReport


def period_post(start=None, end=None) -> dict:
    today = timezone.localdate()
    return {
        "start": (start or datetime.date(today.year, 1, 1)).isoformat(),
        "end": (end or today).isoformat(),
    }


def publish(actor, meeting, members, change_note=""):
    meeting = publishable(actor, meeting, members)
    return meeting_services.minutes_publish(
        actor=actor, meeting=meeting, change_note=change_note, notify=False
    )


def correct(actor, meeting, note="Rettet skrivefeil."):
    meeting_services.minutes_correction_start(actor=actor, meeting=meeting)
    meeting.refresh_from_db()
    return meeting_services.minutes_publish(
        actor=actor, meeting=meeting, change_note=note, notify=False
    )


def sent_report(unit, author, *, status=UnitReport.Status.SENT, versions=1) -> UnitReport:
    report = UnitReport.objects.create(
        municipality=unit.municipality,
        unit=unit,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        due_on=datetime.date(2026, 4, 21),
        status=status,
        went_well="Faste møter og god stemning.",
        hard="Mange vakter står ubesatt.",
        need="Hjelp med rekruttering.",
        first_sent_at=timezone.now() if versions else None,
    )
    for number in range(1, versions + 1):
        ReportVersion.objects.create(
            report=report,
            number=number,
            content={
                "figures": {"meetings_held": 3, "inputs_received": 4, "answer_days_limit": 14},
                "went_well": report.went_well,
                "hard": report.hard,
                "need": report.need,
            },
            change_note="" if number == 1 else "Rettet tallene.",
            sent_by=author,
        )
    return report


@pytest.fixture
def world(municipality, unit, party_group, admin_user):  # noqa: F811
    """Everything archive material and everything that is not, in one municipality."""
    group = party_group
    members = list(group.values())
    leader_ = group["leader"]
    published = make_meeting(leader_, unit, title="Partsgruppemøte mars")
    publish(leader_, published, members)
    published.refresh_from_db()
    correct(leader_, published)
    published.refresh_from_db()
    draft = make_meeting(
        leader_, unit, day=datetime.date(2026, 4, 7), title="Utkast som ikke er publisert"
    )
    report = sent_report(unit, leader_)
    draft_report = UnitReport.objects.create(
        municipality=municipality,
        unit=unit,
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 6, 30),
        due_on=datetime.date(2026, 7, 21),
        went_well="UTKAST-TEKST",
    )
    decided = advance(new_measure(group, unit, title="Langvakter i helgene"), group, "decided")
    undecided = new_measure(group, unit, title="Ny idé uten vedtak")
    employee = person_with_role(Role.EMPLOYEE, unit, full_name="Eva Ansatt")
    return {
        "group": group,
        "admin": admin_user,
        "employee": employee,
        "meeting": published,
        "draft_meeting": draft,
        "report": report,
        "draft_report": draft_report,
        "measure": decided,
        "undecided": undecided,
    }


@pytest.fixture
def foreign(db):
    """A second municipality with published minutes, a sent report and an admin."""
    municipality = MunicipalityFactory(name="Annenby kommune")
    unit = UnitFactory(municipality=municipality, name="Annenby barnehage")
    leader_ = person_with_role(Role.UNIT_LEADER, unit, full_name="Anne Annenby")
    meeting = make_meeting(leader_, unit, title="Fremmed møte")
    publish(leader_, meeting, [leader_])
    meeting.refresh_from_db()
    return {
        "municipality": municipality,
        "unit": unit,
        "leader": leader_,
        "meeting": meeting,
        "report": sent_report(unit, leader_),
        "admin": person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality),
    }


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def assert_pdfa(data: bytes) -> None:
    """PDF/A-2b: the identification in XMP, an sRGB output intent with an ICC profile, and
    every font embedded."""
    pdf = pikepdf.open(io.BytesIO(data))
    meta = pdf.open_metadata()
    assert meta.get("pdfaid:part") == "2"
    assert meta.get("pdfaid:conformance") == "B"
    intents = pdf.Root.OutputIntents
    assert len(intents) >= 1
    intent = intents[0]
    assert intent.S == "/GTS_PDFA1"
    profile = intent.DestOutputProfile
    assert int(profile.N) == 3  # RGB
    assert len(profile.read_bytes()) > 0
    fonts = 0
    for page in pdf.pages:
        for _name, font in (page.Resources.get("/Font") or {}).items():
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font.DescendantFonts[0].FontDescriptor
            assert descriptor is not None, f"font {font.get('/BaseFont')} has no descriptor"
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                f"font {font.get('/BaseFont')} is not embedded"
            )
            fonts += 1
    assert fonts > 0


SSO_BACKEND = "trepart.sso.backends.OidcBackend"
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def logged_in(user, backend=SSO_BACKEND):
    """Logged in through single sign-on, which counts as the second factor that the
    administration pages (/manage/…) ask of a municipal admin."""
    client = Client()
    client.force_login(user, backend=backend)
    return client
