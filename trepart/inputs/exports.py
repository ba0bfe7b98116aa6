"""The QR-code poster for the break room (P3): an A4 PDF with the unit's anonymous link."""

from __future__ import annotations

import segno
from django.template.loader import render_to_string
from django.utils.translation import get_language

from trepart.meetings.exports import ExportUnavailable

__all__ = ["ExportUnavailable", "poster_html", "poster_pdf", "qr_svg"]


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (error correction M: survives a coffee stain)."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=10, border=2, dark="#000", light="#fff", omitsize=True)


def poster_html(unit, url: str) -> str:
    return render_to_string(
        "inputs/export/poster.html",
        {
            "unit": unit,
            "url": url,
            "qr": qr_svg(url),
            "answer_days": unit.municipality.input_answer_days,
            "lang": get_language() or "nb",
        },
    )


def poster_pdf(unit, url: str) -> bytes:
    html = poster_html(unit, url)
    try:
        import weasyprint  # lazily: importing it loads the system's Pango
    except (ImportError, OSError) as exc:
        raise ExportUnavailable(str(exc)) from exc
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_tags=True)
