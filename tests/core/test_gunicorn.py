"""Issue 13 point 7: Trepart served as in production — gunicorn, DEBUG off, collected static
files — answers the login page, a static file and a 404 with the security headers.

The server runs on a database of the kind the tests use, made for this test with `migrate`: on
PostgreSQL (DATABASE_URL set) a throwaway database on that server, dropped afterwards; on
SQLite a file (the suite's own SQLite database lives in memory). Static files are collected
into a temporary STATIC_ROOT. This test never skips: if gunicorn cannot start, it fails with
gunicorn's output.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
HSTS_SECONDS = 3600
HOST = "trepart.test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_database(tmp_path: Path, env: dict):
    """A database of the same kind the tests use, migrated for this test, then dropped: on
    PostgreSQL (DATABASE_URL) a new database on that server, on SQLite a file."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        url = f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}"
        run(["manage.py", "migrate", "--noinput", "-v", "0"], {**env, "DATABASE_URL": url})
        yield url
        return
    import psycopg

    parts = urlsplit(configured)
    name = f"test_trepart_gunicorn_{secrets.token_hex(4)}"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = urlunsplit(parts._replace(path=f"/{name}"))
        run(["manage.py", "migrate", "--noinput", "-v", "0"], {**env, "DATABASE_URL": url})
        yield url
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: list[str], env: dict) -> None:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"


def fetch(port: int, path: str, *, https: bool = True):
    """(status, headers, body) of a GET, as nginx would pass it on (no redirects followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST})
    if https:
        request.add_header("X-Forwarded-Proto", "https")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn on a free port with the production settings, once for this module (collecting
    the static files and migrating take a while)."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    static_root = tmp_path / "static"
    env = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="trepart.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        BEHIND_TLS_PROXY="1",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS=str(HSTS_SECONDS),
        STATIC_ROOT=str(static_root),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ACCESS_LOG="0",
    )
    # Everything but the favicon, to show that an uncollected file is not served; and without
    # the packages' source maps, whose compression would take most of the time here.
    run(
        ["manage.py", "collectstatic", "--noinput", "-v", "0"]
        + ["--ignore", "favicon.svg", "--ignore", "*.map"],
        env,
    )
    assert GUNICORN.exists(), f"gunicorn is not installed in {GUNICORN.parent}"
    with throwaway_database(tmp_path, env) as url:
        env["DATABASE_URL"] = url
        port = free_port()
        log = tmp_path / "gunicorn.log"
        command = [str(GUNICORN), "trepart.wsgi", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", "1", "--no-control-socket", "--error-logfile", "-"]
        with log.open("w") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        try:
            wait_until_listening(process, port, log)
            yield {"port": port, "static_root": static_root, "log": log}
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_listening(process, port: int, log: Path) -> None:
    """Fail loudly (never skip) when gunicorn exits or does not listen within a minute."""
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not listen within 60 s:\n{log.read_text()}")
            time.sleep(0.2)


def assert_security_headers(headers, what: str) -> None:
    policy = headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, f"{what}: CSP {policy!r}"
    assert "frame-ancestors 'none'" in policy, policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy
    assert headers.get("Strict-Transport-Security") == (
        f"max-age={HSTS_SECONDS}; includeSubDomains"
    ), what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("X-Frame-Options") == "DENY", what
    assert headers.get("Referrer-Policy") == "same-origin", what
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", what


def test_gunicorn_serves_trepart_as_in_production(server):
    port = server["port"]

    # The login page, with every security header.
    status, headers, body = fetch(port, "/accounts/login/")
    assert status == 200, f"{status}: {body[:500]!r}\n{server['log'].read_text()[-5000:]}"
    assert b'name="password"' in body
    assert_security_headers(headers, "login page")
    assert "Secure" in headers.get("Set-Cookie", ""), headers.get("Set-Cookie")

    # A 404: our own page (not Django's technical one), with the same headers.
    status, headers, body = fetch(port, "/this-page-does-not-exist/")
    assert status == 404
    assert b"site-header" in body and b"Technical" not in body
    assert_security_headers(headers, "404 page")

    # Plain http is redirected to https (SECURE_SSL_REDIRECT behind the proxy).
    status, headers, _ = fetch(port, "/accounts/login/", https=False)
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/accounts/login/"


def test_only_collected_static_files_are_served(server):
    port = server["port"]
    static_root = server["static_root"]

    # Our own CSS and a vendored package, as collected (WhiteNoise, compressed copies beside).
    status, headers, body = fetch(port, "/static/css/trepart.css")
    assert status == 200
    assert body == (static_root / "css" / "trepart.css").read_bytes()
    assert headers.get("X-Content-Type-Options") == "nosniff"
    status, _, body = fetch(port, "/static/vendor/htmx/htmx.min.js")
    assert status == 200
    assert body == (static_root / "vendor" / "htmx" / "htmx.min.js").read_bytes()
    assert (static_root / "vendor" / "htmx" / "htmx.min.js.gz").exists()

    # Never anything from node_modules, under any address.
    assert (ROOT / "node_modules" / "htmx.org" / "package.json").exists()
    for path in (
        "/node_modules/htmx.org/package.json",
        "/static/node_modules/htmx.org/package.json",
        "/static/htmx.org/package.json",
        "/static/vendor/htmx/../package.json",
        "/static/vendor/htmx/%2e%2e/package.json",
        "/static/package.json",
        "/static/vendor/altcha/external/../../package.json",
    ):
        status, _, body = fetch(port, path)
        assert status == 404, f"{path} -> {status}"
        assert b'"name"' not in body, path

    # A file that is in static/ but was left out of collectstatic is not served: no finders.
    assert (ROOT / "static" / "favicon.svg").exists()
    assert not (static_root / "favicon.svg").exists()
    status, _, _ = fetch(port, "/static/favicon.svg")
    assert status == 404
