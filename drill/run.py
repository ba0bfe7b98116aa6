"""`make drill` (issue 15): the product under load and faults, as it runs in production.

    make drill                     # about 3 minutes of soak (DRILL_MINUTES=3)
    DRILL_MINUTES=10 make drill    # the full run

It starts its own PostgreSQL cluster in a temporary folder (initdb/pg_ctl on a free port),
loads the demo municipality and the drill's data (drill/prepare.py), and starts two gunicorn
servers (two workers each) and two background workers against it, with the drill's settings
(drill/settings.py: production settings with the per-unit input limits lifted) and an e-mail
backend that writes to a file (drill/mailbox.py). Then a headless locust soak of 50 simulated
users (drill/locustfile.py: staff posting inputs, group members writing minutes, politicians
reading the overview), and during it, in turn:

1. a backup: `pg_dump` of an exported snapshot, with the row counts of that same snapshot;
2. the daily jobs, and the worker running the reminder job killed (SIGKILL) mid-job; a new
   worker is started, the job must run again without sending anyone a second reminder;
3. PostgreSQL stopped (`pg_ctl stop -m fast`) for DRILL_OUTAGE_SECONDS (5) and started again:
   requests meanwhile must get the product's own 503 page, and both servers must answer again
   within 5 seconds after PostgreSQL is back.

Afterwards drill/verify.py checks every acknowledged write against the database; the dump is
restored into a fresh database, a third server is started on it, pages are loaded and the
counts compared with the dump's moment. The report goes to drill/results/ and is printed.
Exit status 0 when every check passed, 1 when one failed, 2 when the drill could not run.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Http, login  # noqa: E402
from bench.run import (  # noqa: E402
    BenchError,
    Gunicorn,
    collectstatic,
    free_port,
    server_env,
    static_is_current,
)

MINUTES = float(os.environ.get("DRILL_MINUTES", "3"))
USERS = int(os.environ.get("DRILL_USERS", "50"))
OUTAGE_SECONDS = float(os.environ.get("DRILL_OUTAGE_SECONDS", "5"))
RECOVERY_LIMIT = 5.0  # seconds after PostgreSQL is back (issue 15)
RESULTS = ROOT / "drill" / "results"
VENV_BIN = Path(sys.executable).parent
LOCUST = ROOT / "var" / "drill-venv" / "bin" / "locust"
# The tables whose rows the restore check counts (the dump's moment against the restored copy).
COUNTED = [
    "accounts_user",
    "inputs_input",
    "inputs_inputreceipt",
    "meetings_meeting",
    "meetings_agendaitem",
    "notifications_notification",
    "django_session",
]
TASKS_TABLE = "django_tasks_database_dbtaskresult"
STARTED = time.monotonic()


class DrillError(RuntimeError):
    """A reason the drill cannot run, in one line."""


def say(text: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.0f} s] {text}", flush=True)


# PostgreSQL, our own cluster ----------------------------------------------------------------


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    raise DrillError(f"{name} is not installed: the drill needs PostgreSQL's server programs.")


class Cluster:
    """A PostgreSQL cluster in a temporary folder, on a free port, trust auth on 127.0.0.1.
    initdb refuses to run as root: then every server command runs as the `postgres` user."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [pg_bin(args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if check and result.returncode:
            tail = (result.stderr or result.stdout).strip().splitlines()[-1:]
            raise DrillError(f"{args[0]} failed: {' '.join(tail)}")
        return result

    def init(self) -> None:
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres"):
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []


# The product's processes --------------------------------------------------------------------


def product_env(url: str, port: int, folder: Path) -> dict:
    """`make bench`'s production environment (bench/run.py), with the drill's settings, one
    secret key for all its servers (a session made on one is read by the other) and e-mail to
    the drill's mailbox."""
    env = server_env(url, port)
    del env["QUERY_COUNT_HEADER"]
    env.update(
        DJANGO_SETTINGS_MODULE="drill.settings",
        SECRET_KEY=SECRET,
        EMAIL_BACKEND="drill.mailbox.EmailBackend",
        DRILL_MAILBOX=str(folder / "mailbox.jsonl"),
    )
    return env


SECRET = secrets.token_urlsafe(50)


def manage(env: dict, *args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise DrillError(f"manage.py {args[0]} failed: {' | '.join(tail)}")
    return result.stdout


def python_module(env: dict, module: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        tail = result.stderr.strip().splitlines()[-3:]
        raise DrillError(f"{module} failed: {' | '.join(tail)}")
    return json.loads(result.stdout)


class Worker:
    """One `manage.py db_worker` with a known worker id."""

    def __init__(self, env: dict, name: str, folder: Path):
        self.name = name
        self.log = (folder / f"{name}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--worker-id", name, "--interval", "1"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


# The faults ---------------------------------------------------------------------------------


def backup(cluster: Cluster, folder: Path) -> dict:
    """pg_dump of an exported snapshot, with the counts of that same snapshot (issue 15 part 4;
    docs/deployment.md gives the same command for production)."""
    import psycopg

    dump = folder / "trepart.dump"
    with psycopg.connect(cluster.url("trepart")) as conn:
        # psycopg opens the transaction itself at the first statement: set its level first, so
        # that the counts below read the very snapshot the dump is taken of.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
        counts["sum of minutes revisions"] = conn.execute(
            "SELECT coalesce(sum(revision), 0) FROM meetings_agendaitem"
        ).fetchone()[0]
        began = time.monotonic()
        result = subprocess.run(
            [pg_bin("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--file", str(dump)]
            + ["--dbname", cluster.url("trepart")],
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - began
        conn.rollback()
    if result.returncode:
        raise DrillError(f"pg_dump failed: {result.stderr.strip()}")
    return {"counts": counts, "seconds": seconds, "bytes": dump.stat().st_size, "path": dump}


def kill_worker_mid_job(cluster: Cluster, env: dict, workers: list, folder: Path) -> dict:
    """Run the daily jobs; SIGKILL the worker running the action reminders once some of its
    e-mails are out; start a new worker in its place."""
    import psycopg

    manage(env, "daily")
    mailbox = folder / "mailbox.jsonl"
    deadline = time.monotonic() + 60
    with psycopg.connect(cluster.url("trepart"), autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                f"SELECT status, worker_ids FROM {TASKS_TABLE} "
                "WHERE task_path LIKE %s ORDER BY enqueued_at DESC LIMIT 1",
                ("%send_action_reminders",),
            ).fetchone()
            sent = mailbox.read_text().count("drill-") if mailbox.exists() else 0
            if row and row[0] == "RUNNING" and sent >= 10:
                victim = next(w for w in workers if w.name == row[1][-1])
                victim.kill()
                workers.remove(victim)
                workers.append(Worker(env, f"drill-worker-{len(workers) + 2}", folder))
                return {"killed": victim.name, "mails_before_kill": sent}
            if row and row[0] in ("SUCCESSFUL", "FAILED"):
                return {"killed": None, "why": f"the job ended ({row[0]}) before the kill"}
            time.sleep(0.1)
    return {"killed": None, "why": "the reminder job did not start within 60 s"}


def restart_postgres(cluster: Cluster, ports: list[int], cookies: dict) -> dict:
    """Stop PostgreSQL for OUTAGE_SECONDS; probe both servers meanwhile and until both answer."""
    header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    answers: list[tuple[float, int, bool]] = []

    def probe(port: int) -> tuple[int, bool]:
        try:
            status, _r, body, _ms = Http(port, timeout=10).request("GET", "/ping/", header)
            return status, b"data-outage" in body and b"Traceback" not in body
        except OSError:
            return 0, False

    stopped, stopped_at = time.monotonic(), time.time()
    cluster.stop("fast")
    while time.monotonic() - stopped < OUTAGE_SECONDS:
        for port in ports:
            answers.append((time.monotonic() - stopped, *probe(port)))
        time.sleep(0.5)
    cluster.start()
    back, back_at = time.monotonic(), time.time()
    recovered: dict[int, float] = {}
    while len(recovered) < len(ports) and time.monotonic() - back < 60:
        for port in ports:
            if port not in recovered and probe(port)[0] == 200:
                recovered[port] = time.monotonic() - back
        time.sleep(0.1)
    during = answers
    return {
        "stopped_at": stopped_at,
        "back_at": back_at,
        "outage_seconds": (max(recovered.values()) + back - stopped) if recovered else None,
        "recovery_seconds": max(recovered.values()) if len(recovered) == len(ports) else None,
        "probes_during": len(during),
        "probes_own_503": sum(1 for _t, status, own in during if status == 503 and own),
        "probes_other": sorted(
            {status for _t, status, own in during if not (status == 503 and own)}
        ),
    }


# The soak -----------------------------------------------------------------------------------


def run_locust(env: dict, hosts: list[str], folder: Path, seconds: int) -> subprocess.Popen:
    locust_env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")},
        "DRILL_MANIFEST": str(folder / "manifest.json"),
        "DRILL_EVENTS": str(folder / "events.jsonl"),
        "DRILL_HOSTS": ",".join(hosts),
    }
    return subprocess.Popen(
        [str(LOCUST), "-f", str(ROOT / "drill" / "locustfile.py"), "--headless"]
        + ["-u", str(USERS), "-r", "10", "-t", f"{seconds}s", "--host", hosts[0]]
        + ["--csv", str(folder / "locust"), "--only-summary", "--stop-timeout", "15"]
        + ["--loglevel", "WARNING"],
        cwd=ROOT,
        env=locust_env,
        stdout=(folder / "locust.log").open("w"),
        stderr=subprocess.STDOUT,
    )


def locust_totals(folder: Path) -> dict:
    with (folder / "locust_stats.csv").open() as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    per_page = {
        f"{r['Type']} {r['Name']}": (int(r["Request Count"]), int(r["Failure Count"]), r["95%"])
        for r in rows
        if r["Name"] != "Aggregated"
    }
    failures = []
    failures_csv = folder / "locust_failures.csv"
    if failures_csv.exists():
        with failures_csv.open() as f:
            failures = [
                f"{r['Method']} {r['Name']}: {r['Error']} ×{r['Occurrences']}"
                for r in csv.DictReader(f)
            ]
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "p50_ms": total["50%"],
        "p95_ms": total["95%"],
        "p99_ms": total["99%"],
        "per_page": per_page,
        "failures": failures,
    }


def wait_for_jobs(cluster: Cluster, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        left = cluster.sql(
            f"SELECT count(*) FROM {TASKS_TABLE} WHERE status IN ('READY', 'RUNNING')", "trepart"
        )[0][0]
        if not left:
            return
        time.sleep(1)


# Restore ------------------------------------------------------------------------------------


def restore(cluster: Cluster, dumped: dict, folder: Path, manifest: dict) -> dict:
    cluster.sql("CREATE DATABASE restored")
    result = subprocess.run(
        [
            pg_bin("pg_restore"),
            "--no-owner",
            "--dbname",
            cluster.url("restored"),
            str(dumped["path"]),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise DrillError(f"pg_restore failed: {result.stderr.strip().splitlines()[-1:]}")
    counts = {t: cluster.sql(f"SELECT count(*) FROM {t}", "restored")[0][0] for t in COUNTED}
    counts["sum of minutes revisions"] = cluster.sql(
        "SELECT coalesce(sum(revision), 0) FROM meetings_agendaitem", "restored"
    )[0][0]
    port = free_port()
    server = Gunicorn(
        product_env(cluster.url("restored"), port, folder), port, 1, folder / "restored.log"
    )
    pages = {}
    try:
        server.start()
        for who, path in (
            (manifest["politicians"][0], "/steering-group/overview/"),
            (manifest["politicians"][0], "/"),
            (manifest["writers"][0], f"/meetings/{manifest['meetings'][0]}/"),
            (manifest["staff"][0], "/inputs/"),
        ):
            jar = login(port, who, manifest["password"])
            header = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
            pages[path] = Http(port, timeout=30).request("GET", path, header)[0]
    finally:
        server.stop()
    mismatched = {
        t: (dumped["counts"][t], counts[t]) for t in counts if counts[t] != dumped["counts"][t]
    }
    return {"counts": counts, "mismatched": mismatched, "pages": pages}


# Report -------------------------------------------------------------------------------------


def checks(
    soak: dict, outage: dict, kill: dict, verified: dict, restored: dict
) -> list[tuple[str, bool, str]]:
    r, m, rem, jobs = (
        verified["receipts"],
        verified["minutes"],
        verified["reminders"],
        verified["jobs"],
    )
    # The 503 page counts as expected only while PostgreSQL was down (and the seconds after,
    # within the recovery limit): our 503 answers any database error, and a 503 at another time
    # would be a fault the soak must report.
    window = (outage["stopped_at"] - 1, outage["back_at"] + RECOVERY_LIMIT + 1)
    outside = [t for t in verified["outage_times"] if not window[0] <= t <= window[1]]
    return [
        ("no errors in the soak", soak["errors"] == 0, f"{soak['errors']} of {soak['requests']}"),
        (
            "503 answers only while PostgreSQL was down",
            not outside,
            f"{len(verified['outage_times'])} answers, {len(outside)} outside the outage",
        ),
        (
            "every input was acknowledged with a receipt code",
            not verified["unexpected"],
            json.dumps(verified["unexpected"]) if verified["unexpected"] else "yes",
        ),
        (
            "outage answered with the product's own 503 page",
            outage["probes_during"] > 0 and not outage["probes_other"],
            f"{outage['probes_own_503']} of {outage['probes_during']} probes; other statuses: {outage['probes_other'] or 'none'}",
        ),
        (
            "recovered within 5 s after PostgreSQL was back",
            outage["recovery_seconds"] is not None and outage["recovery_seconds"] <= RECOVERY_LIMIT,
            f"{outage['recovery_seconds']:.2f} s"
            if outage["recovery_seconds"] is not None
            else "never",
        ),
        (
            "every receipt code given is in the database",
            r["lost"] == 0 and r["acknowledged"] > 0,
            f"{r['found']} of {r['acknowledged']}",
        ),
        (
            "every acknowledged minutes save is kept",
            not m["lost_items"] and m["acknowledged"] > 0,
            f"{m['found']} of {m['acknowledged']}",
        ),
        (
            "no silent overwrite of minutes",
            m["silent_overwrites"] == 0,
            f"{m['silent_overwrites']}",
        ),
        (
            "a second save from the same start is refused with a message",
            m["two_tabs"] > 0
            and m["two_tabs_second_refused"] == m["two_tabs"]
            and m["conflicts_without_message"] == 0,
            f"{m['two_tabs_second_refused']} of {m['two_tabs']}; conflicts shown {m['conflicts_shown']}",
        ),
        (
            "a worker was killed mid-job",
            bool(kill.get("killed")),
            kill.get("killed") or kill.get("why", ""),
        ),
        (
            "the killed job ran again",
            any("send_action_reminders" in p for p in jobs["retried"]),
            ", ".join(jobs["retried"]) or "none",
        ),
        (
            "every reminder sent once, none lost",
            rem["recipients"] == rem["expected"]
            and rem["twice"] == 0
            and rem["missing"] == 0
            and rem["logged"] == rem["expected"],
            f"sent {rem['sent']}, expected {rem['expected']}, twice {rem['twice']}, "
            f"missing {rem['missing']}, logged {rem['logged']}",
        ),
        (
            "no job left failed or unfinished",
            set(jobs["by_status"]) <= {"SUCCESSFUL"},
            json.dumps(jobs["by_status"]),
        ),
        (
            "restored copy: counts match the dump's moment",
            not restored["mismatched"],
            json.dumps(restored["mismatched"]) if restored["mismatched"] else "all equal",
        ),
        (
            "restored copy: pages load",
            all(s == 200 for s in restored["pages"].values()),
            json.dumps(restored["pages"]),
        ),
    ]


def write_report(info: dict, results: list[tuple[str, bool, str]]) -> Path:
    soak, outage, verified, dumped = info["soak"], info["outage"], info["verified"], info["dumped"]
    rem = verified["reminders"]
    lines = [
        f"# Drill {info['when']} — {MINUTES:g} min, {USERS} users",
        "",
        f"Code: {info['commit']}.",
        "",
        f"Machine: {os.cpu_count()} cores. PostgreSQL {info['pg_version']} in its own cluster; two gunicorn "
        "servers (2 workers each), two background workers; production settings (drill/settings.py).",
        "",
        "| | |",
        "|---|---|",
        f"| requests | {soak['requests']} |",
        f"| errors | {soak['errors']} |",
        f"| p50 / p95 / p99 | {soak['p50_ms']} / {soak['p95_ms']} / {soak['p99_ms']} ms |",
        f"| outage answers (own 503 page) seen by users | {verified['outage_answers']} |",
        f"| writes acknowledged vs found: receipt codes | {verified['receipts']['acknowledged']} / {verified['receipts']['found']} |",
        f"| writes acknowledged vs found: minutes saves | {verified['minutes']['acknowledged']} / {verified['minutes']['found']} |",
        f"| edit conflicts shown (two tabs: refused / tried) | {verified['minutes']['conflicts_shown']} ({verified['minutes']['two_tabs_second_refused']} / {verified['minutes']['two_tabs']}) |",
        f"| outage length (stop → both servers answer) | {outage['outage_seconds']:.2f} s |"
        if outage["outage_seconds"]
        else "| outage length | never recovered |",
        f"| recovery after PostgreSQL was back | {outage['recovery_seconds']:.2f} s |"
        if outage["recovery_seconds"] is not None
        else "| recovery | never |",
        f"| jobs retried after the worker kill | {len(verified['jobs']['retried'])} |",
        f"| reminders sent vs expected | {rem['sent']} / {rem['expected']} (twice: {rem['twice']}, missing: {rem['missing']}) |",
        f"| backup (pg_dump, custom format) | {dumped['bytes'] / 1e6:.1f} MB in {dumped['seconds']:.1f} s |",
        "",
        "## Checks",
        "",
    ]
    lines += [f"- {'PASS' if ok else 'FAIL'} — {name}: {detail}" for name, ok, detail in results]
    lines += ["", "## Per request (count, failures, p95 ms)", ""]
    lines += [
        f"- {name}: {n}, {fails}, {p95}"
        for name, (n, fails, p95) in sorted(soak["per_page"].items())
    ]
    if soak["failures"]:
        lines += ["", "## Failures", ""] + [f"- {f}" for f in soak["failures"]]
        lines += [f"- user {e['who']}: {e['what']}" for e in verified["failures"]]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"drill-{MINUTES:g}min.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def code_version() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no").strip()
    return commit + (" with uncommitted changes" if dirty else "")


# Main ---------------------------------------------------------------------------------------


def main() -> int:
    if not LOCUST.exists():
        raise DrillError(
            "locust is missing: run `make drill`, which installs it in var/drill-venv."
        )
    folder = Path(tempfile.mkdtemp(prefix="trepart-drill-"))
    cluster = Cluster(folder)
    servers: list[Gunicorn] = []
    workers: list[Worker] = []
    soak_process = None
    finished = False
    try:
        say(f"PostgreSQL cluster in {folder} on port {cluster.port} …")
        cluster.init()
        cluster.start()
        pg_version = cluster.sql("SELECT current_setting('server_version')")[0][0]
        cluster.sql("CREATE DATABASE trepart")
        ports = [free_port(), free_port()]
        env = product_env(cluster.url("trepart"), ports[0], folder)
        say("migrate, demo data, the drill's data …")
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manifest = python_module(env, "drill.prepare")
        (folder / "manifest.json").write_text(json.dumps(manifest))
        if not static_is_current():
            say("collectstatic …")
            collectstatic(env)
        for port in ports:
            servers.append(
                Gunicorn(
                    product_env(cluster.url("trepart"), port, folder),
                    port,
                    2,
                    folder / f"gunicorn-{port}.log",
                )
            )
            servers[-1].start()
        workers += [Worker(env, "drill-worker-1", folder), Worker(env, "drill-worker-2", folder)]
        probe_cookies = login(ports[0], manifest["politicians"][0], manifest["password"])
        seconds = int(MINUTES * 60)
        say(f"soak: {USERS} users for {seconds} s against ports {ports} …")
        began = time.monotonic()
        soak_process = run_locust(env, [f"http://127.0.0.1:{p}" for p in ports], folder, seconds)

        def at(fraction: float) -> None:
            time.sleep(max(0.0, began + fraction * seconds - time.monotonic()))

        at(0.2)
        say("backup: pg_dump of an exported snapshot …")
        dumped = backup(cluster, folder)
        at(0.35)
        say("daily jobs; killing the worker that runs the reminders …")
        kill = kill_worker_mid_job(cluster, env, workers, folder)
        say(f"  {kill}")
        at(0.6)
        say(f"PostgreSQL stopped for {OUTAGE_SECONDS:g} s …")
        outage = restart_postgres(cluster, ports, probe_cookies)
        say(f"  back; recovery {outage['recovery_seconds']} s")
        soak_process.wait(timeout=seconds + 120)
        soak_process = None
        say("soak over; waiting for the background jobs …")
        wait_for_jobs(cluster)
        soak = locust_totals(folder)
        verified = python_module(
            env,
            "drill.verify",
            str(folder / "manifest.json"),
            str(folder / "events.jsonl"),
            str(folder / "mailbox.jsonl"),
        )
        say("restoring the backup into a fresh database …")
        restored = restore(cluster, dumped, folder, manifest)
        results = checks(soak, outage, kill, verified, restored)
        info = {
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "pg_version": pg_version,
            "commit": code_version(),
            "soak": soak,
            "outage": outage,
            "verified": verified,
            "dumped": dumped,
        }
        report = write_report(info, results)
        print()
        print(report.read_text())
        print(f"(written to {report.relative_to(ROOT)}; logs in {folder})")
        finished = True
        return 0 if all(ok for _n, ok, _d in results) else 1
    finally:
        if soak_process and soak_process.poll() is None:
            soak_process.kill()
        for w in workers:
            w.stop()
        for s in servers:
            s.stop()
        cluster.stop("fast")
        if finished:  # the logs stay for a look; the database files and the dump go
            shutil.rmtree(cluster.data, ignore_errors=True)
            (folder / "trepart.dump").unlink(missing_ok=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (DrillError, BenchError) as error:
        print(f"make drill: {error}", file=sys.stderr)
        sys.exit(2)
