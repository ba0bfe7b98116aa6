"""The steering overview (P5, issue 11 point 2): figures against hand-computed fixtures, the
service-area filter, who may see it, the Excel file, and the page's charts and tables."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import client_for
from tests.factories import MunicipalityFactory, UnitFactory, person_with_role
from tests.reporting.overview_fixtures import (
    EXPECTED,
    EXPECTED_SUMMARY,
    EXPECTED_TRENDS,
    EXPECTED_TRENDS_OPPVEKST,
    QUARTER_LABELS,
    TODAY,
    build_overview_world,
)
from trepart.inputs.selectors import input_overview
from trepart.measures.models import Stage
from trepart.organisation.models import Role
from trepart.reporting import overview as ov

URL = "/steering-group/overview/"
XLSX = "/steering-group/overview.xlsx"


@pytest.fixture
def overview_world(db):
    return build_overview_world()


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr(ov, "_today", lambda: TODAY)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def _rows_by_key(data, world):
    names = {u.pk: key for key, u in world["units"].items()}
    return {names[r.unit.pk]: r for r in data["rows"]}


def test_urls():
    assert reverse("reporting:overview") == URL
    assert reverse("reporting:overview_xlsx") == XLSX


# --- the figures, computed by hand -------------------------------------------------------------


def test_overview_unit_figures_match_the_records(overview_world, english):
    """R10 (meets regularly), R4 (composition), R20–R21 (input answered in time), R28 (wins),
    R30 (last report), R31–R32 (open questions and their age): every number by hand."""
    data = ov.steering_overview(overview_world["municipality"], today=TODAY)
    rows = _rows_by_key(data, overview_world)
    assert list(rows) == ["U1", "U2", "U3"]  # sorted by name
    for key, expected in EXPECTED.items():
        r = rows[key]
        got = {
            "last_meeting": r.last_meeting,
            "meetings_6m": r.meetings_6m,
            "regular": r.meets_regularly,
            "findings": len(r.findings),
            "received": r.inputs_received,
            "answered": r.inputs_answered,
            "in_time": r.inputs_in_time,
            "share": r.share_in_time,
            "median": r.median_days,
            "waiting": r.inputs_waiting,
            "overdue": r.inputs_overdue,
            "stages": {k: v for k, v in r.stages.items() if v},
            "wins": r.wins,
            "report": r.last_report and ov._report_cell(r)["text"],
            "report_late": r.report_late,
            "report_corrected": r.report_corrected,
            "open_questions": r.open_questions,
            "oldest_days": r.oldest_question_days,
        }
        assert got == expected, key
    assert data["summary"] == EXPECTED_SUMMARY


def test_overview_trends_per_quarter_match_the_records(overview_world, english):
    """Per quarter: meetings held (cancelled and the steering group's own not counted), inputs
    received / answered / answered in time, trials started, measures decided, wins (R28),
    reports sent (R30)."""
    data = ov.steering_overview(overview_world["municipality"], today=TODAY)
    for trend in data["trends"]:
        assert trend["labels"] == QUARTER_LABELS
        got = {s["label"]: s["data"] for s in trend["series"]}
        assert got == EXPECTED_TRENDS[trend["key"]], trend["key"]
        # The table under the chart holds the very same numbers.
        for i, row in enumerate(trend["rows"]):
            assert row["values"] == [s["data"][i] for s in trend["series"]]


def test_overview_filtered_by_service_area(overview_world, english):
    m = overview_world["municipality"]
    helse = ov.steering_overview(m, area=overview_world["helse"], today=TODAY)
    assert [r.unit.name for r in helse["rows"]] == ["Ulvik omsorg", "Vik omsorg"]
    assert helse["summary"]["open_questions"] == 2
    assert helse["trends"][0]["series"][0]["data"] == EXPECTED_TRENDS["meetings"]["Meetings held"]

    oppvekst = ov.steering_overview(m, area=overview_world["oppvekst"], today=TODAY)
    assert [r.unit.name for r in oppvekst["rows"]] == ["Ås skole"]
    assert oppvekst["summary"]["open_questions"] == 1
    assert oppvekst["summary"]["share_in_time"] is None
    trends = {t["key"]: {s["label"]: s["data"] for s in t["series"]} for t in oppvekst["trends"]}
    for key, expected in EXPECTED_TRENDS_OPPVEKST.items():
        assert trends[key] == expected


def test_overview_input_figures_agree_with_the_steering_input_panel(overview_world):
    """The overview and the steering group's input panel (inputs.selectors.input_overview)
    count the same inputs: received, waiting too long and the (rounded) median agree."""
    m = overview_world["municipality"]
    data = ov.steering_overview(m, today=TODAY)
    panel = {r["unit"].pk: r for r in input_overview(m, today=TODAY)["rows"]}
    for r in data["rows"]:
        p = panel[r.unit.pk]
        assert r.inputs_received == p["received"]
        assert r.inputs_overdue == p["overdue"]
        assert r.inputs_answered == p["answered"]
        expected_median = None if r.median_days is None else round(r.median_days)
        assert expected_median == p["median_days"]


def test_quarters_and_months_before():
    labels = [
        (q.year, q.number, q.start.isoformat(), q.end.isoformat()) for q in ov.quarters(TODAY)
    ]
    assert labels[0] == (2025, 1, "2025-01-01", "2025-04-01")
    assert labels[-1] == (2026, 2, "2026-04-01", "2026-07-01")
    assert ov.quarters(TODAY)[-1].current
    import datetime

    assert ov.months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert ov.months_before(datetime.date(2026, 3, 15), 6) == datetime.date(2025, 9, 15)


# --- who may see it -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["politician", "director", "chief_rep", "chief_safety", "admin"])
def test_steering_members_and_admins_see_the_overview(overview_world, frozen_today, who):
    client = client_for(overview_world[who])
    response = client.get(URL)
    assert response.status_code == 200
    assert "Ulvik omsorg" in response.content.decode()
    assert client.get(XLSX).status_code == 200


@pytest.mark.parametrize("who", ["employee", "leader"])
def test_others_are_refused(overview_world, who):
    """Counts across the municipality are for the steering group (R2, R31): a unit's staff and
    its party group are refused, the page and the file."""
    client = client_for(overview_world[who])
    assert client.get(URL).status_code == 403
    assert client.get(XLSX).status_code == 403


def test_anonymous_is_sent_to_log_in(overview_world, client):
    for url in (URL, XLSX):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_another_municipality_sees_only_its_own(overview_world, frozen_today):
    """ARCHITECTURE rule 3: a politician elsewhere never sees these units, not even by asking
    for this municipality's service area."""
    other = MunicipalityFactory(name="Annenvik kommune")
    UnitFactory(municipality=other, name="Annen enhet")
    outsider = person_with_role(Role.POLITICIAN, municipality=other)
    client = client_for(outsider)
    for query in ("", f"?area={overview_world['helse'].pk}"):
        body = client.get(URL + query).content.decode()
        assert "Annen enhet" in body
        assert "Ulvik omsorg" not in body and "Ås skole" not in body
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(XLSX + f"?area={overview_world['helse'].pk}").content)
    )
    names = {c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row}
    assert "Ulvik omsorg" not in names and "Annen enhet" in names


@pytest.mark.parametrize(
    "value", ["abc", "-1", "0", "1.5", "99999999999999999999999", "%00", "<script>", "", " 7 "]
)
def test_junk_area_is_ignored(overview_world, frozen_today, value):
    client = client_for(overview_world["politician"])
    response = client.get(URL, {"area": value})
    assert response.status_code == 200
    assert "Ås skole" in response.content.decode()  # every unit: the filter was ignored
    assert client.get(XLSX, {"area": value}).status_code == 200


def test_post_is_not_allowed(overview_world):
    client = client_for(overview_world["politician"])
    assert client.post(URL).status_code == 405
    assert client.post(XLSX).status_code == 405


# --- the page -----------------------------------------------------------------------------------


def test_page_shows_the_figures_the_filter_and_charts_with_tables(overview_world, frozen_today):
    client = client_for(overview_world["politician"])
    with translation.override("en"):
        response = client.get(URL, {"area": overview_world["helse"].pk}, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Ulvik omsorg" in body and "Vik omsorg" in body and "Ås skole" not in body
    assert f'<option value="{overview_world["helse"].pk}" selected>' in body
    assert f"{XLSX}?area={overview_world['helse'].pk}" in body
    # Every chart reads its numbers from json_script, and has a table with the same numbers.
    canvases = re.findall(
        r'<canvas id="chart-(\w+)" data-chart="([\w-]+)" role="img" aria-label="[^"]+"', body
    )
    assert [key for key, _ in canvases] == ["meetings", "inputs", "measures", "reports"]
    for key, data_id in canvases:
        raw = re.search(rf'<script id="{data_id}" type="application/json">(.*?)</script>', body)
        chart = json.loads(raw.group(1))
        assert (
            chart["labels"]
            == response.context["trends"][
                [t["key"] for t in response.context["trends"]].index(key)
            ]["labels"]
        )
    assert body.count("<table") == 4 + 4  # four unit tables, four trend tables
    assert "vendor/chartjs/chart.umd.min.js" in body
    assert "js/overview-charts.js" in body
    # Counts only: no text of any input on the page (P3).
    assert "Et innspill" not in body


def test_page_has_no_input_texts_and_writes_nothing(overview_world, frozen_today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(overview_world["admin"])
    for url in (URL, XLSX):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        writes = [
            q["sql"]
            for q in ctx.captured_queries
            if re.match(r"^\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
            and "django_session" not in q["sql"]
        ]
        assert writes == []


def test_steering_group_page_links_to_the_overview(overview_world):
    steering = client_for(overview_world["politician"]).get("/steering-group/").content.decode()
    assert URL in steering
    employee = client_for(overview_world["employee"]).get("/steering-group/")
    assert employee.status_code == 200
    assert URL not in employee.content.decode()


# --- the Excel file -----------------------------------------------------------------------------


def _sheet_rows(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_excel_has_the_same_figures(overview_world, frozen_today):
    client = client_for(overview_world["director"])
    response = client.get(XLSX)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert (
        'filename="styringsoversikt-handvik-kommune-2026-05-15.xlsx"'
        in response["Content-Disposition"]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheets = workbook.worksheets
    # About + four unit tables + four trends, each sheet named in full (Excel: ≤ 31 characters).
    assert len(sheets) == 9
    names = ["Meetings and composition", "Input from staff", "Measures and wins"]
    names += ["Reports and questions", "Trend – meetings", "Trend – input", "Trend – measures"]
    names += ["Trend – reports"]
    with translation.override("nb"):  # the file's headers are Norwegian (bokmål by default)
        assert [ws.title for ws in sheets][1:] == [translation.gettext(n) for n in names]
    assert all(len(ws.title) <= 31 for ws in sheets)
    meetings, inputs, measures, reports = sheets[1:5]
    m = {row[0]: row for row in _sheet_rows(meetings)[1:]}
    assert m["Ulvik omsorg"][2].date() == EXPECTED["U1"]["last_meeting"]
    assert [m[name][3] for name in ("Ulvik omsorg", "Vik omsorg", "Ås skole")] == [3, 2, 0]
    assert m["Ås skole"][2] is None
    i = {row[0]: row[1:] for row in _sheet_rows(inputs)[1:]}
    assert i["Ulvik omsorg"] == [4, 2, 1, 0.5, 12, 1]
    assert i["Vik omsorg"] == [3, 3, 2, 0.67, 7, 0]
    assert i["Ås skole"] == [0, 0, 0, None, None, 0]
    s = {row[0]: row[1:] for row in _sheet_rows(measures)[1:]}
    stages = [Stage.IDEA, Stage.PLANNED, Stage.IN_TRIAL, Stage.EVALUATED, Stage.DECIDED]
    stages += [Stage.DONE, Stage.STOPPED]
    for key, name in (("U1", "Ulvik omsorg"), ("U2", "Vik omsorg"), ("U3", "Ås skole")):
        expected = [EXPECTED[key]["stages"].get(st, 0) for st in stages] + [EXPECTED[key]["wins"]]
        assert s[name] == expected
    r = {row[0]: row[1:] for row in _sheet_rows(reports)[1:]}
    assert r["Ulvik omsorg"][2:4] == [2, 30]
    assert r["Ulvik omsorg"][1].date().isoformat() == "2026-04-25"
    assert r["Ulvik omsorg"][4]  # the note: sent late, corrected
    assert r["Vik omsorg"][2:5] == [0, None, None]
    assert all(row[0] for row in _sheet_rows(reports)[1:])  # no empty rows
    assert r["Ås skole"][2:4] == [1, 1]
    # The trends, one sheet each, a row per quarter.
    trend_sheets = sheets[5:]
    for sheet, key in zip(trend_sheets, ["meetings", "inputs", "measures", "reports"], strict=True):
        rows = _sheet_rows(sheet)
        columns = list(zip(*[row[1:] for row in rows[1:]], strict=True))
        assert [list(c) for c in columns] == list(EXPECTED_TRENDS[key].values()), key
        assert len(rows) == 1 + len(QUARTER_LABELS)


def test_excel_headers_are_norwegian_and_the_filter_applies(overview_world, frozen_today):
    client = client_for(overview_world["politician"])
    response = client.get(XLSX, {"area": overview_world["oppvekst"].pk})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    units = {row[0] for ws in workbook.worksheets[1:5] for row in _sheet_rows(ws)[1:]}
    assert units == {"Ås skole"}
    about = _sheet_rows(workbook.worksheets[0])
    assert about[1][1] == "Oppvekst"
    # Bokmål: the words in the file are the catalogue's (never the English msgids' language
    # code): the header of the first column is "Enhet" once the catalogue has it.
    assert workbook.worksheets[1]["A1"].value in ("Enhet", "Unit")


# --- the demo -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_overview_on_the_demo_agrees_with_the_input_panel():
    """`manage.py load_demo`: the overview opens for a politician and its input figures are the
    steering group's input panel's (the overview reads what the other demo data creates)."""
    import io as _io

    from django.core.management import call_command

    from trepart.accounts.models import User
    from trepart.demo.organisation import email_for

    call_command("load_demo", stdout=_io.StringIO())
    politician = User.objects.get(email=email_for("Tore Fjeld"))
    response = client_for(politician).get(URL)
    assert response.status_code == 200
    panel = {r["unit"].pk: r for r in input_overview(politician.municipality)["rows"]}
    assert response.context["rows"]
    for r in response.context["rows"]:
        assert r.inputs_received == panel[r.unit.pk]["received"]
        assert r.inputs_overdue == panel[r.unit.pk]["overdue"]
    assert client_for(politician).get(XLSX).status_code == 200
