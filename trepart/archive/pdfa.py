"""Documents for the archive as PDF/A-2b (issue 13 part 4, PRODUCT P8).

PDF/A-2b (ISO 19005-2, level B): WeasyPrint 70 writes it with `pdf_variant="pdf/a-2b"`: the
PDF/A identification in the XMP metadata (pdfaid:part 2, pdfaid:conformance B), an sRGB output
intent with its ICC profile, and every font embedded (subset, FontFile2). The HTML has no
external resources; the fetcher refuses any (user text is escaped by the templates anyway), so
no font or image can come from outside.

- Minutes: the minutes' own export HTML (`meetings.exports.minutes_html`), built from one
  published `MinutesVersion` only (R30): a draft or a correction never reaches the archive.
- A report: one sent `ReportVersion` (R30), the figures and the group's words as sent.
- A measure's decision record: what was decided, by which group, where it came from, the plan
  (R24, R27), the risk assessment (R26), the trial and evaluation (R25) and the decision line's
  outcome (R29), as the measure stands when the record is made.

Archive documents are rendered in the municipality's default language (the language its archive
is kept in), whoever asks for them.
"""

from __future__ import annotations

import contextlib

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language

from trepart.archive import selectors
from trepart.meetings import exports as meeting_exports
from trepart.meetings.exports import ExportUnavailable

__all__ = [
    "PDFA_VARIANT",
    "ExportUnavailable",
    "measure_pdfa",
    "minutes_pdfa",
    "render_pdfa",
    "report_pdfa",
]

PDFA_VARIANT = "pdf/a-2b"
# PRONOM's identifier of PDF/A-2b, used in the package's `format` element.
PDFA_PRONOM = "fmt/477"
PDFA_NAME = "PDF/A-2b (ISO 19005-2:2011)"


def archive_language(municipality) -> str:
    return municipality.default_language or "nb"


@contextlib.contextmanager
def in_archive_language(municipality):
    with translation.override(archive_language(municipality)):
        yield


def render_pdfa(html: str) -> bytes:
    try:
        import weasyprint  # lazily: importing it loads the system's Pango
    except (ImportError, OSError) as exc:
        raise ExportUnavailable(str(exc)) from exc
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDFA_VARIANT, pdf_tags=True)


def minutes_pdfa(meeting, version) -> bytes:
    """The minutes' own PDF rendering (meetings.exports), written as PDF/A."""
    with in_archive_language(meeting.municipality):
        return render_pdfa(meeting_exports.minutes_html(meeting, version))


def report_pdfa(report, version) -> bytes:
    with in_archive_language(report.municipality):
        html = render_to_string(
            "archive/pdf/report.html",
            {"r": selectors.report_record(report, version), "lang": get_language()},
        )
        return render_pdfa(html)


def measure_pdfa(measure) -> bytes:
    with in_archive_language(measure.municipality):
        html = render_to_string(
            "archive/pdf/measure.html",
            {
                "m": selectors.measure_record(measure),
                "lang": get_language(),
                "made_at": timezone.localtime(),
            },
        )
        return render_pdfa(html)


# --- file names ---------------------------------------------------------------------------------


def minutes_filename(meeting, version) -> str:
    """E.g. referat-partsgruppemote-2026-03-03-v2.pdf"""
    name = meeting_exports.minutes_filename(meeting, version, "pdf")
    return name[: -len(".pdf")] + f"-v{version.number}.pdf"


def report_filename(report, version) -> str:
    slug = meeting_exports._file_slug(report.unit.name)
    return f"rapport-{slug}-{report.period_start:%Y-%m-%d}-v{version.number}.pdf"


def measure_filename(measure) -> str:
    slug = meeting_exports._file_slug(measure.title)
    return f"tiltak-{measure.pk}-{slug}.pdf"
