"""Issue 14: `make bench`'s pure parts — percentiles, the ratio table against the floor, the
chart — and the fixed page mix. Nothing here measures a time."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from bench import report
from bench.load import FLOOR_EVERY, key_pages, schedule, server_timing, totp
from bench.report import FLOOR, Row, Sample, percentile, summarize, with_ratios

MANIFEST = {
    "users": {"unit_leader": "a@x.test", "politician": "p@x.test", "municipal_admin": "m@x.test"},
    "unit_id": 7,
    "meeting_id": 70,
    "search_terms": ["turnus", "dusjstol"],
}


def test_percentile_interpolates_between_ranks_like_numpy():
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 100


def test_percentile_of_one_value_and_of_none():
    assert percentile([42.0], 99) == 42.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_percentile_does_not_depend_on_order():
    assert percentile([5, 1, 4, 2, 3], 50) == 3


def samples(times, queries=5, status=200, server=None):
    return [Sample(t, status, queries, server if server is not None else t / 2) for t in times]


def test_summarize_counts_errors_and_distinct_query_counts():
    data = samples([10, 20, 30]) + [Sample(40, 302, 5), Sample(50, 200, 6)]
    row = summarize("home", "/", 3.0, data)
    assert row.samples == 5
    assert row.errors == 1
    assert row.p50 == 30
    assert row.queries == [5, 6]
    assert row.queries_vary
    assert row.queries_text == "5–6 (varies)"


def test_summarize_with_one_query_count_does_not_flag_it():
    row = summarize("home", "/", 3.0, samples([10, 20], queries=9))
    assert row.queries == [9]
    assert not row.queries_vary
    assert row.queries_text == "9"


def test_ratio_is_page_p95_over_floor_p95_of_the_same_rows():
    rows = with_ratios(
        [
            summarize(FLOOR, "/ping/", None, samples([10] * 100)),
            summarize("home", "/", 3.0, samples([25] * 100)),
            summarize("overview", "/o/", 5.0, samples([45] * 100)),
            summarize("slow", "/s/", 3.0, samples([31] * 100)),
        ]
    )
    floor, home, overview, slow = rows
    assert floor.ratio == 1.0
    assert floor.met is None  # the floor has no target
    assert home.ratio == pytest.approx(2.5) and home.met is True
    assert overview.ratio == pytest.approx(4.5) and overview.met is True
    assert slow.ratio == pytest.approx(3.1) and slow.met is False
    assert report.misses(rows) == [slow]
    assert home.server_ratio == pytest.approx(2.5)


def test_a_page_with_errors_misses_even_when_fast():
    rows = with_ratios(
        [
            summarize(FLOOR, "/ping/", None, samples([10] * 10)),
            summarize("broken", "/b/", 3.0, samples([10] * 9) + [Sample(10, 500, 5)]),
        ]
    )
    assert rows[1].met is False
    assert "MISS (errors)" in report.markdown_table(rows)


def test_without_a_floor_there_is_no_ratio():
    rows = with_ratios([summarize("home", "/", 3.0, samples([10]))])
    assert math.isnan(rows[0].ratio)
    assert rows[0].met is None


def table_rows():
    return with_ratios(
        [
            summarize(FLOOR, "/ping/", None, samples([10] * 50, queries=4)),
            summarize("home (unit_leader)", "/", 3.0, samples([20] * 50, queries=12)),
            summarize("search (rare)", "/search/?q=x", 5.0, samples([60] * 50, queries=6)),
        ]
    )


def test_markdown_table_has_a_line_per_page_with_ratio_and_verdict():
    table = report.markdown_table(table_rows())
    lines = table.splitlines()
    assert len(lines) == 2 + 3
    assert lines[0].startswith("| page | path | samples")
    assert "| floor | `/ping/` | 50 | 0 |" in lines[2]
    assert "2.00×" in lines[3] and "ok (≤ 3×)" in lines[3]
    assert "6.00×" in lines[4] and "MISS (> 5×)" in lines[4]
    # Every line has the same number of cells.
    assert len({line.count("|") for line in lines}) == 1


def test_text_table_aligns_columns():
    text = report.text_table(table_rows())
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["page", "n", "err"]
    assert all(re.search(r"\d\.\d\d×", line) for line in lines[2:])


def test_svg_chart_is_valid_svg_with_a_bar_per_page_and_the_target_lines():
    svg = report.svg_chart(table_rows(), "Trepart <small> & co")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    bars = [r for r in root.iter(f"{ns}rect") if r.find(f"{ns}title") is not None]
    main = [b.get("fill") for b in bars if b.get("fill") != "#9e9e9e"]
    assert main == ["#2e7d32", "#c62828"]  # the floor has no bar; search misses its 5x
    assert len(bars) == 4  # and each page a thin bar of its time inside Django
    labels = {t.text for t in root.iter(f"{ns}text")}
    assert {"1× = the floor", "3× target", "5× target of the overview and search"} <= labels
    assert "6.00× · 6.0× in Django" in labels  # the client's ratio and Django's own
    assert "style=" not in svg and "<script" not in svg  # shown under the CSP


def test_svg_chart_without_data_still_renders():
    rows = with_ratios([summarize("home", "/", 3.0, [])])
    ET.fromstring(report.svg_chart(rows, "empty"))


def test_report_markdown_names_machine_dataset_and_extra_numbers():
    rows = table_rows()
    result = {
        "scale": "small",
        "date": "2026-12-02 04:00 UTC",
        "command": "make bench SCALE=small",
        "machine": {"cpu": "Test CPU", "cores": 2, "ram_gb": 4, "postgresql": "15.1"},
        "seed": {
            "seconds": 12.0,
            "counts": {"meetings": 1234},
            "database_url": "postgres://u:secret@h/db",
        },
        "load": {"clients": 8, "seconds": 60, "requests": 999, "rps": 16.6},
        "extra": {
            "similarity": {
                "all": {"precision": 0.9, "recall": 0.8, "f1": 0.85, "tp": 8, "fp": 1, "fn": 2}
                | {"tn": 9}
            },
            "pdf": {
                "path": "/meetings/1/minutes.pdf",
                "bytes": 12345,
                "median_ms": 250.0,
                "min_ms": 200.0,
                "runs": 3,
                "status": 200,
            },
            "memory": {"workers": [{"pid": 1, "rss_mb": 150.0}], "master_rss_mb": 30.0},
        },
    }
    text = report.report_markdown(result, rows)
    assert "Test CPU, 2 cores" in text
    assert "| meetings | 1,234 |" in text
    assert "secret" not in text  # the database password is never written
    assert "precision 0.90, recall 0.80" in text
    assert "median 250 ms" in text
    assert "workers 150 MB" in text
    assert "Misses: search (rare) (6.00×)." in text
    assert "![ratios](small.svg)" in text


def test_key_pages_cover_the_issue_mix_with_wider_targets_for_overview_and_search():
    pages = {p.name: p for p in key_pages(MANIFEST)}
    assert pages[FLOOR].path == "/ping/" and pages[FLOOR].target is None
    assert pages["home (politician)"].auth == "politician"
    assert pages["unit page"].path == "/units/7/"
    assert pages["minutes page"].path == "/meetings/70/"
    assert pages["steering overview"].target == 5.0
    assert pages["search (common)"].path == "/search/?q=turnus"
    assert pages["search (rare)"].target == 5.0
    assert pages["people list"].auth == "municipal_admin"
    assert pages["API inputs"].auth == "api"
    assert all(p.target == 3.0 for p in pages.values() if p.name.startswith(("home", "API")))


def test_schedule_visits_each_page_once_and_interleaves_the_floor():
    pages = key_pages(MANIFEST)
    order = schedule(pages)
    others = [p for p in order if p.name != FLOOR]
    assert sorted(p.name for p in others) == sorted(p.name for p in pages if p.name != FLOOR)
    floors = [i for i, p in enumerate(order) if p.name == FLOOR]
    assert floors and len(floors) == len(others) // (FLOOR_EVERY - 1)
    assert max(b - a for a, b in zip(floors, floors[1:], strict=False)) == FLOOR_EVERY


def test_totp_matches_django_otp():
    from django_otp.oath import TOTP

    key = "5472657061727420646f7420646f7420646f7420"
    for at in (1_700_000_000, 1_700_000_029, 1_700_000_030):
        expected = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
        expected.time = at
        assert totp(key, at=at) == f"{expected.token():06d}"


def test_rfc6238_sha1_vector():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits).
    key = b"12345678901234567890".hex()
    assert totp(key, at=59, digits=8) == "94287082"
    assert totp(key, at=1111111109, digits=8) == "07081804"


def test_server_timing_header():
    assert server_timing("app;dur=12.5") == 12.5
    assert server_timing("db;dur=3, app;desc=x;dur=7") == 7.0
    assert server_timing(None) is None
    assert server_timing("app;dur=abc") is None


def test_row_defaults():
    row = Row("x", "/", 3.0, 0, 0, math.nan, math.nan, math.nan)
    assert row.queries_text == "–"
    assert row.met is None
