"""`make bench`'s load: logged-in clients requesting a fixed mix of key pages (issue 14, P8).

Standard library only (threads and http.client): no locust. Each role of the seeded dataset logs
in once through the real login form (and the administrator through the second factor with a
TOTP code from the seeded key); then `clients` threads go round the same fixed list of pages,
each starting at a different place in it, each request with the session of the role the page is
for. Every sixth request is the floor (/ping/), so the floor is measured in the same run, under
the same concurrency, between the other pages.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import math
import re
import struct
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from bench.report import DEFAULT_TARGET, FLOOR, WIDE_TARGET, Sample

USER_AGENT = "trepart-bench/1"
FLOOR_EVERY = 6  # every sixth request is the floor


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    auth: str  # a role of the manifest's users, or "api" for the Bearer token
    target: float | None = DEFAULT_TARGET


def key_pages(manifest: dict) -> list[Page]:
    """The fixed mix (issue 14 point 2): the floor, home for each role, the unit page, the
    meeting lists, a minutes page, the input triage list, the measures boards, the steering
    overview and group, the people list, search (a common and a rare word) and the API lists."""
    unit = manifest["unit_id"]
    meeting = manifest["meeting_id"]
    common, rare = (manifest.get("search_terms") or ["turnus", "dusjstol"])[:2]
    pages = [Page(FLOOR, "/ping/", "unit_leader", None)]
    pages += [Page(f"home ({role})", "/", role) for role in manifest["users"]]
    pages += [
        Page("unit page", f"/units/{unit}/", "unit_leader"),
        Page("meetings", "/meetings/", "unit_leader"),
        Page("unit meetings", f"/meetings/unit/{unit}/", "unit_leader"),
        Page("minutes page", f"/meetings/{meeting}/", "unit_leader"),
        Page("input triage", f"/inputs/unit/{unit}/", "unit_leader"),
        Page("measures board", f"/measures/unit/{unit}/", "unit_leader"),
        Page("measures (all)", "/measures/", "unit_leader"),
        Page("steering overview", "/steering-group/overview/", "politician", WIDE_TARGET),
        Page("steering group", "/steering-group/", "politician"),
        Page("people list", "/manage/people/", "municipal_admin"),
        Page("search (common)", f"/search/?q={quote(common)}", "unit_leader", WIDE_TARGET),
        Page("search (rare)", f"/search/?q={quote(rare)}", "unit_leader", WIDE_TARGET),
        Page("API units", "/api/units", "api"),
        Page("API meetings", "/api/meetings", "api"),
        Page("API inputs", "/api/inputs", "api"),
        Page("API measures", "/api/measures", "api"),
    ]
    return pages


def schedule(pages: list[Page]) -> list[Page]:
    """One round: every page but the floor once, with the floor after every fifth of them."""
    others = [p for p in pages if p.name != FLOOR]
    floor = next(p for p in pages if p.name == FLOOR)
    out = []
    for i, page in enumerate(others):
        out.append(page)
        if i % (FLOOR_EVERY - 1) == FLOOR_EVERY - 2:
            out.append(floor)
    return out


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1), as django-otp's TOTPDevice computes it."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def server_timing(header: str | None) -> float | None:
    """The app;dur=<ms> of a Server-Timing header (trepart.core.middleware), or None."""
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name == "app":
            for param in params.split(";"):
                key, _, value = param.strip().partition("=")
                if key == "dur":
                    try:
                        return float(value)
                    except ValueError:
                        return None
    return None


class Http:
    """One client connection (gunicorn's sync workers close it after each answer; http.client
    opens a new one when needed)."""

    def __init__(self, port: int, timeout: float = 120):
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method, path, headers=None, body=None):
        """(status, headers, body, ms). Retries once on a closed connection."""
        headers = {"Host": "127.0.0.1", "User-Agent": USER_AGENT, **(headers or {})}
        for attempt in (1, 2):
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                ms = (time.perf_counter() - start) * 1000
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                return response.status, response, data, ms
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        self.conn.close()


class LoginFailed(RuntimeError):
    pass


def _cookies(response, jar: dict) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]


def _cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _form_post(client: Http, jar: dict, path: str, fields: dict):
    status, response, body, _ms = client.request("GET", path, {"Cookie": _cookie_header(jar)})
    _cookies(response, jar)
    found = CSRF_RE.search(body)
    if status != 200 or not found:
        raise LoginFailed(f"GET {path}: {status}, no form")
    data = urlencode({"csrfmiddlewaretoken": found.group(1).decode(), **fields})
    status, response, body, _ms = client.request(
        "POST",
        path,
        {
            "Cookie": _cookie_header(jar),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{client.port}{path}",
        },
        data,
    )
    _cookies(response, jar)
    return status, response, body


def login(port: int, email: str, password: str, totp_key: str | None = None) -> dict:
    """A logged-in session's cookies, through the login form (and the second factor when a key
    is given). Raises LoginFailed with the reason."""
    client = Http(port)
    jar: dict = {}
    try:
        status, response, _body = _form_post(
            client, jar, "/accounts/login/", {"username": email, "password": password}
        )
        if status != 302 or "sessionid" not in jar:
            raise LoginFailed(f"login of {email}: status {status} (expected a redirect)")
        if totp_key:
            for attempt in (1, 2):
                status, response, _body = _form_post(
                    client, jar, "/sso/second-factor/", {"code": totp(totp_key)}
                )
                if status == 302:
                    break
                if attempt == 2:
                    raise LoginFailed(f"second factor of {email}: status {status}")
                # A code is accepted once: wait for the next one (a run just before used it).
                time.sleep(31 - time.time() % 30)
        return jar
    finally:
        client.close()


SECRET_RE = re.compile(rb'id="api-token-secret"[^>]*value="([^"]+)"')


def api_tokens(port: int, cookies: dict, n: int) -> list[str]:
    """n read tokens made through the person's own page (the API allows 120 requests a minute
    per token, so each client is its own integration with its own token, as in real use). They
    expire tomorrow, the shortest a token can live."""
    import datetime

    client = Http(port)
    jar = dict(cookies)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    secrets = []
    try:
        for i in range(n):
            status, _response, body = _form_post(
                client,
                jar,
                "/accounts/me/api-tokens/new/",
                {"name": f"make bench, client {i + 1}", "scopes": "read", "expires_on": tomorrow},
            )
            found = SECRET_RE.search(body)
            if status != 200 or not found:
                raise LoginFailed(f"making an API token: status {status}")
            secrets.append(found.group(1).decode())
    finally:
        client.close()
    return secrets


def login_all(port: int, manifest: dict) -> dict[str, dict]:
    """Cookies per role of the manifest."""
    sessions = {}
    for role, email in manifest["users"].items():
        key = manifest.get("totp_key") if role == "municipal_admin" else None
        sessions[role] = login(port, email, manifest["password"], key)
    return sessions


@dataclass
class LoadResult:
    samples: dict[str, list[Sample]]
    errors: list[str]
    seconds: float
    requests: int


def _headers_for(page: Page, sessions: dict, token: str) -> dict:
    if page.auth == "api":
        return {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    return {"Cookie": _cookie_header(sessions[page.auth]), "Accept": "text/html"}


def run_load(
    port: int,
    pages: list[Page],
    sessions: dict,
    tokens: list[str],
    *,
    clients: int = 8,
    seconds: float = 180,
    samples_wanted: int = 100,
    warmup_rounds: int = 2,
    progress=None,
) -> LoadResult:
    """`clients` threads go round the schedule, each from its own offset and with its own API
    token, until every page has `samples_wanted` samples or `seconds` have passed (0 samples
    wanted: always `seconds`). First a warm-up that is not counted: together the clients go
    `warmup_rounds` times round the schedule. Every non-200 answer is an error."""
    order = schedule(pages)
    samples: dict[str, list[Sample]] = {p.name: [] for p in pages}
    errors: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1, timeout=1800)
    stop = threading.Event()
    counted = [0]

    def worker(index: int):
        client = Http(port)
        offset = index * len(order) // clients
        token = tokens[index % len(tokens)]
        headers = {p.name: _headers_for(p, sessions, token) for p in pages}
        try:
            for i in range(math.ceil(warmup_rounds * len(order) / clients)):
                page = order[(offset + i) % len(order)]
                try:
                    client.request("GET", page.path, headers[page.name])
                except (OSError, http.client.HTTPException):
                    pass  # the counted run reports it
            start_gate.wait()
            i = 0
            while not stop.is_set():
                page = order[(offset + i) % len(order)]
                i += 1
                try:
                    status, response, body, ms = client.request(
                        "GET", page.path, headers[page.name]
                    )
                    queries = response.getheader("X-Query-Count")
                    sample = Sample(
                        ms,
                        status,
                        int(queries) if queries else None,
                        server_timing(response.getheader("Server-Timing")),
                    )
                except (OSError, http.client.HTTPException) as error:
                    sample = Sample(0.0, 0)
                    body = str(error).encode()
                    status = 0
                with lock:
                    samples[page.name].append(sample)
                    counted[0] += 1
                    if status != 200:
                        errors.append(
                            f"{page.name} {page.path}: {status} "
                            f"{body[:160].decode(errors='replace')!r}"
                        )
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    began = time.perf_counter()
    while True:
        elapsed = time.perf_counter() - began
        with lock:
            fewest = min(len(v) for v in samples.values())
        if elapsed >= seconds or (samples_wanted and fewest >= samples_wanted):
            break
        if progress:
            progress(elapsed, seconds, counted[0], fewest, samples_wanted)
        time.sleep(min(0.5, seconds - elapsed))
    stop.set()
    for t in threads:
        t.join()
    took = time.perf_counter() - began
    if progress:
        progress(took, seconds, counted[0], fewest, samples_wanted, done=True)
    return LoadResult(samples=samples, errors=errors, seconds=took, requests=counted[0])
