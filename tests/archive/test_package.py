"""The archive package (issue 13 part 4, P8): opened and checked — the XML parses, every
referenced file exists with the right SHA-256 and size, only the admin's own municipality, no
drafts — and the period form's refusals."""

from __future__ import annotations

import datetime
import hashlib
import html
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.archive.conftest import assert_pdfa, logged_in, open_zip, period_post
from trepart.archive import package, selectors

NS = {"n": package.NOARK_NS, "i": package.INFO_NS}
URL = "/manage/archive/"


def download(user, data=None):
    return logged_in(user).post(URL, data or period_post())


@pytest.mark.django_db
def test_the_package_is_complete_and_consistent(world, foreign):
    response = download(world["admin"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    archive = open_zip(response.content)
    names = set(archive.namelist())
    assert {"info.xml", "arkivstruktur.xml"} <= names
    assert all(
        n.startswith("dokumenter/") and n.endswith(".pdf")
        for n in names - {"info.xml", "arkivstruktur.xml"}
    )

    root = ET.fromstring(archive.read("arkivstruktur.xml"))
    assert root.tag == f"{{{package.NOARK_NS}}}arkiv"
    objects = root.findall(".//n:dokumentobjekt", NS)
    # Minutes v1 and v2, the sent report, the decided measure.
    assert len(objects) == 4
    referenced = set()
    for obj in objects:
        name = obj.findtext("n:referanseDokumentfil", namespaces=NS)
        data = archive.read(name)  # KeyError if missing
        assert obj.findtext("n:sjekksum", namespaces=NS) == hashlib.sha256(data).hexdigest()
        assert obj.findtext("n:sjekksumAlgoritme", namespaces=NS) == "SHA-256"
        assert int(obj.findtext("n:filstoerrelse", namespaces=NS)) == len(data)
        assert obj.findtext("n:format", namespaces=NS) == "fmt/477"
        assert obj.findtext("n:variantformat", namespaces=NS) == "Arkivformat"
        referenced.add(name)
    assert referenced == names - {"info.xml", "arkivstruktur.xml"}

    # arkiv > arkivdel > klassifikasjonssystem > klasse > mappe > registrering.
    part = root.find("n:arkivdel", NS)
    assert part.findtext("n:arkivperiodeStartDato", namespaces=NS) == period_post()["start"]
    klasser = part.findall("n:klassifikasjonssystem/n:klasse", NS)
    assert [k.findtext("n:tittel", namespaces=NS) for k in klasser] == ["Solsiden sykehjem"]
    registreringer = root.findall(".//n:mappe/n:registrering", NS)
    assert len(registreringer) == 3  # the meeting (2 versions), the report, the measure
    for r in registreringer:
        for field in ("systemID", "tittel", "opprettetDato", "opprettetAv", "arkivertDato"):
            assert r.findtext(f"n:{field}", namespaces=NS), field
    minutes = next(
        r for r in registreringer if "Partsgruppemøte mars" in r.findtext("n:tittel", namespaces=NS)
    )
    versions = minutes.findall("n:dokumentbeskrivelse/n:dokumentobjekt", NS)
    assert [v.findtext("n:versjonsnummer", namespaces=NS) for v in versions] == ["1", "2"]
    assert "Rettet skrivefeil." in minutes.findtext("n:merknad/n:merknadstekst", namespaces=NS)
    # opprettetAv: the person with the role held then (R5), never the union (GDPR art. 9).
    created_by = minutes.findtext("n:opprettetAv", namespaces=NS)
    assert "Liv Leder" in created_by and "Solsiden sykehjem" in created_by

    # Only this municipality; no drafts.
    xml_text = archive.read("arkivstruktur.xml").decode()
    assert "Annenby" not in xml_text and "Fremmed" not in xml_text
    assert "Utkast som ikke er publisert" not in xml_text
    assert "Ny idé uten vedtak" not in xml_text

    info = ET.fromstring(archive.read("info.xml"))
    assert info.findtext("i:arkivskaper", namespaces=NS) == "Fjordby kommune"
    assert info.findtext("i:antall/i:referater", namespaces=NS) == "2"
    assert info.findtext("i:antall/i:rapporter", namespaces=NS) == "1"
    assert info.findtext("i:antall/i:tiltak", namespaces=NS) == "1"
    listed = {f.get("navn"): f for f in info.findall("i:filer/i:fil", NS)}
    assert set(listed) == names - {"info.xml"}
    for name, entry in listed.items():
        data = archive.read(name)
        assert entry.get("sjekksum") == hashlib.sha256(data).hexdigest()
        assert int(entry.get("filstoerrelse")) == len(data)

    # Every document is PDF/A.
    for name in referenced:
        assert_pdfa(archive.read(name))


@pytest.mark.django_db
def test_system_ids_are_stable_between_extracts(world):
    first = ET.fromstring(open_zip(download(world["admin"]).content).read("arkivstruktur.xml"))
    second = ET.fromstring(open_zip(download(world["admin"]).content).read("arkivstruktur.xml"))
    ids = [e.text for e in first.iter(f"{{{package.NOARK_NS}}}systemID")]
    assert ids == [e.text for e in second.iter(f"{{{package.NOARK_NS}}}systemID")]
    assert len(ids) == len(set(ids))


@pytest.mark.django_db
def test_the_other_municipality_gets_only_its_own(world, foreign):
    archive = open_zip(download(foreign["admin"]).content)
    text = archive.read("arkivstruktur.xml").decode()
    assert "Fremmed møte" in text and "Annenby barnehage" in text
    assert "Solsiden" not in text and "Partsgruppemøte mars" not in text


@pytest.mark.django_db
def test_an_erased_person_is_shown_by_role(world, monkeypatch):
    leader = world["group"]["leader"]
    monkeypatch.setattr(selectors, "is_erased", lambda person: person.pk == leader.pk)
    text = open_zip(download(world["admin"]).content).read("arkivstruktur.xml").decode()
    assert "Liv Leder" not in text
    assert "Unit leader, Solsiden sykehjem" in text or "Enhetsleder, Solsiden sykehjem" in text


@pytest.mark.django_db
def test_the_erased_at_field_is_honoured_when_it_exists(world):
    from trepart.accounts.models import User

    if not any(f.name == "erased_at" for f in User._meta.get_fields()):
        pytest.skip("accounts.User has no erased_at field (personal data app)")
    leader = world["group"]["leader"]
    User.objects.filter(pk=leader.pk).update(erased_at=timezone.now())
    text = open_zip(download(world["admin"]).content).read("arkivstruktur.xml").decode()
    assert "Liv Leder" not in text


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "employee", "safety"])
def test_only_the_municipal_admin_may_export(world, who):
    user = world["employee"] if who == "employee" else world["group"][who]
    client = logged_in(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, period_post()).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start": "", "end": "2026-03-31"}, "start"),
        ({"start": "2026-01-01", "end": ""}, "end"),
        ({"start": "abc", "end": "2026-03-31"}, "start"),
        ({"start": "2026-02-30", "end": "2026-03-31"}, "start"),
        ({"start": "2026-03-31", "end": "2026-01-01"}, "end"),
        ({"start": "1999-01-01", "end": "2026-01-01"}, "start"),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "end"),
        ({"start": "9999-12-31", "end": "9999-12-31"}, "start"),
        ({"start": "x" * 10000, "end": "\x00"}, "start"),
    ],
)
def test_a_bad_period_is_refused_by_the_field(world, data, field):
    response = logged_in(world["admin"]).post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    # What was typed is kept.
    if data["start"] and "\x00" not in data["end"] and len(data["start"]) < 20:
        assert f'value="{data["start"]}"' in response.content.decode()


@pytest.mark.django_db
def test_errors_are_in_norwegian(world):
    response = logged_in(world["admin"]).post(URL, {"start": "2026-03-31", "end": "2026-01-01"})
    assert response.status_code == 400
    with translation.override("nb"):  # bokmål is the default language of the interface
        expected = gettext("The period must end on or after its first day.")
    assert html.escape(expected) in response.content.decode()


@pytest.mark.django_db
def test_an_empty_period_is_explained(world):
    response = download(
        world["admin"], period_post(datetime.date(2010, 1, 1), datetime.date(2010, 12, 31))
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_too_many_documents_asks_for_a_shorter_period(world, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_DOCUMENTS", 2)
    response = download(world["admin"])
    assert response.status_code == 400
    assert response.context["form"].errors["end"]


@pytest.mark.django_db
def test_the_page_and_the_card(world):
    client = logged_in(world["admin"])
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="start"' in page.content.decode()
    manage = client.get(reverse("organisation:manage")).content.decode()
    assert 'href="/manage/archive/"' in manage
    # Not for others.
    assert (
        'href="/manage/archive/"'
        not in logged_in(world["group"]["leader"]).get("/").content.decode()
    )


@pytest.mark.django_db
def test_the_page_has_no_inline_script_or_style(world):
    """The Content Security Policy has no 'unsafe-inline'."""
    import re

    body = logged_in(world["admin"]).get(URL).content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    assert not re.search(r"<script(?![^>]*\bsrc=)", main)
    assert "<style" not in main and " style=" not in main
    assert not re.search(r"\son[a-z]+=", main)
    assert "css/archive.css" in body


@pytest.mark.django_db
def test_an_admin_with_only_a_password_passes_the_second_factor_first(world):
    from tests.archive.conftest import PASSWORD_BACKEND

    client = logged_in(world["admin"], backend=PASSWORD_BACKEND)
    response = client.post(URL, period_post())
    assert response.status_code == 302
    assert "/sso/second-factor/" in response["Location"]


@pytest.mark.django_db
def test_control_characters_do_not_break_the_xml(world):
    """A vertical tab (Word's Shift+Enter) is kept by Django forms; XML 1.0 cannot hold it, so
    the package would not parse in the archive (rev2 #5)."""
    from trepart.meetings.models import Meeting, MinutesVersion

    MinutesVersion.objects.filter(number=2).update(change_note="Rettet navn\x0bny linje\x0c")
    Meeting.objects.filter(pk__in=MinutesVersion.objects.values("meeting")).update(
        title="Partsgruppe\x0bmøte\x01"
    )
    archive = open_zip(download(world["admin"]).content)
    root = ET.fromstring(archive.read("arkivstruktur.xml"))  # well-formed
    texts = [e.text or "" for e in root.iter()]
    assert any("Rettet navnny linje" in t for t in texts)
    assert any("Partsgruppemøte" in t for t in texts)


def test_el_drops_xml_illegal_characters():
    root = ET.Element("root")
    element = package._el(root, "tittel", "a\x00b\x08c\x0bd\x0ce\x1ff\ufffeg\th\nij")
    assert element.text == "abcdefg\th\nij"
    ET.fromstring(ET.tostring(root))  # well-formed


@pytest.mark.django_db
def test_an_empty_post_shows_the_field_errors(world):
    """An empty POST is a bound form with errors, not a silent unbound form (rev2 #7)."""
    response = logged_in(world["admin"]).post(URL, {})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.is_bound and form.errors.get("start") and form.errors.get("end")
    assert "ds-validation-message" in response.content.decode()
