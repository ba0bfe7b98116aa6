"""Checks for uploaded files (issue 15): the size, and the type by the name *and* the content.

Every file field of a form states what it takes as an `UploadRule` and checks the upload in its
`clean_<field>()` with `check_upload()`, so a refusal is a form error next to the field and the
rest of what was typed stays on the page. tests/security/test_uploads.py lists every file field
of the product (a structural test fails for a new one without an entry) and sends each a file
that is too large, one of a wrong type and one whose content does not match its name.

The content check is what the file's use needs: files that are only stored and downloaded as
attachments (with `nosniff`) must start with their format's magic number; text must be text (no
NUL bytes); an Excel file the server parses must be a real workbook, and not a ZIP bomb.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django import forms

CHUNK = 64 * 1024


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    return upload.read(size)


def starts_with(*signatures: bytes) -> Callable:
    """The file starts with one of the magic numbers."""

    def check(upload) -> bool:
        return _head(upload, max(len(s) for s in signatures)).startswith(signatures)

    return check


def plain_text(upload) -> bool:
    """Text in any of the usual encodings: no NUL byte anywhere (binary files have them, text
    in UTF-8 or Windows-1252 never does), and not a ZIP, PDF or executable renamed."""
    if _head(upload, 4).startswith((b"PK\x03\x04", b"%PDF", b"MZ", b"\x7fELF")):
        return False
    upload.seek(0)
    while chunk := upload.read(CHUNK):
        if b"\x00" in chunk:
            return False
    return True


def zip_with(*members: str, max_unpacked: int, max_entries: int = 10_000) -> Callable:
    """A ZIP container (Office Open XML) holding `members`, which unpacks to at most
    `max_unpacked` bytes in at most `max_entries` entries (no ZIP bomb reaches the parser)."""

    def check(upload) -> bool:
        if not _head(upload, 4).startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                entries = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return False
        names = {entry.filename for entry in entries}
        return (
            len(entries) <= max_entries
            and sum(entry.file_size for entry in entries) <= max_unpacked
            and all(member in names for member in members)
        )

    return check


@dataclass(frozen=True)
class UploadRule:
    """What one file field takes: extension → content check, the largest size in bytes (a
    number, or a function read at check time), and its messages. `too_large` may use
    %(size)s and %(max)s (megabytes)."""

    kinds: dict[str, Callable]
    max_bytes: int | Callable[[], int]
    wrong_type: str
    wrong_content: str
    too_large: str

    def limit(self) -> int:
        return self.max_bytes() if callable(self.max_bytes) else self.max_bytes


def extension_of(name: str) -> str:
    name = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(upload, rule: UploadRule):
    """Raise forms.ValidationError unless `upload` is of an allowed type, by its name and its
    content, and no larger than the rule allows. The file is left at its start. Nothing to
    check when there is no file: None, or False when an optional field's "clear" box was
    ticked (ClearableFileInput)."""
    if not upload:
        return upload
    check = rule.kinds.get(extension_of(upload.name or ""))
    if check is None:
        raise forms.ValidationError(rule.wrong_type, code="file_type")
    limit = rule.limit()
    if upload.size > limit:
        raise forms.ValidationError(
            rule.too_large,
            code="file_size",
            params={"size": round(upload.size / 1024 / 1024, 1), "max": limit // 1024 // 1024},
        )
    try:
        if not check(upload):
            raise forms.ValidationError(rule.wrong_content, code="file_content")
    finally:
        upload.seek(0)
    return upload
