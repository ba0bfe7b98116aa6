"""The steering overview in a real browser (issue 11 point 2): a politician opens it on a phone
and on a desktop, the charts are drawn from the same numbers as their tables, the service-area
filter works without JavaScript, and axe finds no violations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    assert_fits,
    assert_no_axe_violations,
    login,
    new_page,
    screenshot,
)
from tests.factories import PASSWORD
from tests.reporting.overview_fixtures import TODAY, build_overview_world
from trepart.reporting import overview as ov

SHOTS = Path("/tmp/shots/ovw")


@pytest.fixture
def world(catalogue, monkeypatch):
    monkeypatch.setattr(ov, "_today", lambda: TODAY)
    return build_overview_world()


def _save(page, name):
    screenshot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(ARTIFACTS / f"{name}.png", SHOTS / f"{name}.png")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_overview_phone_and_desktop(browser, live_server, world, viewport):
    page = new_page(browser, live_server, viewport)
    login(page, world["politician"].email, PASSWORD)
    page.goto(page.base_url + "/steering-group/overview/")
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith(("Styringsoversikt", "Steering overview"))
    )
    # Every chart is drawn by Chart.js from the numbers of its table.
    page.wait_for_function(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".every(c => window.Chart && window.Chart.getChart(c))"
    )
    charts = page.evaluate(
        """() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => {
            const chart = Chart.getChart(c);
            const table = c.closest('.overview-trend').querySelector('table');
            const rows = Array.from(table.tBodies[0].rows).map(
                r => Array.from(r.cells).slice(1).map(td => Number(td.textContent.trim())));
            return {
                label: c.getAttribute('aria-label'),
                data: chart.data.datasets.map(d => d.data),
                table: rows,
            };
        })"""
    )
    assert len(charts) == 4
    for chart in charts:
        assert chart["label"]
        by_column = [list(col) for col in zip(*chart["table"], strict=True)]
        assert chart["data"] == by_column
    # The meetings chart: 0, 0, 0, 2, 3, 1 per quarter (tests/reporting/overview_fixtures.py).
    assert charts[0]["data"] == [[0, 0, 0, 2, 3, 1]]
    assert_no_axe_violations(page, f"overview {viewport['width']}")
    assert_fits(page, f"overview {viewport['width']}")
    name = "overview-phone" if viewport is PHONE else "overview-desktop"
    _save(page, name)

    # The service-area filter is a plain form (works without JavaScript).
    page.select_option("#id_area", label="Oppvekst")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis").or_(page.get_by_role("button", name="Show")).click()
    assert "area=" in page.url
    body = page.locator("main").inner_text()
    assert "Ås skole" in body and "Ulvik omsorg" not in body
    excel = page.locator("a[href*='overview.xlsx']").first
    assert "area=" in excel.get_attribute("href")
    assert_no_axe_violations(page, f"overview filtered {viewport['width']}")
    page.context.close()


def test_overview_refused_to_a_unit_employee(browser, live_server, world):
    page = new_page(browser, live_server, PHONE)
    login(page, world["employee"].email, PASSWORD)
    response = page.goto(page.base_url + "/steering-group/overview/")
    assert response.status == 403
    page.context.close()
