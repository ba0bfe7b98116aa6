"""`make bench`'s numbers, pure functions: percentiles, the ratio table against the floor, the
markdown report and the SVG chart (issue 14, P8). Nothing here measures or touches a database;
tests/bench/test_report.py covers it.

Every page's p95 is divided by the floor's p95 measured in the same run under the same load (the
floor is /ping/, a minimal logged-in page), so the ratios hold on any machine even where the
milliseconds do not.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from html import escape

FLOOR = "floor"
# Issue 14: every key page's p95 at most 3x the floor's; the steering overview (of a 1,000-unit
# municipality) and search at most 5x.
DEFAULT_TARGET = 3.0
WIDE_TARGET = 5.0


def percentile(values, p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation between the closest ranks (numpy's
    default, statistics.quantiles(method="inclusive")). NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Sample:
    """One measured request."""

    ms: float
    status: int
    queries: int | None = None
    server_ms: float | None = None  # Server-Timing app;dur (inside Django, without the queue)


@dataclass
class Row:
    """One page of the table."""

    name: str
    path: str
    target: float | None
    samples: int
    errors: int
    p50: float
    p95: float
    p99: float
    queries: list[int] = field(default_factory=list)  # the distinct counts seen, most common first
    server_p95: float = math.nan
    ratio: float = math.nan
    server_ratio: float = math.nan

    @property
    def queries_vary(self) -> bool:
        return len(self.queries) > 1

    @property
    def queries_text(self) -> str:
        if not self.queries:
            return "–"
        if self.queries_vary:
            return f"{min(self.queries)}–{max(self.queries)} (varies)"
        return str(self.queries[0])

    @property
    def met(self) -> bool | None:
        """True/False against the target; None for the floor or without numbers."""
        if self.target is None or math.isnan(self.ratio):
            return None
        return self.ratio <= self.target and self.errors == 0


def summarize(name: str, path: str, target: float | None, samples: list[Sample]) -> Row:
    """A table row from a page's samples. Latencies count every response (an error is also a
    response the user waited for); errors are the non-200 ones."""
    times = [s.ms for s in samples]
    server = [s.server_ms for s in samples if s.server_ms is not None]
    # Queries of the 200 answers only: a refusal runs fewer.
    counts = Counter(s.queries for s in samples if s.queries is not None and s.status == 200)
    return Row(
        name=name,
        path=path,
        target=target,
        samples=len(samples),
        errors=sum(1 for s in samples if s.status != 200),
        p50=percentile(times, 50),
        p95=percentile(times, 95),
        p99=percentile(times, 99),
        queries=[q for q, _n in counts.most_common()],
        server_p95=percentile(server, 95),
    )


def _divide(value: float, base: float) -> float:
    if not base or math.isnan(base) or math.isnan(value):
        return math.nan
    return value / base


def with_ratios(rows: list[Row], floor: str = FLOOR) -> list[Row]:
    """Sets each row's ratio = its p95 / the floor row's p95 (same run; the floor is 1.0), and
    the same for the time inside Django (server_ratio)."""
    base = next((r for r in rows if r.name == floor), None)
    for row in rows:
        row.ratio = _divide(row.p95, base.p95) if base else math.nan
        row.server_ratio = _divide(row.server_p95, base.server_p95) if base else math.nan
    return rows


def misses(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.met is False]


def _ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1f}"


def _ratio(row: Row) -> str:
    if math.isnan(row.ratio):
        return "–"
    return f"{row.ratio:.2f}×"


def _server_ratio(row: Row) -> str:
    """The ratio of the time inside Django; "!" when it alone would miss the target."""
    if math.isnan(row.server_ratio):
        return "–"
    over = row.target is not None and row.server_ratio > row.target
    return f"{row.server_ratio:.2f}×" + (" !" if over else "")


def _verdict(row: Row) -> str:
    if row.target is None:
        return "floor"
    if row.met is None:
        return "–"
    if row.met:
        return f"ok (≤ {row.target:g}×)"
    if row.errors and row.ratio <= row.target:
        return "MISS (errors)"
    return f"MISS (> {row.target:g}×)"


def markdown_table(rows: list[Row]) -> str:
    """The ratio table, one line per page, in markdown (also readable printed as it is)."""
    header = [
        "page",
        "path",
        "samples",
        "errors",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "queries",
        "p95 / floor",
        "target",
        "in Django p95 ms",
        "in Django / floor",
    ]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---", "---"] + ["---:"] * 7 + ["---", "---:", "---:"]) + "|",
    ]
    for r in rows:
        cells = [
            r.name,
            f"`{r.path}`",
            str(r.samples),
            str(r.errors),
            _ms(r.p50),
            _ms(r.p95),
            _ms(r.p99),
            r.queries_text,
            _ratio(r),
            _verdict(r),
            _ms(r.server_p95),
            _server_ratio(r),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def text_table(rows: list[Row]) -> str:
    """The same table aligned for a terminal."""
    header = ["page", "n", "err", "p50", "p95", "p99", "queries", "ratio", "target", "django"]
    body = [
        [
            r.name,
            str(r.samples),
            str(r.errors),
            _ms(r.p50),
            _ms(r.p95),
            _ms(r.p99),
            r.queries_text,
            _ratio(r),
            _verdict(r),
            _server_ratio(r),
        ]
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    left = {0, 6, 8}

    def fmt(cells):
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *map(fmt, body)])


def svg_chart(rows: list[Row], title: str) -> str:
    """A horizontal bar chart of each page's p95 / floor p95, with the 1x floor and the 3x and
    5x target lines; bars over their target are drawn in red. Plain SVG, no script or inline
    style attribute (presentation attributes only), so it can be shown under the CSP."""
    pages = [r for r in rows if r.name != FLOOR]
    label_w, bar_w, row_h, top, bottom = 260, 600, 22, 56, 84
    finite = [v for r in pages for v in (r.ratio, r.server_ratio) if not math.isnan(v)]
    scale_max = max([WIDE_TARGET + 1, *finite]) if finite else WIDE_TARGET + 1
    scale_max = math.ceil(scale_max)
    width = label_w + bar_w + 190
    height = top + row_h * len(pages) + bottom

    def x(ratio: float) -> float:
        return label_w + bar_w * min(ratio, scale_max) / scale_max

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{label_w}" y="22" font-size="15" font-weight="bold">{escape(title)}</text>',
        f'<text x="{label_w}" y="40" fill="#555555">p95 of each page ÷ p95 of the floor '
        "(/ping/) in the same run; red = over its target; thin grey = inside Django "
        "only</text>",
    ]
    # Axis ticks.
    axis_y = top + row_h * len(pages)
    step = 1 if scale_max <= 12 else math.ceil(scale_max / 12)
    for tick in range(0, scale_max + 1, step):
        tx = x(tick)
        out.append(
            f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{axis_y}" '
            'stroke="#eeeeee" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{tx:.1f}" y="{axis_y + 16}" text-anchor="middle" fill="#555555">'
            f"{tick}×</text>"
        )
    for i, r in enumerate(pages):
        y = top + i * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(r.name)}</text>'
        )
        if math.isnan(r.ratio):
            out.append(f'<text x="{label_w + 4}" y="{y + 15}" fill="#555555">no data</text>')
            continue
        colour = "#c62828" if r.met is False else "#2e7d32"
        bx = x(r.ratio)
        out.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bx - label_w:.1f}" height="{row_h - 10}" '
            f'fill="{colour}"><title>{escape(r.name)}: {r.ratio:.2f}×</title></rect>'
        )
        if not math.isnan(r.server_ratio):
            # The time inside Django, without the wait for a worker: a thin grey bar below.
            sx = x(r.server_ratio)
            out.append(
                f'<rect x="{label_w}" y="{y + row_h - 7}" width="{sx - label_w:.1f}" height="4" '
                f'fill="#9e9e9e"><title>{escape(r.name)}, inside Django: '
                f"{r.server_ratio:.2f}×</title></rect>"
            )
        if r.target is not None:
            # The page's own target, as a short dark tick on its bar.
            txx = x(r.target)
            out.append(
                f'<line x1="{txx:.1f}" y1="{y + 1}" x2="{txx:.1f}" y2="{y + row_h - 1}" '
                'stroke="#000000" stroke-width="2"/>'
            )
        right = max(bx, x(r.server_ratio) if not math.isnan(r.server_ratio) else bx)
        label = f"{r.ratio:.2f}×"
        if not math.isnan(r.server_ratio):
            label += f" · {r.server_ratio:.1f}× in Django"
        out.append(f'<text x="{right + 4:.1f}" y="{y + 15}">{escape(label)}</text>')
    for i, (ratio, label, dash) in enumerate(
        [
            (1, "1× = the floor", ""),
            (DEFAULT_TARGET, "3× target", ' stroke-dasharray="6 3"'),
            (WIDE_TARGET, "5× target of the overview and search", ' stroke-dasharray="2 3"'),
        ]
    ):
        lx = x(ratio)
        out.append(
            f'<line x1="{lx:.1f}" y1="{top - 4}" x2="{lx:.1f}" y2="{axis_y + 22 + 16 * i}" '
            f'stroke="#1a237e" stroke-width="1.5"{dash}/>'
        )
        out.append(
            f'<text x="{lx + 4:.1f}" y="{axis_y + 34 + 16 * i}" fill="#1a237e">'
            f"{escape(label)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def report_markdown(result: dict, rows: list[Row]) -> str:
    """bench/results/<scale>.md: the table, the machine, the dataset and the extra numbers."""
    machine = result.get("machine", {})
    seed = result.get("seed", {})
    load = result.get("load", {})
    lines = [
        f"# Trepart benchmark — scale `{result.get('scale')}`",
        "",
        f"Run {result.get('date', '?')} with `{result.get('command', 'make bench')}`.",
        "",
        "## Pages: p95 against the floor",
        "",
        f"{load.get('clients', '?')} concurrent clients (each with its own API token) for "
        f"{load.get('seconds', '?')} s "
        f"against gunicorn ({load.get('workers', '?')} workers, production settings: DEBUG off, "
        f"CONN_MAX_AGE={load.get('conn_max_age', '?')}), after a warm-up pass that is not "
        f"counted. The floor is `/ping/`, a minimal logged-in page, requested between the other "
        f"pages in the same run. Targets (issue 14): every page ≤ 3× the floor; the steering "
        f"overview and search ≤ 5×. {load.get('requests', '?')} requests, "
        f"{load.get('rps', 0):.1f} per second.",
        "",
        "The ratio is measured at the client, so it includes the wait for a free worker: with "
        "more clients than workers that wait is a large, equal part of every page's time and "
        "pulls the ratios towards 1. The last two columns are the time inside Django alone "
        "(the `Server-Timing` header) and its ratio to the floor's, the page's own cost; "
        '"!" marks one over the page\'s target.',
        "",
        markdown_table(rows),
        "",
    ]
    missed = misses(rows)
    if missed:
        lines.append("Misses: " + ", ".join(f"{r.name} ({_ratio(r)})" for r in missed) + ".")
    else:
        lines.append("Every page meets its target.")
    varying = [r.name for r in rows if r.queries_vary]
    if varying:
        lines.append(
            "Queries vary between samples for: " + ", ".join(varying) + " (e.g. a cache filled "
            "by the first request)."
        )
    errors = load.get("first_errors") or []
    if errors:
        lines += ["", "First errors:", ""]
        lines += [f"- {e}" for e in errors]
    lines += ["", f"![ratios]({result.get('scale')}.svg)", "", "## Other measurements", ""]
    extra = result.get("extra", {})
    sim = extra.get("similarity")
    if sim:
        lines.append(
            "Similar-inputs matcher on the labelled pairs (tests/inputs/similarity_pairs.py):"
        )
        lines.append("")
        for name, r in sim.items():
            lines.append(
                f"- {name}: precision {r['precision']:.2f}, recall {r['recall']:.2f}, "
                f"F1 {r['f1']:.2f} (tp {r['tp']}, fp {r['fp']}, fn {r['fn']}, tn {r['tn']})"
            )
    elif extra.get("similarity_error"):
        lines.append(f"- Similar-inputs matcher: not measured ({extra['similarity_error']})")
    pdf = extra.get("pdf")
    if pdf:
        lines += [
            "",
            f"- Minutes PDF of the long meeting (`{pdf['path']}`, {pdf.get('items', '?')} agenda "
            f"items, {pdf['bytes']:,} bytes): median {pdf['median_ms']:.0f} ms, "
            f"min {pdf['min_ms']:.0f} ms over {pdf['runs']} runs (status {pdf['status']}).",
        ]
    memory = extra.get("memory")
    if memory:
        workers = ", ".join(f"{m['rss_mb']:.0f} MB" for m in memory.get("workers", []))
        lines.append(
            f"- Memory (VmRSS) after the run: workers {workers}; master "
            f"{memory.get('master_rss_mb', 0):.0f} MB."
        )
    lines += [
        "",
        "## Dataset",
        "",
        f"Seeded in {seed.get('seconds', 0):.0f} s"
        + (" (an earlier seed, reused)" if seed.get("reused") else "")
        + f" on `{_redact(seed.get('database_url', ''))}`.",
        "",
        "| table | rows |",
        "|---|---:|",
    ]
    for label, n in (seed.get("counts") or {}).items():
        lines.append(f"| {label} | {n:,} |")
    lines += [
        "",
        "## Machine",
        "",
        f"- CPU: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores",
        f"- RAM: {machine.get('ram_gb', 0):.1f} GB",
        f"- PostgreSQL {machine.get('postgresql', '?')}",
        f"- Python {machine.get('python', '?')}, Django {machine.get('django', '?')}",
        f"- Commit {machine.get('commit', '?')}",
        "",
        "The client runs on the same machine as gunicorn and PostgreSQL and shares its cores.",
    ]
    if machine.get("loadavg"):
        before, after = machine["loadavg"]
        lines.append(
            f"Load average (1 min) when the load began and ended: {before:.1f} and "
            f"{after:.1f} (the bench alone keeps about three busy: two workers, PostgreSQL and "
            "the client; more means other work shared the machine)."
        )
    lines += [
        "",
    ]
    return "\n".join(lines)


def _redact(url: str) -> str:
    """A database address without its password."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"
