"""The archive package: a zip the municipality's archive can import, "Noark 5-style".

    trepart-arkiv-<municipality>-<from>-<to>.zip
    ├── info.xml             what the extract is: municipality, period, system, who, when,
    │                        counts, and every file with its SHA-256 and size
    ├── arkivstruktur.xml    arkiv > arkivdel > klassifikasjonssystem > klasse (one per group:
    │                        a unit's party group, or the steering group) > mappe (one per kind:
    │                        minutes, reports, decision records) > registrering (one per meeting,
    │                        report or measure) > dokumentbeskrivelse > dokumentobjekt (one per
    │                        version in the period: versjonsnummer, referanseDokumentfil,
    │                        sjekksum, sjekksumAlgoritme, format, filstoerrelse)
    └── dokumenter/*.pdf     the documents as PDF/A-2b

The format is documented in docs/archive.md. systemID values are UUIDs derived from the record's
identity (uuid5), so the same meeting, report or measure has the same systemID in every extract
and an archive can recognise a document it already holds.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections import OrderedDict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.archive import pdfa, selectors
from trepart.meetings.exports import _file_slug

NOARK_NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
INFO_NS = "https://trepart.no/xml/arkivuttrekk/1"
SYSTEM_NAME = "Trepart"
_UUID_NS = uuid.UUID("6f1f7a43-6a3c-4f5e-9b1e-2a7d3c1e9b10")

# Noark 5 code values (arkivstruktur's code lists are Norwegian whatever the reader's language).
MAPPE_TITLES = {
    "minutes": "Møtereferater",
    "report": "Rapporter til styringsgruppa",
    "measure": "Tiltak: vedtaksdokumentasjon",
}
DOKUMENTTYPE = {
    "minutes": "Møtereferat",
    "report": "Rapport",
    "measure": "Vedtaksdokumentasjon",
}


class PeriodTooLarge(Exception):
    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


class NothingToArchive(Exception):
    pass


def system_id(*parts) -> str:
    return str(uuid.uuid5(_UUID_NS, ":".join(str(p) for p in parts)))


def _iso(moment) -> str:
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat()


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _el(parent, tag: str, text=None, ns: str = NOARK_NS, **attrs):
    element = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        text = _iso(text) if isinstance(text, datetime.date) else str(text)
        # XML 1.0 cannot hold most control characters (a vertical tab from Word's Shift+Enter
        # is kept by Django forms); ElementTree writes them as they are and the archive could
        # not read the file. They carry no meaning: drop them.
        element.text = _XML_ILLEGAL.sub("", text)
    return element


def _xml_bytes(root) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _render(document: selectors.ArchiveDocument) -> bytes:
    if document.kind == "minutes":
        return pdfa.minutes_pdfa(document.obj, document.version_obj)
    if document.kind == "report":
        return pdfa.report_pdfa(document.obj, document.version_obj)
    return pdfa.measure_pdfa(document.obj)


def _filename(document: selectors.ArchiveDocument) -> str:
    if document.kind == "minutes":
        return pdfa.minutes_filename(document.obj, document.version_obj)
    if document.kind == "report":
        return pdfa.report_filename(document.obj, document.version_obj)
    return pdfa.measure_filename(document.obj)


def package_filename(municipality, start: datetime.date, end: datetime.date) -> str:
    return f"trepart-arkiv-{_file_slug(municipality.name)}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.zip"


def build_package(*, actor, start: datetime.date, end: datetime.date) -> bytes:
    """The zip for the actor's municipality and the period (the caller checks that the actor is
    its municipal administrator; the documents come from the actor's visible querysets)."""
    municipality = actor.municipality
    with pdfa.in_archive_language(municipality):
        documents = selectors.period_documents(actor, start, end)
        if not documents:
            raise NothingToArchive
        if len(documents) > selectors.MAX_DOCUMENTS:
            raise PeriodTooLarge(len(documents))
        now = timezone.now()
        made_by = selectors.creator_label(actor, timezone.localdate(now))
        files: OrderedDict[str, bytes] = OrderedDict()
        entries = []
        for document in documents:
            name = "dokumenter/" + _filename(document)
            while name in files:  # two meetings with the same title on the same day
                name = name[: -len(".pdf")] + "-2.pdf"
            data = _render(document)
            files[name] = data
            entries.append((document, name, data))
        structure = arkivstruktur(municipality, start, end, entries, now=now, made_by=made_by)
        info = info_xml(
            municipality,
            start,
            end,
            {"arkivstruktur.xml": structure, **files},
            documents,
            now=now,
            made_by=made_by,
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("info.xml", info)
        archive.writestr("arkivstruktur.xml", structure)
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def arkivstruktur(municipality, start, end, entries, *, now, made_by: str) -> bytes:
    ET.register_namespace("", NOARK_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(f"{{{NOARK_NS}}}arkiv")
    _el(root, "systemID", system_id("arkiv", municipality.pk))
    _el(root, "tittel", _("Tripartite cooperation in %(name)s") % {"name": municipality.name})
    _el(root, "arkivstatus", "Avsluttet")
    _el(root, "dokumentmedium", "Elektronisk arkiv")
    _el(root, "opprettetDato", now)
    _el(root, "opprettetAv", made_by)
    part = _el(root, "arkivdel")
    _el(part, "systemID", system_id("arkivdel", municipality.pk, start, end))
    _el(
        part,
        "tittel",
        _("Extract from %(system)s, %(start)s–%(end)s")
        % {
            "system": SYSTEM_NAME,
            "start": start.strftime("%d.%m.%Y"),
            "end": end.strftime("%d.%m.%Y"),
        },
    )
    _el(part, "arkivdelstatus", "Avsluttet periode")
    _el(part, "dokumentmedium", "Elektronisk arkiv")
    _el(part, "opprettetDato", now)
    _el(part, "opprettetAv", made_by)
    _el(part, "arkivperiodeStartDato", start)
    _el(part, "arkivperiodeSluttDato", end)
    system = _el(part, "klassifikasjonssystem")
    _el(system, "systemID", system_id("klassifikasjonssystem", municipality.pk))
    _el(system, "klassifikasjonstype", "Trepart: grupper")
    _el(system, "tittel", _("Groups"))
    _el(system, "opprettetDato", now)
    _el(system, "opprettetAv", made_by)

    # klasse per group, mappe per kind, registrering per record, dokumentobjekt per version.
    groups: OrderedDict = OrderedDict()
    for document, name, data in sorted(
        entries, key=lambda e: (e[0].group_key != "steering", e[0].group_title, e[0].group_key)
    ):
        group = groups.setdefault(document.group_key, {"title": document.group_title, "kinds": {}})
        kind = group["kinds"].setdefault(document.kind, OrderedDict())
        kind.setdefault(document.key, []).append((document, name, data))

    for group_key, group in groups.items():
        klasse = _el(system, "klasse")
        _el(klasse, "systemID", system_id("klasse", municipality.pk, group_key))
        _el(klasse, "klasseID", group_key.replace(":", "-"))
        _el(klasse, "tittel", group["title"])
        _el(klasse, "opprettetDato", now)
        _el(klasse, "opprettetAv", made_by)
        for kind in ("minutes", "report", "measure"):
            records = group["kinds"].get(kind)
            if not records:
                continue
            mappe = _el(klasse, "mappe")
            _el(mappe, "systemID", system_id("mappe", municipality.pk, group_key, kind))
            _el(mappe, "mappeID", f"{group_key.replace(':', '-')}-{kind}")
            _el(mappe, "tittel", f"{MAPPE_TITLES[kind]}: {group['title']}")
            _el(mappe, "opprettetDato", now)
            _el(mappe, "opprettetAv", made_by)
            for key, versions in records.items():
                _registrering(mappe, municipality, key, versions, now=now, made_by=made_by)
    return _xml_bytes(root)


def _registrering(mappe, municipality, key, versions, *, now, made_by):
    first = versions[0][0]
    registrering = _el(mappe, "registrering")
    _el(registrering, "systemID", system_id("registrering", municipality.pk, key))
    _el(registrering, "opprettetDato", first.created_on)
    _el(registrering, "opprettetAv", first.created_by)
    _el(registrering, "arkivertDato", now)
    _el(registrering, "arkivertAv", made_by)
    _el(registrering, "tittel", first.title)
    description = _el(registrering, "dokumentbeskrivelse")
    _el(description, "systemID", system_id("dokumentbeskrivelse", municipality.pk, key))
    _el(description, "dokumenttype", DOKUMENTTYPE[first.kind])
    _el(description, "dokumentstatus", "Dokumentet er ferdigstilt")
    _el(description, "tittel", first.title)
    _el(description, "opprettetDato", first.created_on)
    _el(description, "opprettetAv", first.created_by)
    _el(description, "tilknyttetRegistreringSom", "Hoveddokument")
    _el(description, "dokumentnummer", 1)
    _el(description, "tilknyttetDato", now)
    _el(description, "tilknyttetAv", made_by)
    for document, name, data in versions:
        obj = _el(description, "dokumentobjekt")
        _el(obj, "versjonsnummer", document.version)
        _el(obj, "variantformat", "Arkivformat")
        _el(obj, "format", pdfa.PDFA_PRONOM)
        _el(obj, "formatDetaljer", pdfa.PDFA_NAME)
        _el(obj, "opprettetDato", document.version_at)
        _el(obj, "opprettetAv", document.version_by)
        _el(obj, "referanseDokumentfil", name)
        _el(obj, "sjekksum", hashlib.sha256(data).hexdigest())
        _el(obj, "sjekksumAlgoritme", "SHA-256")
        _el(obj, "filstoerrelse", len(data))
    notes = [d for d, _name, _data in versions if d.note]
    for document in notes:
        merknad = _el(registrering, "merknad")
        _el(merknad, "merknadstekst", document.note)
        _el(
            merknad,
            "merknadstype",
            _("What was corrected in version %(number)s") % {"number": document.version},
        )
        _el(merknad, "merknadsdato", document.version_at)
        _el(merknad, "merknadRegistrertAv", document.version_by)


def info_xml(municipality, start, end, files: dict, documents, *, now, made_by: str) -> bytes:
    ET.register_namespace("", INFO_NS)
    root = ET.Element(f"{{{INFO_NS}}}arkivuttrekk")
    ns = INFO_NS
    _el(root, "system", SYSTEM_NAME, ns=ns)
    version = getattr(settings, "TREPART_VERSION", "")
    if version:
        _el(root, "systemversjon", version, ns=ns)
    _el(root, "standard", "Noark 5-stil (arkivstruktur), se docs/archive.md", ns=ns)
    _el(root, "arkivskaper", municipality.name, ns=ns)
    if getattr(municipality, "number", ""):
        _el(root, "kommunenummer", municipality.number, ns=ns)
    _el(root, "periodeFra", start, ns=ns)
    _el(root, "periodeTil", end, ns=ns)
    _el(root, "opprettetDato", now, ns=ns)
    _el(root, "opprettetAv", made_by, ns=ns)
    _el(root, "spraak", pdfa.archive_language(municipality), ns=ns)
    counts = _el(root, "antall", ns=ns)
    for kind, label in (("minutes", "referater"), ("report", "rapporter"), ("measure", "tiltak")):
        _el(counts, label, sum(1 for d in documents if d.kind == kind), ns=ns)
    listing = _el(root, "filer", ns=ns)
    for name, data in files.items():
        _el(
            listing,
            "fil",
            ns=ns,
            navn=name,
            sjekksum=hashlib.sha256(data).hexdigest(),
            sjekksumAlgoritme="SHA-256",
            filstoerrelse=str(len(data)),
            format="application/xml" if name.endswith(".xml") else pdfa.PDFA_NAME,
        )
    return _xml_bytes(root)
