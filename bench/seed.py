"""Seed a bench dataset into PostgreSQL, fast (issue 14, part 1; PRODUCT P8).

    from bench.seed import seed
    manifest = seed("national", "postgres://postgres@127.0.0.1:5432/trepart_bench")

(Re)creates the database, runs the migrations, drops the secondary indexes of the big tables,
streams every table with COPY (text-format chunks built here, never the ORM row by row), builds
the indexes again, resets the sequences, fills the search index with one INSERT … SELECT per
batch (the tsvector is computed by PostgreSQL) and runs VACUUM ANALYZE. Deterministic: one
`random.Random(SEED)` and the date of the run.

Scales: tiny (2 municipalities, 1 year: the test), small (one municipality, ~40 units),
large (one 1,000-unit municipality), national (356 municipalities, ~10,000 units, a Zipf-like
spread). Every scale has five years of monthly meetings (July skipped), except tiny.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from bench import seed_text as tx

SEED = 14
PASSWORD = "bench-Trepart-14"
RESULTS = Path(__file__).resolve().parent / "results"
CHUNK_ROWS = 50_000

ROLES = (
    "unit_leader",
    "department_leader",
    "local_union_rep",
    "safety_rep",
    "employee",
    "employee_other_unit",
    "politician",
    "administration",
    "chief_union_rep",
    "chief_safety_rep",
    "municipal_admin",
)

# Tables whose secondary indexes are dropped during the load and built again afterwards.
BIG_TABLES = (
    "accounts_user",
    "organisation_roleassignment",
    "meetings_meeting",
    "meetings_agendaitem",
    "meetings_attendance",
    "meetings_minutesversion",
    "meetings_actionitem",
    "inputs_input",
    "measures_measure",
    "measures_measureevent",
    "measures_riskassessment",
    "reporting_unitreport",
    "reporting_reportversion",
    "search_searchentry",
)


# Session settings of every loading connection (we connect as the superuser).
SESSION = (
    "SET session_replication_role = replica",
    "SET synchronous_commit = off",
    "SET maintenance_work_mem = '512MB'",
    "SET work_mem = '64MB'",
    "SET default_toast_compression = 'lz4'",
)


def zipf_sizes(count: int, total: int, largest: int, smallest: int = 5) -> list[int]:
    """Unit counts of `count` municipalities: the largest has `largest`, most have 5–30, and
    they add up to about `total` (the exponent is found by bisection)."""
    lo, hi = 0.3, 2.0
    for _ in range(40):
        a = (lo + hi) / 2
        sizes = [max(smallest, min(largest, round(largest / (k**a)))) for k in range(1, count + 1)]
        if sum(sizes) > total:
            lo = a
        else:
            hi = a
    return sizes


SCALES = {
    "tiny": {"units": [8, 4], "years": 1},
    "small": {"units": [40], "years": 5},
    "large": {"units": [1000], "years": 5},
    "national": {"units": zipf_sizes(356, 10_000, 1000), "years": 5},
}


# --------------------------------------------------------------------------------------------
# COPY text format helpers


def esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")


def jesc(obj) -> str:
    """JSON, escaped for COPY's text format."""
    return esc(json.dumps(obj, ensure_ascii=False))


NULL = "\\N"


def ts(day: dt.date, hhmm: str = "09:00") -> str:
    return f"{day.isoformat()} {hhmm}:00+00"


class Progress:
    """A hand-made progress bar on stderr: table, rows done/total, rows per second."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def start(self, name: str, total: int):
        self.name, self.total, self.t0, self.done = name, max(total, 1), time.monotonic(), 0
        self._draw()

    def add(self, rows: int):
        self.done += rows
        self._draw()

    def _draw(self, end=""):
        if not self.enabled:
            return
        rate = self.done / max(time.monotonic() - self.t0, 1e-6)
        width = 24
        filled = min(width, int(width * self.done / self.total))
        sys.stderr.write(
            f"\r{self.name:<28} [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done:>10,}/{self.total:<10,} {rate:>10,.0f} rows/s{end}"
        )
        sys.stderr.flush()

    def finish(self):
        self._draw(end="\n")

    def note(self, text: str):
        if self.enabled:
            sys.stderr.write(f"{text}\n")
            sys.stderr.flush()


# --------------------------------------------------------------------------------------------
# Database and Django


def _db_name(database_url: str) -> str:
    return urlparse(database_url).path.lstrip("/")


def _recreate_database(database_url: str) -> None:
    import psycopg

    parsed = urlparse(database_url)
    name = _db_name(database_url)
    admin_url = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url: str) -> None:
    import psycopg

    parsed = urlparse(database_url)
    admin_url = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{_db_name(database_url)}" WITH (FORCE)')


def _django(database_url: str):
    """Django set up for `database_url`: configured here when nobody did, else the default
    connection is pointed at that database (bench/run.py sets DATABASE_URL before setup)."""
    import django
    from django.conf import settings

    if not settings.configured:
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trepart.settings")
        # Production settings refuse to start without a key; the seeder serves nothing.
        os.environ.setdefault("SECRET_KEY", "bench-seed-only-not-secret")
        django.setup()
    else:
        django.setup()
    from django.db import connection

    parsed = urlparse(database_url)
    wanted = {
        "NAME": _db_name(database_url),
        "USER": parsed.username or "",
        "PASSWORD": parsed.password or "",
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
    }
    if connection.vendor != "postgresql":
        raise RuntimeError("The bench seeds PostgreSQL only: set DATABASE_URL to postgres://…")
    if any(str(connection.settings_dict.get(k) or "") != v for k, v in wanted.items()):
        connection.close()
        connection.settings_dict.update(wanted)
    connection.close()
    return connection


# --------------------------------------------------------------------------------------------
# The loader


class Table:
    """One table's COPY column list: the columns given per row, then every other column with a
    constant (its default, NULL, or empty text) appended to each row."""

    def __init__(self, model, columns: list[str], now: str):
        self.name = model._meta.db_table
        given = set(columns)
        rest = [f for f in model._meta.concrete_fields if f.column not in given]
        self.columns = list(columns) + [f.column for f in rest]
        self.suffix = "".join("\t" + _constant(f, now) for f in rest) + "\n"


def _constant(field, now: str) -> str:
    from django.db import models

    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        value = field.get_default()
        if value is None:
            return NULL
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, dict | list):
            return jesc(value)
        if isinstance(value, dt.datetime):
            return now
        return esc(str(value))
    if field.null:
        return NULL
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value")


class Loader:
    def __init__(self, connection, progress: Progress, now: str):
        self.connection = connection
        self.progress = progress
        self.now = now
        self.counts: dict[str, int] = {}
        self.next_ids: dict[str, int] = {}

    def cursor(self):
        return self.connection.cursor()

    def first_id(self, model) -> int:
        table = model._meta.db_table
        if table not in self.next_ids:
            with self.cursor() as cur:
                cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
                self.next_ids[table] = cur.fetchone()[0]
        return self.next_ids[table]

    def copy(self, model, columns: list[str], rows, total: int, label: str | None = None) -> int:
        """Stream `rows` (strings: the given columns, tab-separated, no newline) into the table
        with COPY, in chunks of CHUNK_ROWS rows."""
        table = Table(model, columns, self.now)
        suffix = table.suffix
        label = label or model._meta.label
        self.progress.start(label, total)
        done = 0
        sql = f"COPY {table.name} ({', '.join(chr(34) + c + chr(34) for c in table.columns)}) FROM STDIN"
        with self.cursor() as cur, getattr(cur, "cursor", cur).copy(sql) as copy:
            buffer = io.StringIO()
            n = 0
            for row in rows:
                buffer.write(row)
                buffer.write(suffix)
                n += 1
                if n == CHUNK_ROWS:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
                    done += n
                    n = 0
                    self.progress.add(CHUNK_ROWS)
            if n:
                copy.write(buffer.getvalue())
                done += n
                self.progress.add(n)
        self.progress.finish()
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + done
        return done

    def drop_secondary_indexes(self, tables) -> list[str]:
        with self.cursor() as cur:
            cur.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname = ANY(%s) AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """,
                [list(tables)],
            )
            found = cur.fetchall()
            for name, _definition in found:
                cur.execute(f"DROP INDEX {name}")
        return [definition for _name, definition in found]

    def create_indexes(self, definitions: list[str]) -> None:
        self.progress.start("indexes", len(definitions))
        with self.cursor() as cur:
            for definition in definitions:
                cur.execute(definition)
                self.progress.add(1)
        self.progress.finish()

    def reset_sequences(self, models) -> None:
        with self.cursor() as cur:
            for model in models:
                if not model._meta.managed or model._meta.proxy:
                    continue
                pk = model._meta.pk
                if pk.column != "id" or not pk.get_internal_type().endswith("AutoField"):
                    continue
                table = model._meta.db_table
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table}"
                )


# --------------------------------------------------------------------------------------------
# Search terms, the same rule as trepart.search.matching (cached per text piece)


@functools.lru_cache(maxsize=200_000)
def _terms(text: str) -> tuple[str, ...]:
    from trepart.search import matching

    return tuple(matching.terms(text).split())


@functools.lru_cache(maxsize=200_000)
def _tails(term: str) -> tuple[str, ...]:
    from trepart.search import matching

    return tuple(matching.tails(term).split())


# PostgreSQL's parser keeps a date like 01.07.2026 as one word (matching.WORD splits it).
_WORDS = re.compile(r"\d+(?:\.\d+)+|[^\W_]+")


@functools.lru_cache(maxsize=300_000)
def _tokens(text: str) -> tuple[tuple[tuple[str, int], ...], int]:
    """The stems of a text with their word positions (stop words take a position but give no
    stem, as in PostgreSQL's parser), and the number of words."""
    from trepart.search import matching

    words = _WORDS.findall(text.lower())
    found = tuple(
        (matching.stem(w[: matching.MAX_WORD]), i)
        for i, w in enumerate(words, 1)
        if w not in matching.STOPWORDS
    )
    return found, len(words)


@functools.lru_cache(maxsize=200_000)
def _tail_lexemes(term: str) -> str:
    return " ".join(f"'{t}':{TAIL_POSITION}D" for t in _tails(term))


# Every compound tail gets this one position: tails are only matched by prefix (weight D), so
# their positions only nudge the rank; one position lets each stem's part be built once.
TAIL_POSITION = 16383


def search_row(kind, object_id, muni, unit, title, body_parts, date) -> str:
    """One search entry, its tsvector written as a literal: the same lexemes and weights as
    indexing._vector() — title (A) and body (B) with the Norwegian Snowball stems, the tails
    (D) — built from per-piece caches. PostgreSQL's to_tsvector over ~2M entries took most of
    the national seed (measured: 0.5 ms per minutes entry); parsing the literal is ~6× cheaper."""
    title = title[:300]
    parts = [p.strip() for p in body_parts if p and p.strip()]
    lexemes: dict[str, list[str]] = {}
    title_tokens, _n = _tokens(title)
    top = 0
    for stem, pos in title_tokens:
        lexemes.setdefault(stem, []).append(f"{pos}A")
        top = pos
    offset, body_top = top, top
    for part in parts:
        tokens, n = _tokens(part)
        for stem, pos in tokens:
            p = offset + pos
            lexemes.setdefault(stem, []).append(f"{min(p, 16383)}B")
            body_top = p
        offset += n
    title_terms = dict.fromkeys(_terms(title))
    body_terms = dict.fromkeys(itertools.chain.from_iterable(_terms(p) for p in parts))
    all_terms = dict.fromkeys(itertools.chain(title_terms, body_terms))
    tails = dict.fromkeys(itertools.chain.from_iterable(_tails(t) for t in all_terms))
    vector = " ".join(f"'{k}':{','.join(v[:256])}" for k, v in lexemes.items())
    tail_vector = " ".join(_tail_lexemes(t) for t in all_terms if _tails(t))
    if tail_vector:
        vector = f"{vector} {tail_vector}" if vector else tail_vector
    del body_top
    body = "\n".join(parts)
    return (
        f"{kind}\t{object_id}\t{muni}\t{NULL if unit is None else unit}\t{esc(title)}\t"
        f"{esc(body[:50_000])}\t{date}\t{' '.join(title_terms)}\t{' '.join(body_terms)}\t"
        f"{' '.join(tails)}\t{vector}"
    )


GRID = 64  # positions per agenda item in a minutes entry's vector (see minutes_search_row)


@functools.lru_cache(maxsize=100_000)
def _fragment(parts: tuple[str, ...], base: int) -> tuple[str, tuple[str, ...], str, str]:
    """One agenda item's part of a minutes entry: its vector literal (weight B, positions from
    `base`), its distinct stems, its tails' vector literal and its text (escaped for COPY)."""
    lexemes: dict[str, list[str]] = {}
    offset = base
    for part in parts:
        tokens, n = _tokens(part)
        for stem, pos in tokens:
            lexemes.setdefault(stem, []).append(f"{min(offset + pos, 16383)}B")
        offset += n
    terms = tuple(dict.fromkeys(itertools.chain.from_iterable(_terms(p) for p in parts)))
    vector = " ".join(f"'{k}':{','.join(v)}" for k, v in lexemes.items())
    tails = " ".join(_tail_lexemes(t) for t in terms if _tails(t))
    return vector, terms, tails, "\\n".join(esc(p) for p in parts)


def minutes_search_row(object_id, muni, unit, title, items, date) -> str:
    """A minutes entry from cached per-item fragments (issue 14: the national seed has ~550k
    minutes). Lexemes and weights are exactly those of indexing._vector(); each item's
    positions start on a grid of GRID positions instead of right after the previous item, so
    an item's fragment is built once and reused (PostgreSQL merges repeated lexemes when it
    reads the literal). Only ts_rank's distances between words of different items differ."""
    title_tokens, _n = _tokens(title)
    top = max((pos for _s, pos in title_tokens), default=0)
    title_vector = " ".join(
        f"'{k}':{','.join(v)}" for k, v in _positions(tuple(title_tokens), "A").items()
    )
    title_terms = _terms(title)
    frags = [_fragment(parts, top + k * GRID) for k, parts in enumerate(items)]
    body_terms = dict.fromkeys(itertools.chain.from_iterable(f[1] for f in frags))
    all_terms = dict.fromkeys(itertools.chain(title_terms, body_terms))
    tails = dict.fromkeys(itertools.chain.from_iterable(_tails(t) for t in all_terms))
    title_tails = " ".join(_tail_lexemes(t) for t in title_terms if _tails(t))
    vector = " ".join(
        x
        for x in itertools.chain(
            [title_vector], (f[0] for f in frags), [title_tails], (f[2] for f in frags)
        )
        if x
    )
    body = "\\n".join(f[3] for f in frags if f[3])
    return (
        f"minutes\t{object_id}\t{muni}\t{NULL if unit is None else unit}\t{esc(title)}\t"
        f"{body}\t{date}\t{' '.join(dict.fromkeys(title_terms))}\t{' '.join(body_terms)}\t"
        f"{' '.join(tails)}\t{vector}"
    )


@functools.lru_cache(maxsize=10_000)
def _positions(tokens: tuple[tuple[str, int], ...], weight: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for stem, pos in tokens:
        out.setdefault(stem, []).append(f"{pos}{weight}")
    return out


# --------------------------------------------------------------------------------------------
# The dataset


def _month_dates(start: dt.date, end: dt.date, weekday: int, ordinal: int) -> list[dt.date]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        if m != 7:  # no meetings in July
            first = dt.date(y, m, 1)
            day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
            if start <= day <= end:
                out.append(day)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def seed(scale: str = "small", database_url: str | None = None, progress: bool = True) -> dict:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}")
    database_url = database_url or os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/trepart_bench"
    )
    started = time.monotonic()
    bar = Progress(progress)
    _recreate_database(database_url)
    connection = _django(database_url)
    from django.core.management import call_command

    bar.note(f"seed {scale}: migrating {_db_name(database_url)} …")
    call_command("migrate", verbosity=0, interactive=False)
    manifest = _Seeder(connection, bar, scale, database_url).run()
    manifest.update(
        scale=scale, database_url=database_url, seconds=round(time.monotonic() - started, 1)
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"manifest-{scale}.json").write_text(json.dumps(manifest, indent=2) + "\n")
    bar.note(f"seed {scale}: done in {manifest['seconds']} s")
    return manifest


class _Seeder:
    def __init__(self, connection, bar: Progress, scale: str, database_url: str):
        self.connection = connection
        self.database_url = database_url
        self.threads, self.errors = [], []
        self.bar = bar
        self.scale = scale
        self.conf = SCALES[scale]
        self.rng = random.Random(SEED)
        self.today = dt.date.today()
        years = self.conf["years"]
        self.start = dt.date(self.today.year - years, self.today.month, 1)
        self.end = self.today + dt.timedelta(days=62)
        self.now = ts(self.today, "06:00")
        self.loader = Loader(connection, bar, self.now)
        # Precomputed random integers, indexed in the hot loops instead of calling the RNG.
        self.R = [self.rng.randrange(1 << 30) for _ in range(1 << 16)]

    def r(self, *keys: int) -> int:
        h = 0
        for k in keys:
            h = (h * 1_000_003 + k) & 0xFFFF
        return self.R[h]

    # ---------------------------------------------------------------------------------
    def run(self) -> dict:
        from django.apps import apps

        with self.connection.cursor() as cur:
            for setting in SESSION:
                cur.execute(setting)
        dropped = self.loader.drop_secondary_indexes(BIG_TABLES)

        self.organisation()
        self.meetings()
        self.inputs()
        self.measures()
        self.reports()
        self.extras()
        self.search()
        self.wait_background()

        self.loader.create_indexes(dropped)
        with self.connection.cursor() as cur:
            cur.execute("SET session_replication_role = DEFAULT")
        self.loader.reset_sequences(apps.get_models())
        self.bar.note("VACUUM ANALYZE …")
        with self.connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        return self.manifest()

    # ---------------------------------------------------------------------------------
    def organisation(self):
        from django.contrib.auth.hashers import make_password
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from trepart.accounts.models import User
        from trepart.api.models import ApiToken
        from trepart.inputs.models import InputLink
        from trepart.organisation.models import (
            Department,
            Municipality,
            RoleAssignment,
            ServiceArea,
            UnionPresence,
            Unit,
        )
        from trepart.reporting.models import ReportingSettings

        L, rng = self.loader, self.rng
        sizes = self.conf["units"]
        names = tx.municipality_names(len(sizes), rng)
        with self.connection.cursor() as cur:
            cur.execute(
                "SELECT id FROM organisation_union WHERE municipality_id IS NULL ORDER BY id"
            )
            unions = [row[0] for row in cur.fetchall()] or [None]
        if unions == [None]:
            raise RuntimeError("The national union catalogue is missing (migration 0002).")

        password = esc(make_password(PASSWORD))
        self.munis, self.units = [], []  # dicts
        muni_id = L.first_id(Municipality)
        area_id = L.first_id(ServiceArea)
        unit_id = L.first_id(Unit)
        user_id = L.first_id(User)
        start = self.start.isoformat()

        users, ras = [], []  # rows
        user_seq = itertools.count(user_id)

        def person(muni) -> int:
            uid = next(user_seq)
            full = f"{tx.FIRST[uid % len(tx.FIRST)]} {tx.LAST[(uid // 7) % len(tx.LAST)]}"
            users.append(
                f"{uid}\t{password}\tp{uid}@k{muni['id']}.bench.trepart.no\t{full}\t{muni['id']}"
            )
            return uid

        def role(muni, uid, role, unit=None, union=None, side="", department=None):
            ras.append(
                f"{muni['id']}\t{uid}\t{role}\t{NULL if unit is None else unit}\t"
                f"{NULL if union is None else union}\t{side}\t{start}\t"
                f"{NULL if department is None else department}"
            )

        area_rows, unit_rows, dept_rows, presence_rows, link_rows = [], [], [], [], []
        for mi, size in enumerate(sizes):
            muni = {"id": muni_id + mi, "name": names[mi], "units": []}
            self.munis.append(muni)
            n_areas = max(1, min(len(tx.AREAS), size // 5))
            areas = []
            for a in range(n_areas):
                area_rows.append(f"{area_id}\t{muni['id']}\t{tx.AREAS[a]}")
                areas.append(area_id)
                area_id += 1
            for ui in range(size):
                uid_ = unit_id
                unit_id += 1
                unit_rows.append(f"{uid_}\t{muni['id']}\t{areas[ui % n_areas]}\t{tx.unit_name(ui)}")
                dept_rows.append(f"{uid_}\t{uid_}\tAvdeling {tx.PLACES[ui % len(tx.PLACES)]}")
                link_rows.append(f"{uid_}\t{uid_}\tb{uid_:011d}")
                u = {"id": uid_, "muni": muni["id"], "name": tx.unit_name(ui)}
                u["leader"] = person(muni)
                role(muni, u["leader"], "unit_leader", unit=uid_)
                u["safety"] = person(muni)
                role(muni, u["safety"], "safety_rep", unit=uid_)
                n_unions = 2 + (self.r(uid_, 1) % 2)
                first_union = self.r(uid_, 2) % len(unions)
                u["reps"] = []
                for k in range(n_unions):
                    union = unions[(first_union + k) % len(unions)]
                    rep = person(muni)
                    role(muni, rep, "local_union_rep", unit=uid_, union=union)
                    u["reps"].append(rep)
                    presence_rows.append(f"{uid_}\t{union}\t{5 + self.r(uid_, k) % 40}")
                u["employees"] = [person(muni) for _ in range(3)]
                for e in u["employees"]:
                    role(muni, e, "employee", unit=uid_)
                u["dept_leader"] = None
                if ui % 4 == 0:
                    u["dept_leader"] = person(muni)
                    role(muni, u["dept_leader"], "department_leader", unit=uid_, department=uid_)
                muni["units"].append(u)
                self.units.append(u)
            steering = {}
            for side in ("position", "opposition"):
                steering.setdefault("politician", []).append(person(muni))
                role(muni, steering["politician"][-1], "politician", side=side)
            for name in ("administration", "chief_safety_rep", "municipal_admin"):
                steering[name] = [person(muni)]
                role(muni, steering[name][0], name)
            steering["chief_union_rep"] = []
            for k in range(2):
                steering["chief_union_rep"].append(person(muni))
                role(muni, steering["chief_union_rep"][-1], "chief_union_rep", union=unions[k])
            muni["steering"] = steering

        n_users = next(user_seq) - user_id
        L.copy(
            Municipality,
            ["id", "name", "number", "party_group_name"],
            (
                f"{m['id']}\t{m['name']}\t{3000 + i:04d}\t{'HMS-gruppa' if i % 3 == 0 else ''}"
                for i, m in enumerate(self.munis)
            ),
            len(self.munis),
        )
        L.copy(ServiceArea, ["id", "municipality_id", "name"], iter(area_rows), len(area_rows))
        L.copy(
            Unit,
            ["id", "municipality_id", "service_area_id", "name"],
            iter(unit_rows),
            len(unit_rows),
        )
        L.copy(Department, ["id", "unit_id", "name"], iter(dept_rows), len(dept_rows))
        L.copy(
            User,
            ["id", "password", "email", "full_name", "municipality_id"],
            iter(users),
            n_users,
        )
        ra_id = L.first_id(RoleAssignment)
        L.copy(
            RoleAssignment,
            [
                "id",
                "municipality_id",
                "person_id",
                "role",
                "unit_id",
                "union_id",
                "side",
                "starts_on",
                "department_id",
            ],
            (f"{ra_id + i}\t{row}" for i, row in enumerate(ras)),
            len(ras),
        )
        up_id = L.first_id(UnionPresence)
        L.copy(
            UnionPresence,
            ["id", "unit_id", "union_id", "member_count"],
            (f"{up_id + i}\t{row}" for i, row in enumerate(presence_rows)),
            len(presence_rows),
        )
        L.copy(InputLink, ["id", "unit_id", "token"], iter(link_rows), len(link_rows))
        rs_id = L.first_id(ReportingSettings)
        L.copy(
            ReportingSettings,
            ["id", "municipality_id"],
            (f"{rs_id + i}\t{m['id']}" for i, m in enumerate(self.munis)),
            len(self.munis),
        )

        # The bench people: all in the biggest municipality (the first), one unit.
        big = self.munis[0]
        unit = big["units"][0]
        other = big["units"][1]
        self.bench_unit = unit
        self.bench_users = {
            "unit_leader": unit["leader"],
            "department_leader": unit["dept_leader"],
            "local_union_rep": unit["reps"][0],
            "safety_rep": unit["safety"],
            "employee": unit["employees"][0],
            "employee_other_unit": other["employees"][0],
            "politician": big["steering"]["politician"][0],
            "administration": big["steering"]["administration"][0],
            "chief_union_rep": big["steering"]["chief_union_rep"][0],
            "chief_safety_rep": big["steering"]["chief_safety_rep"][0],
            "municipal_admin": big["steering"]["municipal_admin"][0],
        }
        self.totp_key = f"{rng.getrandbits(160):040x}"
        L.copy(
            TOTPDevice,
            ["id", "user_id", "name", "confirmed", "key"],
            iter(
                [
                    f"{L.first_id(TOTPDevice)}\t{self.bench_users['municipal_admin']}\tBench\tt\t"
                    f"{self.totp_key}"
                ]
            ),
            1,
        )
        self.api_token = "trp_bench" + f"{rng.getrandbits(128):032x}"
        digest = hashlib.sha256(self.api_token.encode()).hexdigest()
        expires = ts(self.today + dt.timedelta(days=300), "22:59")
        L.copy(
            ApiToken,
            [
                "id",
                "person_id",
                "name",
                "scopes",
                "token_hash",
                "prefix",
                "created_at",
                "expires_at",
            ],
            iter(
                [
                    f"{L.first_id(ApiToken)}\t{unit['leader']}\tBench\tread\t{digest}\t"
                    f"{self.api_token[:10]}\t{self.now}\t{expires}"
                ]
            ),
            1,
        )

    # ---------------------------------------------------------------------------------
    def _pools(self):
        """Agenda item contents: a pool of closed (published) items, escaped once."""
        rng = self.rng
        pool = []
        for i in range(4096):
            title = tx.fill(rng.choice(tx.ITEM_TITLES), rng)
            summary = tx.paragraph(rng, 1 + (i % 3 == 0))
            way = rng.choice(tx.WAYS)
            decision = rng.choice(tx.DECISIONS)
            pool.append((title, summary, way, decision))
        self.item_pool = pool
        self.standing_summaries = [tx.paragraph(rng, 1) for _ in range(512)]

    def meetings(self):
        from trepart.meetings.models import (
            ActionItem,
            AgendaItem,
            Attendance,
            Meeting,
            MeetingSeries,
            MinutesVersion,
            StandingItem,
        )

        L = self.loader
        self._pools()
        today = self.today
        date_lists = {
            (wd, o): _month_dates(self.start, self.end, wd, o) for wd in range(5) for o in (1, 2, 3)
        }
        series_id = L.first_id(MeetingSeries)
        meeting_id = L.first_id(Meeting)
        item_id = L.first_id(AgendaItem)
        # Meeting descriptors: (id, muni, unit or None, series, date, state, first item, items)
        # state: P published, C cancelled, H held (draft minutes), F future (planned)
        series_rows, standing_rows, descs = [], [], []
        groups = [(m, u) for m in self.munis for u in m["units"]] + [(m, None) for m in self.munis]
        for m, u in groups:
            key = u["id"] if u else -m["id"]
            wd, o = (key % 5, 1 + key % 3) if u else (2, 1)
            dates = date_lists[(wd, o)]
            title = "Partsgruppemøte" if u else "Styringsgruppemøte"
            kind = "development" if u else "dialogue"
            series_rows.append(
                f"{series_id}\t{m['id']}\t{NULL if u is None else u['id']}\t{title}\t{kind}\t"
                f"{o}\t{wd}\t09:00\t10:30\t{self.start.isoformat()}"
            )
            group = u if u else {"leader": m["steering"]["administration"][0]}
            group["series"] = series_id
            for k, (skey, stitle) in enumerate(
                tx.STANDING if u else [("unit_reports", "Rapporter fra enhetene")]
            ):
                standing_rows.append(
                    f"{m['id']}\t{NULL if u is None else u['id']}\t{skey}\t{stitle}\t{k}"
                )
            last_past = max((i for i, d in enumerate(dates) if d < today), default=-1)
            for i, d in enumerate(dates):
                if d >= today:
                    state, n = "F", 6
                elif i == last_past and key % 4 == 0:
                    state, n = "H", 10
                elif self.r(key, i) % 40 == 0:
                    state, n = "C", 10
                else:
                    state, n = "P", 10
                descs.append([meeting_id, m["id"], u, series_id, d, state, item_id, n, m])
                meeting_id += 1
                item_id += n
            series_id += 1
        # The long meeting (~25 items, several paragraphs each): the bench unit's latest
        # published meeting. Items are numbered in order, so renumber from there on.
        bench = self.bench_unit
        long_idx = max(i for i, d in enumerate(descs) if d[2] is bench and d[5] == "P")
        descs[long_idx][7] = 25
        next_item = descs[0][6]
        for d in descs:
            d[6] = next_item
            next_item += d[7]
        self.long_meeting = descs[long_idx][0]
        self.long_paragraphs = [
            "\n\n".join(tx.paragraph(self.rng, 3) for _ in range(4)) for _ in range(25)
        ]
        self.long_paragraphs[4] = "Garderobeskapene må byttes. " + self.long_paragraphs[4]
        self.descs = descs
        n_meetings = len(descs)
        n_items = next_item - descs[0][6]
        published = [d for d in descs if d[5] == "P"]

        L.copy(
            MeetingSeries,
            [
                "id",
                "municipality_id",
                "unit_id",
                "title",
                "kind",
                "ordinal",
                "weekday",
                "start_time",
                "end_time",
                "starts_on",
            ],
            iter(series_rows),
            len(series_rows),
        )
        st_id = L.first_id(StandingItem)
        L.copy(
            StandingItem,
            ["id", "municipality_id", "unit_id", "key", "title", "order"],
            (f"{st_id + i}\t{row}" for i, row in enumerate(standing_rows)),
            len(standing_rows),
        )

        status_of = {
            "P": ("held", "published"),
            "C": ("cancelled", "draft"),
            "H": ("held", "draft"),
            "F": ("planned", "draft"),
        }
        months = tx.MONTHS

        def meeting_rows():
            for mid, muni, u, sid, d, state, _first, _n, m in descs:
                status, minutes = status_of[state]
                title = ("Partsgruppemøte " if u else "Styringsgruppemøte ") + (
                    f"{months[d.month - 1]} {d.year}"
                )
                chair = u["leader"] if u else m["steering"]["administration"][0]
                sent = (
                    NULL if state == "F" and (d - today).days > 14 else ts(d - dt.timedelta(days=7))
                )
                yield (
                    f"{mid}\t{muni}\t{NULL if u is None else u['id']}\t{sid}\t{d}\t{title}\t"
                    f"{'development' if u else 'dialogue'}\t{ts(d)}\t{ts(d, '10:30')}\t"
                    f"Møterommet\t{status}\t{'Sykdom' if state == 'C' else ''}\t{chair}\t"
                    f"{minutes}\t{sent}"
                )

        L.copy(
            Meeting,
            [
                "id",
                "municipality_id",
                "unit_id",
                "series_id",
                "series_date",
                "title",
                "kind",
                "starts_at",
                "ends_at",
                "location",
                "status",
                "cancel_reason",
                "chair_id",
                "minutes_status",
                "agenda_sent_at",
            ],
            meeting_rows(),
            n_meetings,
        )

        # Agenda items: the standing items first, then items from the pool.
        pool, P = self.item_pool, len(self.item_pool)
        ssum = self.standing_summaries
        closed_mid = [
            f"{esc(t)}\tdevelopment\tf\t\tclosed\t{esc(s)}\t{esc(w)}\t{esc(dd)}"
            for t, s, w, dd in pool
        ]
        open_mid = [f"{esc(t)}\tdevelopment\tf\t\taccepted\t\t\t" for t, _s, _w, _dd in pool]
        steer_closed_mid = [m.replace("\tdevelopment\t", "\tdialogue\t", 1) for m in closed_mid]
        steer_open_mid = [m.replace("\tdevelopment\t", "\tdialogue\t", 1) for m in open_mid]
        standing_open = [f"{esc(t)}\tdevelopment\tt\t{k}\taccepted\t\t\t" for k, t in tx.STANDING]
        standing_closed = [
            [
                f"{esc(t)}\tdevelopment\tt\t{k}\tclosed\t{esc(s)}\tFølges opp på neste møte.\t"
                for s in ssum
            ]
            for k, t in tx.STANDING
        ]
        steer_standing_open = "Rapporter fra enhetene\tdialogue\tt\tunit_reports\taccepted\t\t\t"
        steer_standing_closed = [
            f"Rapporter fra enhetene\tdialogue\tt\tunit_reports\tclosed\t{esc(s)}\t"
            f"Styringsgruppa svarer enhetene skriftlig.\t"
            for s in ssum
        ]
        long_meeting = self.long_meeting
        long_pars = [esc(p) for p in self.long_paragraphs]
        R = self.R

        def item_index(mid, k):
            return R[(mid * 31 + k * 7) & 0xFFFF] % P

        self.item_index = item_index

        def item_rows():
            for mid, _muni, u, _sid, _d, state, first, n, _m in descs:
                closed = state in "PH"
                if u is None:
                    yield f"{first}\t{mid}\t0\t" + (
                        steer_standing_closed[mid & 511] if closed else steer_standing_open
                    )
                    mids = steer_closed_mid if closed else steer_open_mid
                    for k in range(1, n):
                        yield f"{first + k}\t{mid}\t{k}\t{mids[item_index(mid, k)]}"
                    continue
                for k in range(4):
                    yield f"{first + k}\t{mid}\t{k}\t" + (
                        standing_closed[k][(mid + k) & 511] if closed else standing_open[k]
                    )
                mids = closed_mid if closed else open_mid
                if mid == long_meeting:
                    for k in range(4, n):
                        t = pool[item_index(mid, k)][0]
                        yield (
                            f"{first + k}\t{mid}\t{k}\t{esc(t)}\tdevelopment\tf\t\tclosed\t"
                            f"{long_pars[k]}\t{esc(tx.WAYS[k % len(tx.WAYS)])}\t"
                        )
                    continue
                for k in range(4, n):
                    yield f"{first + k}\t{mid}\t{k}\t{mids[item_index(mid, k)]}"

        L.copy(
            AgendaItem,
            [
                "id",
                "meeting_id",
                "order",
                "title",
                "kind",
                "standing",
                "standing_key",
                "status",
                "summary",
                "way_forward",
                "decisions",
            ],
            item_rows(),
            n_items,
        )

        # Attendance: the party group (or the steering group) at every held meeting.
        def members(u, m):
            if u is None:
                s = m["steering"]
                return (
                    [("Politiker", p) for p in s["politician"]]
                    + [
                        ("Administrasjonen", s["administration"][0]),
                        ("Hovedverneombud", s["chief_safety_rep"][0]),
                    ]
                    + [("Hovedtillitsvalgt", p) for p in s["chief_union_rep"]]
                )
            return [("Leder", u["leader"]), ("Verneombud", u["safety"])] + [
                ("Tillitsvalgt", p) for p in u["reps"]
            ]

        held = [d for d in descs if d[5] in "PH"]
        n_att = sum(len(members(d[2], d[8])) for d in held)
        att_id = L.first_id(Attendance)

        def attendance_rows():
            i = att_id
            for mid, _muni, u, _sid, _d, _state, _first, _n, m in held:
                for k, (label, pid) in enumerate(members(u, m)):
                    status = "absent" if (mid + k) % 11 == 0 else "present"
                    yield f"{i}\t{mid}\t{pid}\t{label}\t{status}"
                    i += 1

        L.copy(
            Attendance,
            ["id", "meeting_id", "person_id", "role_label", "status"],
            attendance_rows(),
            n_att,
        )

        # Actions: one per held meeting, on its first non-standing item.
        act_id = L.first_id(ActionItem)
        self.action_text = [f"Følge opp: {esc(t[0])}" for t in pool]

        def action_rows():
            i = act_id
            for mid, _muni, u, _sid, d, _state, first, _n, m in held:
                who = u["leader"] if u else m["steering"]["administration"][0]
                k = 4 if u else 1
                due = d + dt.timedelta(days=30)
                done = ts(due - dt.timedelta(days=3)) if due < today else NULL
                yield (
                    f"{i}\t{mid}\t{first + k}\t{self.action_text[item_index(mid, k)]}\t{who}\t"
                    f"{due}\t{done}\t{who}"
                )
                i += 1

        L.copy(
            ActionItem,
            [
                "id",
                "meeting_id",
                "agenda_item_id",
                "description",
                "assignee_id",
                "due_on",
                "done_at",
                "created_by_id",
            ],
            action_rows(),
            len(held),
        )

        # Published minutes: one immutable version each, the content as minutes_snapshot().
        kind_label = {"development": "Utviklingssak", "dialogue": "Til orientering og dialog"}
        disagreement = (
            '"not_agreed": false, "positions": [], "in_between": "", "continued_on": "", '
            '"carried_count": 0, "continued_from": ""'
        )

        def item_json(iid, title, kind, standing, summary, way, decisions):
            return (
                f'{{"id": {iid}, "title": {json.dumps(title, ensure_ascii=False)}, '
                f'"kind": "{kind}", "kind_label": "{kind_label[kind]}", '
                f'"standing": {"true" if standing else "false"}, '
                f'"summary": {json.dumps(summary, ensure_ascii=False)}, '
                f'"way_forward": {json.dumps(way, ensure_ascii=False)}, '
                f'"decisions": {json.dumps(decisions, ensure_ascii=False)}, '
                f'"referrals": [], {disagreement}}}'
            )

        # Pre-rendered JSON pieces (with a placeholder for the item id), escaped for COPY.
        pool_json = {
            kind: [
                esc(item_json(0, t, kind, False, s, w, dd)).replace('{"id": 0,', '{"id": %d,', 1)
                for t, s, w, dd in pool
            ]
            for kind in kind_label
        }
        standing_json = [
            [
                esc(
                    item_json(0, t, "development", True, s, "Følges opp på neste møte.", "")
                ).replace('{"id": 0,', '{"id": %d,', 1)
                for s in ssum
            ]
            for _k, t in tx.STANDING
        ]
        steer_standing_json = [
            esc(
                item_json(
                    0,
                    "Rapporter fra enhetene",
                    "dialogue",
                    True,
                    s,
                    "Styringsgruppa svarer enhetene skriftlig.",
                    "",
                )
            ).replace('{"id": 0,', '{"id": %d,', 1)
            for s in ssum
        ]
        names = {}

        mv_id = L.first_id(MinutesVersion)

        def minutes_rows():
            i = mv_id
            for mid, _muni, u, _sid, d, _state, first, n, m in published:
                if u is None:
                    parts = [steer_standing_json[mid & 511] % first]
                    parts += [
                        pool_json["dialogue"][item_index(mid, k)] % (first + k) for k in range(1, n)
                    ]
                    kind = "dialogue"
                else:
                    parts = [standing_json[k][(mid + k) & 511] % (first + k) for k in range(4)]
                    if mid == long_meeting:
                        for k in range(4, n):
                            t = pool[item_index(mid, k)][0]
                            parts.append(
                                esc(
                                    item_json(
                                        first + k,
                                        t,
                                        "development",
                                        False,
                                        self.long_paragraphs[k],
                                        tx.WAYS[k % len(tx.WAYS)],
                                        "",
                                    )
                                )
                            )
                    else:
                        parts += [
                            pool_json["development"][item_index(mid, k)] % (first + k)
                            for k in range(4, n)
                        ]
                    kind = "development"
                chair = u["leader"] if u else m["steering"]["administration"][0]
                if chair not in names:
                    names[chair] = esc(json.dumps(self.full_name(chair), ensure_ascii=False))
                k = 4 if u else 1
                title = ("Partsgruppemøte " if u else "Styringsgruppemøte ") + (
                    f"{months[d.month - 1]} {d.year}"
                )
                head = (
                    f'{{"title": "{title}", "kind": "{kind_label[kind]}", '
                    f'"starts_at": "{d}T09:00:00+00:00", "ends_at": "{d}T10:30:00+00:00", '
                    f'"location": "Møterommet", "chair": {names[chair]}, "attendance": [], '
                )
                action = (
                    f'"actions": [{{"description": '
                    f"{esc(json.dumps(self.action_text[item_index(mid, k)], ensure_ascii=False))}, "
                    f'"assignee": {names[chair]}, "due_on": "{d + dt.timedelta(days=30)}", '
                    f'"item": ""}}]}}'
                )
                yield (
                    f'{i}\t{mid}\t1\t{head}"items": [{", ".join(parts)}], {action}\t{chair}\t'
                    f"{ts(d + dt.timedelta(days=2), '12:00')}"
                )
                i += 1

        # PostgreSQL's jsonb parsing is the bottleneck here, not Python: stream the minutes on
        # a second connection while this thread goes on generating the next tables.
        self.background(
            MinutesVersion,
            ["id", "meeting_id", "number", "content", "published_by_id", "published_at"],
            minutes_rows(),
            len(published),
        )
        self.published = published
        self.bench_meeting = long_meeting

    def background(self, model, columns, rows, total):
        """COPY `rows` on a second connection in a thread (joined by wait_background())."""
        import threading

        import psycopg

        def work():
            try:
                with psycopg.connect(self.database_url, autocommit=True) as conn:
                    for setting in SESSION:
                        conn.execute(setting)
                    loader = Loader(conn, Progress(False), self.now)
                    n = loader.copy(model, columns, rows, total)
                self.loader.counts[model._meta.label] = n
                self.bar.note(f"\n{model._meta.label}: {n:,} rows (second connection)")
            except BaseException as error:  # noqa: BLE001 — re-raised by wait_background()
                self.errors.append(error)

        thread = threading.Thread(target=work, name=f"copy {model._meta.label}")
        thread.start()
        self.threads.append(thread)

    def wait_background(self):
        for thread in self.threads:
            thread.join()
        self.threads = []
        if self.errors:
            raise self.errors[0]

    def full_name(self, uid: int) -> str:
        return f"{tx.FIRST[uid % len(tx.FIRST)]} {tx.LAST[(uid // 7) % len(tx.LAST)]}"

    # ---------------------------------------------------------------------------------
    def inputs(self):
        from trepart.inputs.models import Input
        from trepart.inputs.similarity import stems_text

        L, rng, today = self.loader, self.rng, self.today
        texts = []
        for _ in range(3000):
            text = tx.fill(rng.choice(tx.INPUT_OPENERS), rng)
            detail = rng.choice(tx.INPUT_DETAILS)
            texts.append(f"{text} {detail}".strip())
        # One rare text, so that search has a rare word to look for (the manifest's second term).
        texts.append("Garderobeskapene i kjelleren er ødelagte og kan ikke låses.")
        texts = list(dict.fromkeys(texts))
        stems = [esc(stems_text(t)) for t in texts]
        answers = [tx.fill(rng.choice(tx.ANSWERS), rng) for _ in range(600)]
        self.input_texts, self.input_answers = texts, answers
        days = (today - self.start).days
        per_year = 20
        years = self.conf["years"]
        categories = [
            "working_day",
            "services",
            "work_environment",
            "organisation",
            "competence",
            "other",
            "",
        ]
        closed = ["answered"] * 10 + ["taken_up"] * 5 + ["referred"] * 2 + ["not_taken_up"] * 3
        plan = []  # (unit, count)
        total = 0
        for u in self.units:
            n = int(per_year * years * (0.5 + (self.r(u["id"], 77) % 1000) / 1000))
            plan.append((u, n))
            total += n
        first = L.first_id(Input)
        self.inputs_first, self.inputs_total = first, total
        meta = []  # per input: (id, muni, unit, text index, answer index or -1, date)
        self.input_meta = meta
        T, A = len(texts), len(answers)

        def rows():
            iid = first
            for u, n in plan:
                uid = u["id"]
                for j in range(n):
                    h = self.r(uid, j, 3)
                    age = (h >> 4) % days
                    d = today - dt.timedelta(days=age)
                    ti = (h >> 2) % T
                    if age > 45:
                        status = "considering" if h % 29 == 0 else closed[h % 20]
                    else:
                        status = ("new", "new", "considering", "answered")[h % 4]
                    author = u["employees"][h % 3] if h % 10 < 3 else NULL
                    if status in ("new", "considering"):
                        ai, answer, ans_on, ans_by, ref = -1, "", NULL, NULL, ""
                        changed = d
                    else:
                        ai = (h >> 7) % A
                        answer = esc(answers[ai])
                        changed = min(today, d + dt.timedelta(days=3 + h % 40))
                        ans_on, ans_by = changed, u["leader"]
                        ref = "amu" if status == "referred" else ""
                    public = "t" if ai >= 0 and h % 5 < 2 else "f"
                    meta.append((iid, u["muni"], uid, ti, ai, d))
                    yield (
                        f"{iid}\t{u['muni']}\t{uid}\t{esc(texts[ti])}\t{categories[h % 7]}\t"
                        f"{author}\t{d}\t{status}\t{changed}\t{public}\t{answer}\t{ans_on}\t"
                        f"{ans_by}\t{ref}\t{stems[ti]}"
                    )
                    iid += 1

        L.copy(
            Input,
            [
                "id",
                "municipality_id",
                "unit_id",
                "text",
                "category",
                "author_id",
                "submitted_on",
                "status",
                "status_changed_on",
                "public",
                "answer",
                "answered_on",
                "answered_by_id",
                "referred_to",
                "stems",
            ],
            rows(),
            total,
        )

    # ---------------------------------------------------------------------------------
    def measures(self):
        from trepart.measures.models import Measure, MeasureEvent, RiskAssessment

        L, rng, today = self.loader, self.rng, self.today
        titles = [tx.fill(rng.choice(tx.MEASURE_TITLES), rng) for _ in range(2000)]
        paras = [tx.paragraph(rng, 2) for _ in range(2000)]
        self.measure_titles, self.measure_paras = titles, paras
        days = (today - self.start).days
        years = self.conf["years"]
        plan, total = [], 0
        for u in self.units:
            n = int(5 * years * (0.5 + (self.r(u["id"], 91) % 1000) / 1000))
            plan.append((u, n))
            total += n
        first = L.first_id(Measure)
        meta = []
        self.measure_meta = meta
        risks, events = [], []
        TT, PP = len(titles), len(paras)

        def rows():
            mid = first
            for u, n in plan:
                uid = u["id"]
                for j in range(n):
                    h = self.r(uid, j, 5)
                    age = (h >> 3) % days
                    d = today - dt.timedelta(days=age)
                    if age > 400:
                        stage = ("done", "done", "done", "stopped", "decided")[h % 5]
                    elif age > 180:
                        stage = ("evaluated", "decided", "done", "in_trial")[h % 4]
                    else:
                        stage = ("idea", "idea", "planned", "in_trial")[h % 4]
                    ti, pi = (h >> 5) % TT, (h >> 9) % PP
                    p = esc(paras[pi])
                    p2 = esc(paras[(pi + 1) % PP])
                    trial = stage in ("in_trial", "evaluated", "decided", "done")
                    t_start = d + dt.timedelta(days=30) if trial else None
                    t_start = min(t_start, today) if t_start else None
                    t_end = t_start + dt.timedelta(days=182) if t_start else None
                    evaluated = stage in ("evaluated", "decided", "done")
                    decided = stage in ("decided", "done")
                    decision = ("keep", "keep", "adjust", "revert")[h % 4] if decided else ""
                    win = stage == "done" and h % 10 == 0
                    meta.append((mid, u["muni"], uid, ti, pi, d, stage))
                    if trial:
                        risks.append(f"{mid}\t{u['safety']}\tt\t{t_start}\t{p2}")
                    events.append(f"{mid}\tcreated\t\tidea\t{u['leader']}\t{ts(d)}")
                    yield (
                        f"{mid}\t{u['muni']}\t{uid}\t{esc(titles[ti])}\t{stage}\t"
                        f"{u['leader']}\t{ts(d)}\t{ts(d + dt.timedelta(days=age // 2))}\t{p}\t"
                        f"{p2}\t{p if stage != 'idea' else ''}\t"
                        f"{'Vi vet at det virker når sykefraværet går ned.' if stage != 'idea' else ''}\t"  # noqa: E501
                        f"{t_start or NULL}\t{t_end or NULL}\t"
                        f"{t_end or NULL}\t{p2 if evaluated else ''}\t"
                        f"{(t_end or d) if evaluated else NULL}\t{decision}\t"
                        f"{(t_end or d) if decided else NULL}\t{'t' if win else 'f'}\t"
                        f"{p if win else ''}\t{(t_end or d) if win else NULL}"
                    )
                    mid += 1

        L.copy(
            Measure,
            [
                "id",
                "municipality_id",
                "unit_id",
                "title",
                "stage",
                "created_by_id",
                "created_at",
                "updated_at",
                "problem",
                "need_and_purpose",
                "goals",
                "success_criteria",
                "trial_started_on",
                "trial_ends_on",
                "evaluation_on",
                "findings",
                "evaluated_on",
                "decision",
                "decided_on",
                "is_win",
                "win_story",
                "win_marked_on",
            ],
            rows(),
            total,
        )
        ra_id = L.first_id(RiskAssessment)
        L.copy(
            RiskAssessment,
            ["id", "measure_id", "made_by_id", "by_safety_rep", "assessed_on", "summary"],
            (f"{ra_id + i}\t{row}" for i, row in enumerate(risks)),
            len(risks),
        )
        ev_id = L.first_id(MeasureEvent)
        L.copy(
            MeasureEvent,
            ["id", "measure_id", "kind", "from_stage", "to_stage", "actor_id", "at"],
            (f"{ev_id + i}\t{row}" for i, row in enumerate(events)),
            len(events),
        )

    # ---------------------------------------------------------------------------------
    def reports(self):
        from trepart.reporting.models import (
            Experience,
            ReportResponse,
            ReportVersion,
            SteeringQuestion,
            UnitReport,
        )

        L, rng, today = self.loader, self.rng, self.today
        well = [tx.fill(rng.choice(tx.REPORT_WELL), rng) for _ in range(300)]
        hard = [tx.fill(rng.choice(tx.REPORT_HARD), rng) for _ in range(300)]
        need = [tx.fill(rng.choice(tx.REPORT_NEED), rng) for _ in range(300)]
        self.report_words = (well, hard, need)
        quarters = []
        y, q = self.start.year, (self.start.month - 1) // 3
        while True:
            ps = dt.date(y, 3 * q + 1, 1)
            if ps > today:
                break
            pe = (dt.date(y + (q == 3), 1 if q == 3 else 3 * q + 4, 1)) - dt.timedelta(days=1)
            quarters.append((ps, pe))
            y, q = (y + 1, 0) if q == 3 else (y, q + 1)
        first = L.first_id(UnitReport)
        meta = []
        self.report_meta = meta
        versions, responses = [], []
        n_reports = len(self.units) * len(quarters)

        def rows():
            rid = first
            for u in self.units:
                uid = u["id"]
                for qi, (ps, pe) in enumerate(quarters):
                    h = self.r(uid, qi, 9)
                    due = pe + dt.timedelta(days=21)
                    sent = pe < today and (due < today or h % 2 == 0)
                    w, hd, nd = well[h % 300], hard[(h >> 3) % 300], need[(h >> 6) % 300]
                    figures = (
                        f'{{"inputs": {h % 30}, "answered": {h % 20}, "meetings": 3, '
                        f'"measures_in_trial": {h % 4}}}'
                    )
                    meta.append((rid, u["muni"], uid, u["name"], ps, pe, w, hd, nd))
                    if sent:
                        content = esc(
                            json.dumps(
                                {
                                    "went_well": w,
                                    "hard": hd,
                                    "need": nd,
                                    "figures": json.loads(figures),
                                },
                                ensure_ascii=False,
                            )
                        )
                        versions.append(f"{rid}\t1\t{content}\t{ts(due)}\t{u['leader']}")
                        if h % 10 == 0:
                            responses.append((rid, u["muni"], ts(due + dt.timedelta(days=5))))
                    yield (
                        f"{rid}\t{u['muni']}\t{uid}\t{ps}\t{pe}\t{due}\t"
                        f"{'sent' if sent else 'draft'}\t{esc(w)}\t{esc(hd)}\t{esc(nd)}\t"
                        f"{figures}\t{ts(due) if sent else NULL}"
                    )
                    rid += 1

        L.copy(
            UnitReport,
            [
                "id",
                "municipality_id",
                "unit_id",
                "period_start",
                "period_end",
                "due_on",
                "status",
                "went_well",
                "hard",
                "need",
                "figures",
                "first_sent_at",
            ],
            rows(),
            n_reports,
        )
        rv_id = L.first_id(ReportVersion)
        L.copy(
            ReportVersion,
            ["id", "report_id", "number", "content", "sent_at", "sent_by_id"],
            (f"{rv_id + i}\t{row}" for i, row in enumerate(versions)),
            len(versions),
        )
        by_muni = {m["id"]: m for m in self.munis}
        rr_id = L.first_id(ReportResponse)
        L.copy(
            ReportResponse,
            ["id", "report_id", "author_id", "role_label", "kind", "text", "created_at"],
            (
                f"{rr_id + i}\t{rid}\t{by_muni[mu]['steering']['politician'][0]}\tPolitiker\t"
                f"comment\tTakk for rapporten. Vi følger med på arbeidet.\t{at}"
                for i, (rid, mu, at) in enumerate(responses)
            ),
            len(responses),
        )
        questions = []
        for m in self.munis:
            asker = m["steering"]["politician"][0]
            for j, u in enumerate(m["units"][:: max(1, len(m["units"]) // 20)]):
                asked = today - dt.timedelta(days=10 + 17 * j)
                text = esc(tx.fill(tx.QUESTIONS[j % 3], rng))
                if j % 3 == 0:
                    ans = ("", NULL, NULL)
                else:
                    ans = (
                        "Det går bra, vi rapporterer mer i neste rapport.",
                        u["leader"],
                        ts(asked + dt.timedelta(days=7)),
                    )
                questions.append(
                    f"{m['id']}\t{u['id']}\t{asker}\tPolitiker\t{text}\t{ts(asked)}\t"
                    f"{ans[0]}\t{ans[1]}\t{ans[2]}"
                )
        sq_id = L.first_id(SteeringQuestion)
        L.copy(
            SteeringQuestion,
            [
                "id",
                "municipality_id",
                "unit_id",
                "asked_by_id",
                "asked_role_label",
                "text",
                "asked_at",
                "answer",
                "answered_by_id",
                "answered_at",
            ],
            (f"{sq_id + i}\t{row}" for i, row in enumerate(questions)),
            len(questions),
        )
        experiences = []
        ex_id = L.first_id(Experience)
        for m in self.munis:
            for j, u in enumerate(m["units"][:: max(1, len(m["units"]) // 10)]):
                when = ts(today - dt.timedelta(days=30 + 40 * j))
                t = tx.fill(tx.MEASURE_TITLES[j % len(tx.MEASURE_TITLES)], rng)
                a, b, c = (tx.paragraph(rng, 2) for _ in range(3))
                experiences.append(
                    (
                        ex_id + len(experiences),
                        m["id"],
                        u["id"],
                        t,
                        a,
                        b,
                        c,
                        when,
                        ("rota", "competence", "work_environment")[j % 3],
                    )
                )
        self.experiences = experiences
        L.copy(
            Experience,
            [
                "id",
                "municipality_id",
                "unit_id",
                "title",
                "theme",
                "tried",
                "happened",
                "learned",
                "contact_role",
                "status",
                "created_at",
                "published_at",
            ],
            (
                f"{i}\t{mu}\t{un}\t{esc(t)}\t{th}\t{esc(a)}\t{esc(b)}\t{esc(c)}\tEnhetsleder\t"
                f"published\t{w}\t{w}"
                for i, mu, un, t, a, b, c, w, th in experiences
            ),
            len(experiences),
        )

    def extras(self):
        """Nothing else the key pages read needs rows (notifications, surveys and reflection
        are empty in a fresh municipality too)."""

    # ---------------------------------------------------------------------------------
    def search(self):
        """The search index, streamed like every other table: the tsvector is written as a
        literal by search_row() (same lexemes and weights as indexing._vector())."""
        from trepart.search.models import SearchEntry

        L = self.loader
        pool, idx = self.item_pool, self.item_index
        ssum = self.standing_summaries
        standing_titles = [t for _k, t in tx.STANDING]
        months = tx.MONTHS

        def minutes():
            steer_standing = [
                ("Rapporter fra enhetene", x, "Styringsgruppa svarer enhetene skriftlig.")
                for x in ssum
            ]
            standing = [
                [(standing_titles[k], x, "Følges opp på neste møte.") for x in ssum]
                for k in range(4)
            ]
            items_pool = [tuple(p for p in item if p) for item in pool]
            for mid, muni, u, _sid, d, _state, _first, n, _m in self.published:
                if u is None:
                    items = [steer_standing[mid & 511]]
                    items += [items_pool[idx(mid, k)] for k in range(1, n)]
                else:
                    items = [standing[k][(mid + k) & 511] for k in range(4)]
                    if mid == self.long_meeting:
                        items += [
                            (pool[idx(mid, k)][0], self.long_paragraphs[k], tx.WAYS[k % 6])
                            for k in range(4, n)
                        ]
                    else:
                        items += [items_pool[idx(mid, k)] for k in range(4, n)]
                items.append((self.action_text[idx(mid, 4 if u else 1)],))
                title = ("Partsgruppemøte " if u else "Styringsgruppemøte ") + (
                    f"{months[d.month - 1]} {d.year}"
                )
                yield minutes_search_row(mid, muni, u["id"] if u else None, title, items, d)

        texts, answers = self.input_texts, self.input_answers

        def inputs():
            for iid, muni, uid, ti, ai, d in self.input_meta:
                text = texts[ti]
                first = text.strip().splitlines()[0]
                title = first if len(first) <= 80 else first[:80].rsplit(" ", 1)[0] + " …"
                body = [text, answers[ai]] if ai >= 0 else [text]
                yield search_row("input", iid, muni, uid, title, body, d)

        titles, paras = self.measure_titles, self.measure_paras

        def measures():
            for mid, muni, uid, ti, pi, d, stage in self.measure_meta:
                p, p2 = paras[pi], paras[(pi + 1) % len(paras)]
                body = [p, p2]
                if stage != "idea":
                    body += [p, "Vi vet at det virker når sykefraværet går ned."]
                if stage in ("evaluated", "decided", "done"):
                    body.append(p2)
                yield search_row("measure", mid, muni, uid, titles[ti], body, d)

        def reports():
            for rid, muni, uid, name, ps, pe, w, hd, nd in self.report_meta:
                title = f"{name} {ps:%d.%m.%Y}–{pe:%d.%m.%Y}"
                yield search_row("report", rid, muni, uid, title, [w, hd, nd], pe)

        def experiences():
            for i, mu, un, t, a, b, c, w, _th in self.experiences:
                yield search_row("experience", i, mu, un, t, [a, b, c, "Enhetsleder"], w[:10])

        sources = [
            ("minutes", minutes(), len(self.published)),
            ("input", inputs(), len(self.input_meta)),
            ("measure", measures(), len(self.measure_meta)),
            ("report", reports(), len(self.report_meta)),
            ("experience", experiences(), len(self.experiences)),
        ]
        columns = [
            "id",
            "kind",
            "object_id",
            "municipality_id",
            "unit_id",
            "title",
            "body",
            "date",
            "title_terms",
            "body_terms",
            "tails",
            "vector",
        ]
        next_id = L.first_id(SearchEntry)
        for kind, rows, n in sources:
            first = next_id
            L.copy(
                SearchEntry,
                columns,
                (f"{first + i}\t{row}" for i, row in enumerate(rows)),
                n,
                label=f"search.SearchEntry: {kind}",
            )
            next_id += n

    # ---------------------------------------------------------------------------------
    def manifest(self) -> dict:
        from trepart.accounts.models import User

        emails = dict(
            User.objects.filter(pk__in=[v for v in self.bench_users.values() if v]).values_list(
                "pk", "email"
            )
        )
        rare = "garderobeskap"
        return {
            "counts": dict(sorted(self.loader.counts.items())),
            "password": PASSWORD,
            "users": {role: emails.get(self.bench_users[role]) for role in ROLES},
            "totp_key": self.totp_key,
            "api_token": self.api_token,
            "municipality_id": self.munis[0]["id"],
            "unit_id": self.bench_unit["id"],
            "meeting_id": self.bench_meeting,
            "pdf_meeting_id": self.bench_meeting,
            "search_terms": ["turnus", rare],
        }


if __name__ == "__main__":  # python -m bench.seed [scale] [database_url]
    args = sys.argv[1:]
    result = seed(args[0] if args else "small", args[1] if len(args) > 1 else None)
    print(json.dumps({k: v for k, v in result.items() if k != "counts"}, indent=2))
    print(json.dumps(result["counts"], indent=2))
