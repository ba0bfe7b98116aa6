"""Evaluation evidence (P4): a text or an attachment. Only the agreed file types, checked by
their content (magic numbers), at most 5 MB, and only during or after the trial. Attachments are
downloaded as attachments, never rendered inline."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.measures.conftest import field_tag, logged_in, measure_at, text_of
from trepart.measures import services
from trepart.measures.models import Evidence, MeasureEvent, Stage

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
ZIP = b"PK\x03\x04" + b"\x14\x00" * 10

ALLOWED = [
    ("intervjuer.pdf", PDF, "application/pdf"),
    ("tavle.png", PNG, "image/png"),
    ("tavle.jpg", JPEG, "image/jpeg"),
    ("tavle.JPEG", JPEG, "image/jpeg"),
    (
        "referat.docx",
        ZIP,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("fravaer.xlsx", ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("notater.txt", "Ansatte er fornøyde.\n".encode(), "text/plain"),
    ("fravaer.csv", b"maaned;prosent\njan;9\nfeb;6\n", "text/csv"),
]


@pytest.fixture
def in_trial(unit, party_group):
    return measure_at(party_group, unit, Stage.IN_TRIAL)


def _post(client, measure, name, content, text=""):
    data = {"text": text}
    if name is not None:
        data["upload"] = SimpleUploadedFile(name, content)
    return client.post(reverse("measures:evidence_add", args=[measure.pk]), data)


@pytest.mark.parametrize("name,content,content_type", ALLOWED, ids=[a[0] for a in ALLOWED])
def test_p4_allowed_evidence_is_stored_and_downloadable(
    in_trial, party_group, employee, name, content, content_type
):
    leader = party_group["leader"]
    response = _post(logged_in(leader), in_trial, name, content, text="Fra intervjuene")
    assert response.status_code == 302
    evidence = Evidence.objects.get(measure=in_trial)
    assert (evidence.filename, evidence.size, evidence.text) == (
        name,
        len(content),
        "Fra intervjuene",
    )
    assert evidence.content_type == content_type
    assert in_trial.events.filter(kind=MeasureEvent.Kind.EVIDENCE, comment=name).exists()
    detail = text_of(logged_in(leader).get(reverse("measures:measure_detail", args=[in_trial.pk])))
    url = reverse("measures:evidence_download", args=[evidence.pk])
    assert f'href="{url}"' in detail and name in detail
    # The unit's staff read the measure, so they may read its evidence too.
    for reader in (leader, employee):
        download = logged_in(reader).get(url)
        assert download.status_code == 200
        assert download.content == content
        assert download["Content-Type"].startswith(content_type)
        assert download["Content-Disposition"] == f'attachment; filename="{name}"'
        assert download["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in download["Cache-Control"]


def test_p4_evidence_filename_with_special_characters_downloads(in_trial, party_group):
    leader = party_group["leader"]
    _post(logged_in(leader), in_trial, "Fravær før og etter.pdf", PDF)
    evidence = Evidence.objects.get(measure=in_trial)
    download = logged_in(leader).get(reverse("measures:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''Frav%C3%A6r%20f%C3%B8r%20og%20etter.pdf"
        in download["Content-Disposition"]
    )


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 60, "Files of this type cannot be attached"),
        ("rapport", PDF, "Files of this type cannot be attached"),
        ("side.html", b"<script>alert(1)</script>", "Files of this type cannot be attached"),
        ("rapport.pdf", b"MZ\x90\x00 not a pdf at all", "does not match its name"),
        ("bilde.png", JPEG, "does not match its name"),
        ("referat.docx", PDF, "does not match its name"),
        ("bilde.jpg", b"", "The submitted file is empty."),
    ],
    ids=[
        "exe",
        "no-extension",
        "html",
        "fake-pdf",
        "jpeg-named-png",
        "pdf-named-docx",
        "empty-jpg",
    ],
)
def test_p4_wrong_evidence_file_is_refused_on_the_form(
    in_trial, party_group, name, content, message
):
    response = _post(logged_in(party_group["leader"]), in_trial, name, content)
    assert response.status_code == 400
    body = text_of(response)
    assert message in body
    assert 'aria-invalid="true"' in field_tag(body, "upload")
    assert not Evidence.objects.exists()
    assert not in_trial.events.filter(kind=MeasureEvent.Kind.EVIDENCE).exists()


def test_p4_evidence_larger_than_5_mb_is_refused(in_trial, party_group):
    big = PDF + b"0" * (services.MAX_EVIDENCE_BYTES + 1 - len(PDF))
    assert len(big) == 5 * 1024 * 1024 + 1
    response = _post(logged_in(party_group["leader"]), in_trial, "stor.pdf", big)
    assert response.status_code == 400
    assert "Attach files of at most 5 MB." in text_of(response)
    assert not Evidence.objects.exists()


def test_p4_evidence_of_exactly_5_mb_is_accepted(in_trial, party_group):
    exact = PDF + b"0" * (services.MAX_EVIDENCE_BYTES - len(PDF))
    evidence = services.evidence_add(
        actor=party_group["leader"],
        measure=in_trial,
        upload=SimpleUploadedFile("akkurat.pdf", exact),
    )
    assert evidence.size == services.MAX_EVIDENCE_BYTES


def test_p4_evidence_size_limit_follows_the_setting(in_trial, party_group, monkeypatch):
    monkeypatch.setattr(services, "MAX_EVIDENCE_BYTES", 100)
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(
            actor=party_group["leader"],
            measure=in_trial,
            upload=SimpleUploadedFile("liten.pdf", PDF + b"0" * 100),
        )
    assert "upload" in exc.value.message_dict


def test_p4_text_evidence_has_nothing_to_download(in_trial, party_group):
    leader = party_group["leader"]
    response = _post(logged_in(leader), in_trial, None, b"", text="Tre av fire vil fortsette.")
    assert response.status_code == 302
    evidence = Evidence.objects.get(measure=in_trial)
    assert evidence.filename == "" and evidence.content is None
    detail = text_of(logged_in(leader).get(reverse("measures:measure_detail", args=[in_trial.pk])))
    assert "Tre av fire vil fortsette." in detail
    url = reverse("measures:evidence_download", args=[evidence.pk])
    assert logged_in(leader).get(url).status_code == 404


def test_p4_evidence_needs_text_or_a_file(in_trial, party_group):
    response = _post(logged_in(party_group["leader"]), in_trial, None, b"", text="   ")
    assert response.status_code == 400
    assert "Write the evidence or attach a file." in text_of(response)
    assert not Evidence.objects.exists()


def test_p4_evidence_name_is_stripped_of_any_path(in_trial, party_group):
    upload = SimpleUploadedFile("x.pdf", PDF)
    upload.name = "C:\\Users\\liv\\Documents\\intervjuer.pdf"
    evidence = services.evidence_add(actor=party_group["leader"], measure=in_trial, upload=upload)
    assert evidence.filename == "intervjuer.pdf"


@pytest.mark.parametrize(
    "stage,allowed",
    [
        (Stage.IDEA, False),
        (Stage.PLANNED, False),
        (Stage.IN_TRIAL, True),
        (Stage.EVALUATED, True),
        (Stage.DECIDED, True),
        (Stage.DONE, False),
        (Stage.STOPPED, False),
    ],
)
def test_p4_evidence_only_during_or_after_the_trial(unit, party_group, stage, allowed):
    measure = measure_at(party_group, unit, stage)
    call = lambda: services.evidence_add(  # noqa: E731
        actor=party_group["leader"],
        measure=measure,
        upload=SimpleUploadedFile("intervjuer.pdf", PDF),
    )
    if allowed:
        assert call().filename == "intervjuer.pdf"
    else:
        with pytest.raises(ValidationError) as exc:
            call()
        assert "Evidence is added during or after the trial." in exc.value.messages
        assert not Evidence.objects.exists()
