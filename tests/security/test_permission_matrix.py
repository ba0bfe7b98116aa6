"""The permission matrix, generated from the URLconf (issue 15 part 1; P8, ARCHITECTURE rule 3).

`permission_matrix.toml` (next to this file) lists, for every URL name of the project, which of
the 13 roles may read it (GET) and which may write (POST). Each row is one test: every role asks
the row's URL, and every cell is checked against the file:

- allowed read: 200 or 302 (never a redirect to the login page);
- allowed write (an empty form, or the row's JSON `payload` for the API): 200, 201, 302, or a
  400 form error — access was granted;
- denied: the anonymous visitor is sent to the login page (the API: 401); a user of another
  municipality gets 404 for any URL that names an object; other roles 403, or the row's
  `denied` (404 where the object is private to another unit and its existence is not told);
  and a denied request writes nothing but bookkeeping (`BOOKKEEPING_TABLES`);
- a GET never writes anything but bookkeeping, whoever asks;
- a URL that takes POST only answers GET with 405.

`test_every_url_has_a_row` fails for a URL without a row, and for a row whose URL is gone.
How to read and extend the file: docs/security/permission-matrix.md.

`MATRIX_OBSERVE=/tmp/observed.json .venv/bin/pytest -n 0 tests/security/test_permission_matrix.py`
records what every URL answers every role (GET and POST) instead of asserting: a start for a new
row, to be reviewed against the rules before it goes into the file.
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction
from django.urls import reverse

from tests.security.conftest import (
    NAMED_OBJECTS,
    ROLES,
    Row,
    all_urls,
    client_as,
    load_matrix,
    login_path,
    sso_discovery_seeded,
)

OBSERVE = os.environ.get("MATRIX_OBSERVE", "")

URLS = all_urls()
ROWS, SETTINGS = load_matrix()
ADMIN_ROW = "admin:*"

READ_OK = {200, 302}
WRITE_OK = {200, 201, 302, 400, 409}  # 409: a stale revision, refused after access

# Tables a refused request may still write: the session, the login lockout's records, rate
# limits and a personal API token's "last used". Nothing else.
BOOKKEEPING_TABLES = {
    "django_session",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
    "core_ratelimitbucket",
    "api_apitoken",
}

_WRITE_SQL = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _row_for(url_name: str) -> str | None:
    if url_name in ROWS:
        return url_name
    if url_name.startswith("admin:") and ADMIN_ROW in ROWS:
        return ADMIN_ROW
    return None


def coverage_problems(urls, rows) -> list[str]:
    """URLs without a row, rows whose URL is gone, and unknown object names."""
    problems = [
        f"no row for the URL {name}"
        for name in sorted(urls)
        if name not in rows and not (name.startswith("admin:") and ADMIN_ROW in rows)
    ]
    problems += [
        f"row [{key!r}]: no such URL"
        for key, row in sorted(rows.items())
        if key != ADMIN_ROW and row.url_name not in urls
    ]
    problems += [
        f"row [{key!r}]: unknown object {obj!r}"
        for key, row in sorted(rows.items())
        for obj in row.objects
        if obj not in NAMED_OBJECTS
    ]
    return problems


def test_every_url_has_a_row():
    """A new URL fails the suite until the reviewed file says who may read and write it."""
    problems = coverage_problems(URLS, ROWS)
    assert not problems, "permission_matrix.toml is out of date:\n  " + "\n  ".join(problems)


def test_a_new_url_or_a_stale_row_is_reported():
    urls = {**URLS, "meetings:brand_new": URLS["meetings:index"]}
    rows = {**ROWS, "meetings:gone": Row("meetings:gone", "meetings:gone", frozenset(), None)}
    assert coverage_problems(urls, rows) == [
        "no row for the URL meetings:brand_new",
        "row ['meetings:gone']: no such URL",
    ]


def test_a_refusal_that_writes_or_a_wrong_status_is_reported():
    row = ROWS["organisation:manage"]
    url = URLS["organisation:manage"]
    assert check_cell(row, url, "municipal_admin", "GET", 200, "", set()) is None
    assert "expected 403" in check_cell(row, url, "employee", "GET", 200, "", set())
    assert "login page" in check_cell(row, url, "anonymous", "GET", 403, "", set())
    assert "wrote to organisation_unit" in check_cell(
        row, url, "employee", "GET", 403, "", {"organisation_unit", "django_session"}
    )
    assert check_cell(row, url, "employee", "GET", 403, "", {"django_session"}) is None


# --- one request --------------------------------------------------------------------------------


def _path(url, row: Row, world) -> str:
    kwargs = {}
    chosen = {NAMED_OBJECTS[o][0]: NAMED_OBJECTS[o][1] for o in row.objects}
    for kwarg, key in url.arguments:
        assert key, f"{url.name}: no world object for the URL argument {kwarg!r}"
        kwargs[kwarg] = world.objects[key][chosen.get(key, 0)]
    return reverse(url.name, kwargs=kwargs) + row.query


def _payload(row: Row, world) -> str:
    """The row's JSON payload, with "@<world key>" values replaced by that object's id."""

    def value(v):
        if isinstance(v, str) and v.startswith("@"):
            return world.objects[v[1:]][0]
        return v

    return json.dumps({k: value(v) for k, v in (row.payload or {}).items()})


def request_cell(world, role: str, method: str, path: str, *, api: bool, payload=None):
    """(status, redirect path, tables written) of one request, rolled back afterwards."""
    client = client_as(world, role)
    headers = {}
    if api and role in world.tokens:
        headers["Authorization"] = f"Bearer {world.tokens[role]}"
    written = set()

    def note_writes(execute, sql, params, many, context):
        if match := _WRITE_SQL.match(sql):
            written.add(match.group(1))
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(note_writes):
        if method == "GET":
            response = client.get(path, headers=headers)
        elif payload is not None:
            response = client.post(path, payload, content_type="application/json", headers=headers)
        else:
            response = client.post(path, {}, headers=headers)
        transaction.set_rollback(True)
    location = urlsplit(response.get("Location", "")).path if response.status_code == 302 else ""
    return response.status_code, location, written


# --- what the file expects ----------------------------------------------------------------------


def expected(row: Row, url, role: str, method: str):
    """(the allowed statuses, or a single denied status / "login", whether access is granted)."""
    override = row.expected_now.get("read" if method == "GET" else "write", {}).get(role)
    allowed = row.read if method == "GET" else row.write
    if override is not None:
        return {override}, False
    if method == "GET" and allowed is None:
        return {405}, False
    if role in allowed:
        return (READ_OK if method == "GET" else WRITE_OK), True
    if role in row.denied:
        return {row.denied[role]}, False
    if role == "anonymous":
        return ({401} if url.is_api else "login"), False
    if role == "other_municipality" and url.arguments:
        return {404}, False  # ARCHITECTURE rule 3: never a 403 that tells the object exists
    return {row.denied.get("default", 403)}, False


def check_cell(row, url, role, method, status, location, written) -> str | None:
    want, granted = expected(row, url, role, method)
    what = f"{role:20} {method:4} -> {status}{' ' + location if location else ''}"
    if want == "login":
        if status != 302 or location != login_path():
            return f"{what}, expected a redirect to the login page"
    elif status not in want:
        return f"{what}, expected {'/'.join(map(str, sorted(want)))}"
    elif granted and status == 302 and location == login_path() and role != "anonymous":
        if not row.ends_at_login:
            return f"{what}: sent to the login page although allowed"
    bad = sorted(written - BOOKKEEPING_TABLES)
    if bad and not granted:
        return f"{what}: refused, but wrote to {', '.join(bad)}"
    if bad and method == "GET":
        return f"{what}: a GET wrote to {', '.join(bad)}"
    return None


def _observe(key: str, cells: dict) -> None:
    data = {}
    if os.path.exists(OBSERVE):
        with open(OBSERVE, encoding="utf-8") as f:
            data = json.load(f)
    data[key] = cells
    with open(OBSERVE, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)


def _run_row(row: Row, url, world, roles=ROLES) -> list[str]:
    path = _path(url, row, world)
    payload = _payload(row, world) if row.payload is not None else None
    failures, cells = [], {}
    if OBSERVE:
        for role in roles:
            cells[role] = {}
            for method in ("GET", "POST"):
                status, location, written = request_cell(
                    world, role, method, path, api=url.is_api, payload=payload
                )
                cells[role][method] = [status, location, sorted(written - BOOKKEEPING_TABLES)]
        _observe(row.key, cells)
        return []
    shares_route = any(u.route == url.route and u.name != url.name for u in URLS.values())
    if row.read is None and not shares_route:
        # POST only: GET answers 405 before any view code runs (to the anonymous visitor, a
        # redirect to the login page where the login check comes first).
        status, location, written = request_cell(world, "anonymous", "GET", path, api=url.is_api)
        if not (status == 302 and location == login_path()):
            failure = check_cell(row, url, "anonymous", "GET", status, location, written)
            failures += [failure] if failure else []
    for role in roles:
        methods = (["GET"] if row.read is not None else []) + (
            ["POST"] if row.write is not None else []
        )
        for method in methods:
            status, location, written = request_cell(
                world, role, method, path, api=url.is_api, payload=payload
            )
            failure = check_cell(row, url, role, method, status, location, written)
            if failure:
                failures.append(failure)
    return [f"{path}: {f}" for f in failures]


# --- the rows -----------------------------------------------------------------------------------


# Documents whose making costs far more than the permission check before it (PDF/A, PDF, Word):
# the matrix asks for each one once per allowed role, so it gets a stand-in document. What the
# documents hold is tested in tests/archive, tests/meetings and tests/inputs.
_DOCUMENTS = [
    ("trepart.archive.pdfa", ("minutes_pdfa", "report_pdfa", "measure_pdfa")),
    ("trepart.meetings.exports", ("minutes_pdf", "minutes_docx")),
    ("trepart.inputs.exports", ("poster_pdf",)),
]


@pytest.fixture(scope="module", autouse=True)
def _stand_in_documents():
    import importlib

    with pytest.MonkeyPatch.context() as patch:
        for module, names in _DOCUMENTS:
            for name in names:
                patch.setattr(importlib.import_module(module), name, lambda *a, **k: b"%PDF-1.7")
        yield


def _row_keys():
    if OBSERVE:  # every URL, with its row if there is one
        return sorted({n for n in URLS if not n.startswith("admin:")} | set(ROWS) - {ADMIN_ROW})
    return sorted(k for k in ROWS if k != ADMIN_ROW)


@pytest.mark.parametrize("key", _row_keys())
def test_permission_matrix(key, matrix_world, db):
    row = ROWS.get(key) or Row(key=key, url_name=key, read=frozenset(), write=frozenset())
    url = URLS.get(row.url_name)
    if url is None:
        pytest.skip("no such URL: test_every_url_has_a_row reports it")
    with sso_discovery_seeded():
        failures = _run_row(row, url, matrix_world)
    assert not failures, f"[{key}] disagrees with permission_matrix.toml:\n  " + "\n  ".join(
        failures
    )


def _admin_path(route: str) -> str:
    """A path for a Django admin pattern: each argument filled with "1", or with the first
    choice of a regular expression group."""
    path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    path = re.sub(r"\(\?P<\w+>([^|)]*)[^)]*\)", r"\1", path)
    return "/" + path.replace("^", "").replace("$", "")


def test_django_admin_is_for_staff_only(matrix_world, db):
    """One rule for the whole admin: namespace: no role of the matrix is staff, so every admin
    page sends every role to the admin's own login page (and a POST writes nothing)."""
    row = ROWS[ADMIN_ROW]
    admin_login = reverse("admin:login")
    failures = []
    roles = SETTINGS.get("admin_roles", ["anonymous", "municipal_admin"])
    for name, url in sorted(URLS.items()):
        if _row_for(name) != ADMIN_ROW:
            continue
        path = _admin_path(url.route)
        for role in roles:
            for method in ("GET", "POST"):
                status, location, written = request_cell(
                    matrix_world, role, method, path, api=False
                )
                allowed = role in (row.read if method == "GET" else row.write or ())
                if allowed:
                    continue
                if status != 302 or location != admin_login:
                    failures.append(f"{path}: {role} {method} -> {status} {location}")
                elif written - BOOKKEEPING_TABLES:
                    failures.append(f"{path}: {role} {method} wrote {written}")
    assert not failures, "Django admin reachable:\n  " + "\n  ".join(failures)
