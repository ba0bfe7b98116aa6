"""The drill's simulated users (locust, run headless by drill/run.py in var/drill-venv).

Three kinds, as in a real municipality on a working day:
- **staff** post inputs from their phones with the name hidden and keep the receipt code;
- **group members** write the minutes of the party group's meetings, several on the same item,
  and now and then two of them save the same item from the same starting point (two tabs, two
  people): the second must be told of the conflict, never silently overwrite;
- **politicians** read the steering group's overview and their home page.

Every acknowledged write (a receipt code given, a minutes save answered with the redirect) and
every conflict shown is appended to DRILL_EVENTS as one JSON line; the drill checks them against
the database afterwards. While PostgreSQL is down the product answers 503 with its own page
(`data-outage`): that is counted as an outage answer, not an error; any other failure is an
error in locust's statistics.

Nothing here imports Django: it runs in its own virtualenv.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
import uuid

from locust import HttpUser, between, events, task

MANIFEST = json.loads(open(os.environ["DRILL_MANIFEST"], encoding="utf-8").read())
EVENTS_PATH = os.environ["DRILL_EVENTS"]
HOSTS = os.environ["DRILL_HOSTS"].split(",")  # the two gunicorn processes

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION_RE = re.compile(r'name="item(\d+)-revision"[^>]*value="(\d+)"')
RECEIPT_RE = re.compile(r"/r/([^/?]+)/")
OUTAGE_MARK = "data-outage"

_events = open(EVENTS_PATH, "a", encoding="utf-8", buffering=1)


def record(kind: str, **data) -> None:
    _events.write(json.dumps({"kind": kind, "t": time.time(), **data}) + "\n")


@events.quitting.add_listener
def _close(environment, **kwargs):
    _events.flush()


class Outage(Exception):
    """The product said it is briefly unavailable: wait and go on."""


class DrillUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    logins: list[str] = []

    def on_start(self):
        # Each simulated person talks to one of the two gunicorn processes, as behind a
        # load balancer without sticky sessions the session lives in the database anyway.
        self.client.base_url = random.choice(HOSTS)
        self.email = random.choice(self.logins)
        while True:
            try:
                self.log_in()
                return
            except Outage:
                time.sleep(1)

    # -- helpers --------------------------------------------------------------------------

    def check(self, response, expected=(200,), name=None) -> str:
        """The body when the status is expected; an outage answer raises Outage; anything else
        is a failure in locust's statistics."""
        if response.status_code == 503 and OUTAGE_MARK in response.text:
            response.success()
            record("outage", path=name or response.request.path_url, status=503)
            raise Outage
        if response.status_code == 302 and "/accounts/login/" in response.headers.get(
            "Location", ""
        ):
            # Logged out in the middle of the soak: not an acknowledgement of anything.
            response.failure("redirected to the login page")
            raise RuntimeError("logged out")
        if response.status_code in expected:
            response.success()
            return response.text
        response.failure(f"status {response.status_code}")
        raise Outage if response.status_code >= 500 else RuntimeError(response.status_code)

    def get(self, path, name=None, expected=(200,)) -> str:
        with self.client.get(
            path, name=name or path, catch_response=True, allow_redirects=False
        ) as response:
            return self.check(response, expected, name)

    def post(self, path, data, name, expected=(302,)):
        with self.client.post(
            path,
            data=data,
            name=name,
            catch_response=True,
            allow_redirects=False,
            headers={"Referer": self.client.base_url + path},
        ) as response:
            self.check(response, expected, name)
            return response

    def csrf(self, body: str) -> str:
        found = CSRF_RE.search(body)
        if not found:
            raise RuntimeError("no CSRF token on the page")
        return found.group(1)

    def log_in(self):
        body = self.get("/accounts/login/")
        self.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.csrf(body),
                "username": self.email,
                "password": MANIFEST["password"],
            },
            name="/accounts/login/ [POST]",
        )

    def guarded(self, work):
        try:
            work()
        except Outage:
            time.sleep(1)
        except RuntimeError as failure:
            # Already a failure in locust's statistics; the event log names the user with it.
            record("failure", who=self.email, what=str(failure))


class Staff(DrillUser):
    weight = 20
    logins = MANIFEST["staff"]

    @task(3)
    def post_input(self):
        self.guarded(self._post_input)

    @task(2)
    def my_inputs(self):
        self.guarded(lambda: self.get("/inputs/"))

    def _post_input(self):
        body = self.get(f"/inputs/new/?unit={MANIFEST['unit_id']}", name="/inputs/new/")
        word = uuid.uuid4().hex[:10]
        text = (
            f"Forslag {word}: vi kunne prøve faste team på kveldsvaktene, "
            f"så nye vikarer alltid går sammen med en som kjenner beboerne ({word})."
        )
        response = self.post(
            "/inputs/new/",
            {
                "csrfmiddlewaretoken": self.csrf(body),
                "unit": MANIFEST["unit_id"],
                "text": text,
                "category": random.choice(["working_day", "organisation", "competence"]),
                "hide_name": "on",
            },
            name="/inputs/new/ [POST]",
        )
        found = RECEIPT_RE.search(response.headers.get("Location", ""))
        if found:
            record("receipt", code=found.group(1))
        else:
            record("unexpected", what="input saved without a receipt code")


class GroupMember(DrillUser):
    weight = 20
    logins = MANIFEST["writers"]

    @task(5)
    def write_minutes(self):
        self.guarded(self._write_minutes)

    @task(1)
    def two_tabs(self):
        self.guarded(self._two_tabs)

    def _item(self):
        n = random.randrange(len(MANIFEST["items"]))
        return MANIFEST["items"][n]["id"], MANIFEST["items"][n]["meeting"]

    def _revision(self, meeting: int, item: int) -> tuple[str, int] | None:
        body = self.get(f"/meetings/{meeting}/", name="/meetings/[id]/")
        revisions = {int(i): int(r) for i, r in REVISION_RE.findall(body)}
        if item not in revisions:
            return None
        return self.csrf(body), revisions[item]

    def _save(self, item: int, token: str, revision: int):
        marker = f"drill-{uuid.uuid4().hex[:12]}"
        prefix = f"item{item}"
        record("attempt", item=item, marker=marker, revision=revision)
        response = self.post(
            f"/meetings/items/{item}/minutes/",
            {
                "csrfmiddlewaretoken": token,
                f"{prefix}-revision": revision,
                f"{prefix}-summary": f"Vi snakket om vaktplanen. {marker}",
                f"{prefix}-way_forward": "Lederen og verneombudet ser på det til neste møte.",
                f"{prefix}-decisions": "",
            },
            name="/meetings/items/[id]/minutes/ [POST]",
            expected=(302, 409),
        )
        if response.status_code == 302:
            # Acknowledged: this text replaced revision `revision`.
            record("saved", item=item, marker=marker, revision=revision + 1)
        else:
            shown = "Noen andre lagret denne saken" in response.text
            record("conflict", item=item, marker=marker, revision=revision, shown=shown)
        return response.status_code

    def _write_minutes(self):
        item, meeting = self._item()
        found = self._revision(meeting, item)
        if found:
            self._save(item, *found)

    def _two_tabs(self):
        """Two saves from the same starting point: the second must be refused (409)."""
        item, meeting = self._item()
        found = self._revision(meeting, item)
        if not found:
            return
        first = self._save(item, *found)
        if first == 302:
            second = self._save(item, *found)
            record("two_tabs", item=item, first=first, second=second)


class Politician(DrillUser):
    weight = 10
    logins = MANIFEST["politicians"]

    @task(3)
    def overview(self):
        self.guarded(lambda: self.get("/steering-group/overview/"))

    @task(2)
    def home(self):
        self.guarded(lambda: self.get("/"))
