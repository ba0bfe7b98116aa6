"""`make bench` (issue 14, P8): seed a dataset on PostgreSQL, serve it with gunicorn as in
production, put it under load and report each key page's p95 as a multiple of the floor's.

    make bench                          # SCALE=small: one municipality
    make bench SCALE=large              # one 1,000-unit municipality
    make bench SCALE=national           # 356 municipalities, ~10,000 units, five years
    BENCH_SKIP_SEED=1 make bench SCALE=national   # measure an earlier seed again

Settings (environment):
    SCALE               tiny | small (default) | large | national
    BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/trepart_bench
    BENCH_SKIP_SEED=1   reuse the dataset of bench/results/manifest-<scale>.json
    BENCH_MANIFEST      another manifest file (implies BENCH_SKIP_SEED)
    BENCH_SAMPLES       the measured phase ends when every page has this many samples
                        (default 100, enough for a p99; 0: always BENCH_SECONDS) …
    BENCH_SECONDS       … or after this many seconds (default 180)
    BENCH_CLIENTS       concurrent clients (default 8)
    BENCH_WORKERS       gunicorn workers (default 2: two per core is the documented start, and
                        the reference machine has 2 cores shared with PostgreSQL and the client)
    BENCH_EXTRAS=0      skip the matcher, PDF and memory measurements

Writes bench/results/<scale>.md, .svg and .json and prints the table. The exit status is 0 when
every request answered 200 (missed targets are reported, not failures: other work fixes them),
1 on errors, 2 when the bench could not run.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.load import (  # noqa: E402
    Http,
    LoginFailed,
    api_tokens,
    key_pages,
    login_all,
    run_load,
)

RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/trepart_bench"
STATIC_ROOT = ROOT / "var" / "bench-static"
VENV_BIN = Path(sys.executable).parent
# docs/deployment.md's production environment file sets CONN_MAX_AGE=60.
CONN_MAX_AGE = "60"


class BenchError(RuntimeError):
    """A reason the bench cannot run, said in one line."""


STARTED = time.monotonic()


def say(text: str = "", stamp: bool = True) -> None:
    """A line of output; progress lines carry the seconds since the start."""
    if stamp and text:
        text = f"[{time.monotonic() - STARTED:4.0f} s] {text}"
    print(text, flush=True)


def say_plain(text: str = "") -> None:
    say(text, stamp=False)


# PostgreSQL -------------------------------------------------------------------------------


def check_postgres(url: str) -> str:
    """The server's version, or BenchError in one line when it cannot be reached."""
    if not url.startswith(("postgres://", "postgresql://")):
        raise BenchError(f"BENCH_DATABASE_URL must be a PostgreSQL address, not {url!r}.")
    import psycopg

    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        with psycopg.connect(server, connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise BenchError(
            f"PostgreSQL is not reachable at {report._redact(server)}: {reason}"
        ) from None


# Seeding --------------------------------------------------------------------------------


def seed_or_reuse(scale: str, url: str) -> dict:
    manifest_path = Path(os.environ.get("BENCH_MANIFEST") or RESULTS / f"manifest-{scale}.json")
    if os.environ.get("BENCH_MANIFEST") or os.environ.get("BENCH_SKIP_SEED") == "1":
        if not manifest_path.exists():
            raise BenchError(
                f"BENCH_SKIP_SEED=1 but there is no {manifest_path.relative_to(ROOT)}: "
                f"seed first with `make bench SCALE={scale}`."
            )
        manifest = json.loads(manifest_path.read_text())
        manifest["reused"] = True
        say(f"Reusing the {manifest.get('scale', scale)} dataset of {manifest_path.name}.")
        return manifest
    try:
        from bench.seed import seed
    except ImportError as error:
        raise BenchError(f"The seeder bench/seed.py cannot be imported: {error}") from None
    say(f"Seeding scale {scale} …")
    manifest = seed(scale, url, progress=True)
    manifest["reused"] = False
    return manifest


# gunicorn -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str, port: int) -> dict:
    """docs/deployment.md's production environment, changed only where plain http on this
    machine needs it (like `make run`), plus the query count header."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR", "TZ")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="trepart.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=url,
        CONN_MAX_AGE=CONN_MAX_AGE,
        STATIC_ROOT=str(STATIC_ROOT),
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        ACCESS_LOG="0",
        QUERY_COUNT_HEADER="1",
    )
    return env


def static_is_current() -> bool:
    """True when the bench's collected files are newer than every source of them."""
    stamp = STATIC_ROOT / ".bench-collected"
    if not stamp.exists():
        return False
    collected = stamp.stat().st_mtime
    sources = [ROOT / "package-lock.json", ROOT / "node_modules" / ".installed"]
    sources += [p for p in (ROOT / "static").rglob("*") if p.is_file()]
    return all(not p.exists() or p.stat().st_mtime < collected for p in sources)


def collectstatic(env: dict) -> None:
    """As in production (WhiteNoise serves STATIC_ROOT with DEBUG off). The bench fetches no
    static file, so source maps are left out: compressing them is most of the time."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0", "--ignore", "*.map"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BenchError(f"collectstatic failed: {result.stderr.strip().splitlines()[-1:]}")
    (STATIC_ROOT / ".bench-collected").touch()


class Gunicorn:
    """gunicorn trepart.wsgi in its own process group; stopped on exit, error or Ctrl+C."""

    def __init__(self, env: dict, port: int, workers: int, log: Path):
        self.env, self.port, self.workers, self.log_path = env, port, workers, log
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "trepart.wsgi"]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
            + ["--timeout", "120", "--no-control-socket"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited at start: {self.tail()}")
            try:
                status = Http(self.port, timeout=10).request("GET", "/accounts/login/")[0]
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise BenchError(f"gunicorn did not answer within {timeout:.0f} s: {self.tail()}")

    def tail(self, lines: int = 5) -> str:
        try:
            return " | ".join(self.log_path.read_text().strip().splitlines()[-lines:])
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        if not self.process:
            return []
        try:
            text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
            return [int(p) for p in text.split()]
        except OSError:
            return []

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn: graceful shutdown of the workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# Extra measurements (issue 14 point 4) ------------------------------------------------------


def measure_pdf(port: int, manifest: dict, sessions: dict, runs: int = 3) -> dict | None:
    meeting = manifest.get("pdf_meeting_id")
    if not meeting:
        return None
    path = f"/meetings/{meeting}/minutes.pdf"
    cookie = "; ".join(f"{k}={v}" for k, v in sessions["unit_leader"].items())
    client = Http(port, timeout=300)
    times, size, status = [], 0, 0
    for _ in range(runs):
        status, _response, body, ms = client.request("GET", path, {"Cookie": cookie})
        times.append(ms)
        size = len(body)
    items = None
    try:
        answer = client.request(
            "GET",
            f"/api/meetings/{meeting}",
            {"Authorization": f"Bearer {manifest['api_token']}"},
        )
        if answer[0] == 200:
            detail = json.loads(answer[2])
            items = len(detail.get("agenda") or detail.get("items") or []) or None
    except (OSError, ValueError):
        pass
    client.close()
    return {
        "path": path,
        "runs": runs,
        "status": status,
        "bytes": size,
        "items": items,
        "median_ms": statistics.median(times),
        "min_ms": min(times),
    }


def measure_similarity(url: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.micro", "--similarity-json"],
        cwd=ROOT,
        env={**os.environ, "BENCH_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode:
        tail = (result.stderr.strip().splitlines() or ["?"])[-1]
        raise BenchError(f"the matcher's measurement failed: {tail}")
    return json.loads(result.stdout.strip().splitlines()[-1])["similarity"]


# The machine ----------------------------------------------------------------------------


def machine(pg_version: str) -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass

    def git(*args):
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except OSError:
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "?"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    import django

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram,
        "postgresql": pg_version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "commit": commit,
    }


# The run --------------------------------------------------------------------------------


def progress_bar(elapsed, total, requests, fewest, wanted, done=False) -> None:
    """One line, redrawn: the larger of time and samples gone."""
    width = 30
    part = elapsed / total if total else 1.0
    if wanted:
        part = max(part, fewest / wanted)
    bar = "#" * int(min(1.0, part) * width)
    print(
        f"\r  load [{bar:<{width}}] {elapsed:4.0f} s, {requests} requests, "
        f"fewest samples of a page {fewest}/{wanted or '–'}",
        end="\n" if done else "",
        flush=True,
    )


def _interrupt(*_args):
    raise KeyboardInterrupt


def main() -> int:
    began = time.monotonic()
    scale = os.environ.get("SCALE") or "small"
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    seconds = float(os.environ.get("BENCH_SECONDS") or 180)
    wanted = int(os.environ.get("BENCH_SAMPLES") or 100)
    clients = int(os.environ.get("BENCH_CLIENTS") or 8)
    workers = int(os.environ.get("BENCH_WORKERS") or 2)
    extras = os.environ.get("BENCH_EXTRAS", "1") != "0"
    say(f"Benchmark database: {report._redact(url)} (BENCH_DATABASE_URL); scale {scale}.")
    pg_version = check_postgres(url)

    RESULTS.mkdir(parents=True, exist_ok=True)
    manifest = seed_or_reuse(scale, url)
    if manifest.get("database_url") and manifest["database_url"] != url:
        url = manifest["database_url"]
        say(f"The dataset is in {report._redact(url)} (the manifest's database).")
    scale = manifest.get("scale") or scale

    port = free_port()
    env = server_env(url, port)
    if static_is_current():
        say(f"Static files: {STATIC_ROOT.relative_to(ROOT)} is up to date.")
    else:
        say(f"Collecting static files into {STATIC_ROOT.relative_to(ROOT)} …")
        collectstatic(env)
    server = Gunicorn(env, port, workers, RESULTS / f"gunicorn-{scale}.log")
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        say(f"Starting gunicorn ({workers} workers) on 127.0.0.1:{port} …")
        server.start()
        try:
            sessions = login_all(port, manifest)
        except LoginFailed as error:
            raise BenchError(f"{error} ({server.tail(2)})") from None
        try:
            tokens = api_tokens(port, sessions["unit_leader"], clients)
        except LoginFailed as error:
            tokens = [manifest["api_token"]]
            say(
                f"Warning: {error} ({server.tail(1)}); all clients share the seeded token, "
                "so the API pages may meet its rate limit (120 a minute)."
            )
        pages = key_pages(manifest)
        say(
            f"Load: {clients} clients, {len(pages)} pages; a warm-up, then until every page has "
            f"{wanted} samples (BENCH_SAMPLES), at most {seconds:.0f} s (BENCH_SECONDS) …"
        )
        load_before = os.getloadavg()[0]
        load = run_load(
            port,
            pages,
            sessions,
            tokens,
            clients=clients,
            seconds=seconds,
            samples_wanted=wanted,
            progress=progress_bar,
        )
        load_after = os.getloadavg()[0]
        extra: dict = {}
        if extras:
            say("Minutes PDF of the long meeting …")
            extra["pdf"] = measure_pdf(port, manifest, sessions)
            extra["memory"] = {
                "workers": [
                    {"pid": pid, "rss_mb": rss_mb(pid)} for pid in sorted(server.worker_pids())
                ],
                "master_rss_mb": rss_mb(server.process.pid),
            }
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)

    if extras:
        say("Similar-inputs matcher on the labelled pairs …")
        try:
            extra["similarity"] = measure_similarity(url)
        except (BenchError, subprocess.TimeoutExpired, ValueError) as error:
            extra["similarity_error"] = str(error)

    rows = report.with_ratios(
        [report.summarize(p.name, p.path, p.target, load.samples[p.name]) for p in pages]
    )
    command = f"make bench SCALE={scale}" + (" BENCH_SKIP_SEED=1" if manifest.get("reused") else "")
    for name in ("BENCH_SAMPLES", "BENCH_SECONDS", "BENCH_CLIENTS", "BENCH_WORKERS"):
        if os.environ.get(name):
            command += f" {name}={os.environ[name]}"
    result = {
        "scale": scale,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "machine": {**machine(pg_version), "loadavg": [load_before, load_after]},
        "seed": {
            "seconds": manifest.get("seconds", 0),
            "counts": manifest.get("counts", {}),
            "database_url": report._redact(url),
            "reused": manifest.get("reused", False),
        },
        "load": {
            "clients": clients,
            "workers": workers,
            "seconds": round(load.seconds, 1),
            "requests": load.requests,
            "rps": load.requests / load.seconds if load.seconds else 0,
            "conn_max_age": int(CONN_MAX_AGE),
            "errors": len(load.errors),
            "first_errors": load.errors[:5],
        },
        "extra": extra,
        "pages": [
            {
                "name": r.name,
                "path": r.path,
                "target": r.target,
                "samples": r.samples,
                "errors": r.errors,
                "p50_ms": r.p50,
                "p95_ms": r.p95,
                "p99_ms": r.p99,
                "queries": r.queries,
                "ratio": r.ratio,
                "met": r.met,
                "server_p95_ms": r.server_p95,
                "server_ratio": r.server_ratio,
            }
            for r in rows
        ],
    }
    (RESULTS / f"{scale}.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
    (RESULTS / f"{scale}.md").write_text(report.report_markdown(result, rows))
    (RESULTS / f"{scale}.svg").write_text(
        report.svg_chart(rows, f"Trepart, scale {scale}: p95 ÷ floor p95")
    )

    say_plain()
    say_plain(report.text_table(rows))
    say_plain()
    low = [r for r in rows if r.samples < 100]
    if low:
        pages_only = [r for r in rows if r.name != report.FLOOR]
        which = (
            "every page" if all(r in low for r in pages_only) else ", ".join(r.name for r in low)
        )
        say_plain(
            f"Fewer than 100 samples (fewest {min(r.samples for r in low)}) for {which} in "
            f"{load.seconds:.0f} s: a busy machine; raise BENCH_SECONDS for a sound p99."
        )
    missed = report.misses(rows)
    say_plain(
        "Targets: all met."
        if not missed
        else f"Targets missed ({len(missed)}): " + ", ".join(r.name for r in missed)
    )
    if load.errors:
        say_plain(f"{len(load.errors)} requests did not answer 200; the first:")
        for line in load.errors[:5]:
            say_plain(f"  {line}")
    pdf = extra.get("pdf")
    if pdf:
        say_plain(
            f"Minutes PDF ({pdf['path']}): median {pdf['median_ms']:.0f} ms, "
            f"{pdf['bytes']:,} bytes, status {pdf['status']}."
        )
    if extra.get("memory"):
        mem = extra["memory"]
        say_plain(
            "Memory after the run (VmRSS): workers "
            + ", ".join(f"{w['rss_mb']:.0f} MB" for w in mem["workers"])
            + f"; master {mem['master_rss_mb']:.0f} MB."
        )
    sim = extra.get("similarity", {}).get("all")
    if sim:
        say_plain(
            f"Similar inputs (all labelled pairs): precision {sim['precision']:.2f}, "
            f"recall {sim['recall']:.2f}, F1 {sim['f1']:.2f}."
        )
    elif extra.get("similarity_error"):
        say_plain(f"Similar inputs: not measured ({extra['similarity_error']}).")
    say(
        f"Wrote bench/results/{scale}.md, .svg and .json in "
        f"{time.monotonic() - began:.0f} s in all ({load.requests} requests, "
        f"{load.requests / load.seconds:.1f}/s)."
    )
    return 1 if load.errors else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"make bench: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("make bench: interrupted; gunicorn stopped.", file=sys.stderr)
        sys.exit(130)
