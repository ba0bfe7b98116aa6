"""Retention of uploaded files (issue 13 part 4, docs/archive.md): an import file is removed
once applied and an upload never applied is deleted after its retention period; evidence of a
measure lives and goes with the measure."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from tests.factories import UnitFactory, person_with_role
from tests.measures.conftest import advance, new_measure
from tests.meetings.conftest import party_group  # noqa: F401  (fixture)
from trepart.measures import services as measure_services
from trepart.measures.models import Evidence, Measure
from trepart.organisation import importing, services
from trepart.organisation.models import ImportBatch, Role, RoleAssignment

CSV = (
    "tjenesteområde;enhet;avdeling;navn;e-post;rolle;fagforening;side;fra;til\r\n"
    "Oppvekst;Havbris barnehage;;;;;;;;\r\n"
    ";Havbris barnehage;;Ingrid Solheim;ingrid.solheim@example.no;enhetsleder;;;01.08.2024;\r\n"
).encode()


def upload(admin, content=CSV, filename="roller.csv") -> ImportBatch:
    return services.import_batch_create(
        actor=admin, municipality=admin.municipality, filename=filename, content=content
    )


@pytest.mark.django_db
def test_applying_an_import_removes_the_file(admin_user):
    batch = upload(admin_user)
    assert bytes(batch.content) == CSV
    report = importing.import_batch_apply(actor=admin_user, batch=batch)
    assert report.ok
    batch.refresh_from_db()
    assert batch.applied_at is not None
    assert bytes(batch.content) == b""  # the file is gone
    assert batch.summary["roles"] == 1  # what was imported is kept
    assert RoleAssignment.objects.filter(person__email="ingrid.solheim@example.no").exists()
    with pytest.raises(ValidationError):
        importing.import_batch_apply(actor=admin_user, batch=batch)


@pytest.mark.django_db
def test_a_file_with_errors_is_kept_for_the_review(admin_user):
    bad = CSV.replace(b"enhetsleder", b"sjef")
    batch = upload(admin_user, bad)
    report = importing.import_batch_apply(actor=admin_user, batch=batch)
    assert not report.ok
    batch.refresh_from_db()
    assert batch.applied_at is None and bytes(batch.content) == bad


@pytest.mark.django_db
def test_the_daily_job_purges_applied_and_abandoned_files(admin_user):
    applied = upload(admin_user)
    # Applied the old way (the view sets applied_at and keeps the file): the job removes it.
    ImportBatch.objects.filter(pk=applied.pk).update(applied_at=timezone.now())
    fresh = upload(admin_user)
    old = upload(admin_user)
    long_ago = timezone.now() - datetime.timedelta(days=importing.IMPORT_FILE_RETENTION_DAYS + 1)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=long_ago)

    assert importing.import_files_purge() == 2
    applied.refresh_from_db()
    assert bytes(applied.content) == b"" and applied.applied_at is not None
    assert ImportBatch.objects.filter(pk=fresh.pk).exists()  # still within its period
    assert not ImportBatch.objects.filter(pk=old.pk).exists()
    assert importing.import_files_purge() == 0  # idempotent


@pytest.mark.django_db
def test_the_retention_job_runs_from_manage_py_daily(admin_user):
    batch = upload(admin_user)
    ImportBatch.objects.filter(pk=batch.pk).update(applied_at=timezone.now())
    out = io.StringIO()
    call_command("daily", "--now", stdout=out)
    assert "Import files: 1 file(s) removed" in out.getvalue()
    batch.refresh_from_db()
    assert bytes(batch.content) == b""


@pytest.mark.django_db
def test_the_purge_touches_every_municipality_but_only_files(admin_user):
    other_admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=UnitFactory().municipality)
    mine, theirs = upload(admin_user), upload(other_admin)
    ImportBatch.objects.filter(pk__in=[mine.pk, theirs.pk]).update(applied_at=timezone.now())
    importing.import_files_purge()
    for batch in (mine, theirs):
        batch.refresh_from_db()
        assert batch.applied_at and bytes(batch.content) == b""
        assert batch.filename == "roller.csv"


@pytest.mark.django_db
def test_evidence_follows_the_measure(unit, party_group):  # noqa: F811
    group = party_group
    measure = advance(new_measure(group, unit), group, "in_trial")
    measure_services.evidence_add(
        actor=group["leader"],
        measure=measure,
        upload=SimpleUploadedFile("notat.txt", b"Sykefravaer ned", content_type="text/plain"),
    )
    evidence = Evidence.objects.get(measure=measure)
    assert bytes(evidence.content) == b"Sykefravaer ned"
    # Kept as long as the measure is kept: the archive export does not remove it.
    # Deleted with the measure (and with its unit or municipality): no orphaned files.
    Measure.objects.filter(pk=measure.pk).delete()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
