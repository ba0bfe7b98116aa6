"""The world of the permission matrix (issue 15 part 1), built once per module.

The municipality "Fuzzby" of tests/test_fuzz_post.py (`build_world`: a unit with its party
group, meetings, inputs, measures, reports, surveys, exercises …) plus the people the matrix
needs beyond it: a department leader, an employee of another unit, the chief safety rep, and a
unit leader of another municipality. Every role gets a logged-in client (the municipal admin has
passed the second factor) and a personal API token with every scope.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.conftest import pass_second_factor
from tests.factories import MunicipalityFactory, UnitFactory, person_with_role
from tests.test_fuzz_post import URL_ARGUMENTS, _segment_before, build_world
from trepart.organisation.models import Role
from trepart.sso.views import SESSION_TOTP_KEY

MATRIX_FILE = Path(__file__).with_name("permission_matrix.toml")

# The 13 columns of the matrix, in the order the file and the reports use.
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
    "anonymous",
    "other_municipality",
)

# The roles of build_world's users under their matrix names.
_FUZZ_USERS = {
    "unit_leader": "leader",
    "local_union_rep": "rep",
    "safety_rep": "safety",
    "employee": "employee",
    "politician": "politician",
    "administration": "director",
    "chief_union_rep": "chief_rep",
    "municipal_admin": "admin",
}

# URL arguments of the JSON API's operations (django-ninja's `{unit_id}` …) -> world key.
API_ARGUMENTS = {
    ("unit_id", "units"): "unit",
    ("unit_id", "party-groups"): "unit",
    ("meeting_id", "meetings"): "meeting",
    ("input_id", "inputs"): "input",
    ("measure_id", "measures"): "measure",
    ("report_id", "reports"): "report",
}

# The objects a row's `object` may name: (world key, index into build_world's list). Without
# `object`, every URL argument takes the first object of its kind (the first of each list).
NAMED_OBJECTS = {
    "planned_meeting": ("meeting", 0),  # the unit's coming meeting, minutes being written
    "published_meeting": ("meeting", 1),  # the unit's meeting with published minutes
    "steering_meeting": ("meeting", 2),  # the steering group's coming meeting
    "planned_item": ("item", 0),
    "steering_item": ("item", 1),
    "published_item": ("item", 2),
    "anonymous_input": ("input", 0),
    "named_input": ("input", 1),  # sent by the unit's employee in their own name
    "idea_measure": ("measure", 0),
    "trial_measure": ("measure", 1),
    "evaluated_measure": ("measure", 2),
    "decided_measure": ("measure", 3),
    "published_experience": ("experience", 0),
    "draft_experience": ("experience", 1),
    "sent_report": ("report", 0),
    "draft_report": ("report", 1),
    "report_question": ("question", 0),  # a politician's question on the sent report
    "unit_question": ("question", 1),  # the administration's question without a report
    "employee_person": ("person", 0),
    "leader_person": ("person", 1),
    "draft_survey": ("survey", 0),  # anonymous-link survey, not opened
    "running_survey": ("survey", 1),  # open staff survey with one answer
    "draft_survey_question": ("survey_question", 0),
    "running_survey_question": ("survey_question", 1),
    "draft_survey_token": ("survey_token", 0),
    "running_survey_token": ("survey_token", 1),
    "bad_survey_token": ("survey_token", 2),
    "running_exercise": ("exercise_run", 0),
    "released_exercise": ("exercise_run", 1),
    "union_present": ("union", 0),  # Fagforbundet, present at the unit
    "union_absent": ("union", 1),  # NSF
    "move_up": ("direction", 0),
    "import_csv": ("import_format", 0),
    "valid_reset_token": ("reset_token", 0),
    "valid_invitation": ("invitation_token", 0),
    "bad_invitation": ("invitation_token", 1),
}


# --- the URLconf --------------------------------------------------------------------------------


@dataclass
class Url:
    name: str
    route: str
    callback: object
    arguments: list[tuple[str, str]] = field(default_factory=list)  # (kwarg, world key)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Url(name=name, route=prefix + str(pattern.pattern), callback=pattern.callback)


def all_urls() -> dict[str, Url]:
    """Every named URL pattern of the project (Trepart's apps, the API, i18n, Django's admin),
    by URL name, with its arguments mapped to world keys ("" when unknown)."""
    urls: dict[str, Url] = {}
    for url in _walk(get_resolver()):
        if url.name in urls:
            continue  # the first pattern wins, as in reverse()
        kwargs = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", url.route)
        for kwarg in (a or b for a, b in kwargs):
            before = _segment_before(url.route, kwarg)
            key = URL_ARGUMENTS.get((kwarg, before)) or API_ARGUMENTS.get((kwarg, before), "")
            url.arguments.append((kwarg, key))
        urls[url.name] = url
    return urls


# --- the file -----------------------------------------------------------------------------------


@dataclass
class Row:
    key: str  # the table's name: a URL name, optionally "@<object>" for a second object
    url_name: str
    read: frozenset | None  # None: the URL takes POST only (GET answers 405 to everyone)
    write: frozenset | None  # None: the URL takes no POST
    objects: tuple[str, ...] = ()
    denied: dict = field(default_factory=dict)  # role or "default" -> status
    expected_now: dict = field(default_factory=dict)  # "read"/"write" -> {role: status}
    payload: dict | None = None
    query: str = ""  # appended to the path, e.g. "?q=a"
    ends_at_login: bool = False  # the URL's own answer is the login page (logging out)
    note: str = ""
    todo: str = ""


def _expand(names, aliases, where) -> frozenset:
    roles: set[str] = set()
    for name in names:
        if name in aliases:
            roles |= _expand(aliases[name], aliases, where)
        elif name in ROLES:
            roles.add(name)
        else:
            raise ValueError(f"{where}: unknown role or alias {name!r}")
    return frozenset(roles)


def load_matrix(path: Path = MATRIX_FILE) -> tuple[dict[str, Row], dict]:
    """The rows of the reviewed file, role aliases expanded; and the file's settings."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    aliases = data.pop("aliases", {})
    settings = data.pop("settings", {})
    rows = {}
    for key, table in data.items():
        unknown = set(table) - {
            *("read", "write", "object", "denied", "expected_now", "payload", "query"),
            *("ends_at_login", "note", "todo"),
        }
        if unknown:
            raise ValueError(f"[{key!r}]: unknown keys {sorted(unknown)}")
        obj = table.get("object", ())
        denied = table.get("denied", {})
        rows[key] = Row(
            key=key,
            url_name=key.split("@", 1)[0],
            read=_expand(table["read"], aliases, key) if "read" in table else None,
            write=_expand(table["write"], aliases, key) if "write" in table else None,
            objects=(obj,) if isinstance(obj, str) else tuple(obj),
            denied=denied if isinstance(denied, dict) else {"default": denied},
            expected_now={
                k: {role: int(v) for role, v in cells.items()}
                for k, cells in table.get("expected_now", {}).items()
            },
            payload=table.get("payload"),
            query=table.get("query", ""),
            ends_at_login=table.get("ends_at_login", False),
            note=table.get("note", ""),
            todo=table.get("todo", ""),
        )
    return rows, settings


# --- the world ----------------------------------------------------------------------------------


@dataclass
class MatrixWorld:
    objects: dict
    users: dict  # role -> user (None for anonymous)
    clients: dict  # role -> Client
    cookies: dict  # role -> the cookies right after logging in
    tokens: dict  # role -> API token secret


def _api_token(person) -> str:
    from trepart.api import services as api_services
    from trepart.api.models import Scope

    _token, secret = api_services.token_create(
        person=person,
        name="matrix",
        scopes=list(Scope.values),
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return secret


def build_matrix_world() -> MatrixWorld:
    objects, fuzz_users = build_world("Fuzzby kommune")
    unit = UnitFactory._meta.model.objects.get(pk=objects["unit"][0])
    municipality = unit.municipality
    other_unit = UnitFactory(municipality=municipality, name="Bakkely barnehage (Fuzzby)")
    elsewhere = UnitFactory(
        municipality=MunicipalityFactory(name="Fremmedvik kommune"), name="Fremmedvik skole"
    )
    users = {role: fuzz_users[name] for role, name in _FUZZ_USERS.items()}
    users["department_leader"] = person_with_role(Role.DEPARTMENT_LEADER, unit)
    users["employee_other_unit"] = person_with_role(Role.EMPLOYEE, other_unit)
    users["chief_safety_rep"] = person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality)
    users["other_municipality"] = person_with_role(Role.UNIT_LEADER, elsewhere)
    users["anonymous"] = None

    clients, cookies, tokens = {}, {}, {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        user = users[role]
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            pass_second_factor(client, user)
            # An authenticator key being set up, so that its QR code (sso:second_factor_qr)
            # has something to show.
            session = client.session
            session[SESSION_TOTP_KEY] = "ab" * 20
            session.save()
            tokens[role] = _api_token(user)
        clients[role] = client
        cookies[role] = {k: v.value for k, v in client.cookies.items()}
    return MatrixWorld(
        objects=objects, users=users, clients=clients, cookies=cookies, tokens=tokens
    )


def built_for_the_module(django_db_blocker, build):
    """Yield `build()`'s world, built once for a module inside a transaction that is rolled
    back at the end (for module-scoped fixtures)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The world, built once for the module inside a transaction rolled back at the end; every
    request of the matrix runs in a savepoint of its own (rolled back too)."""
    yield from built_for_the_module(django_db_blocker, build_matrix_world)


@contextlib.contextmanager
def sso_discovery_seeded():
    """The single sign-on service's discovery document, as if fetched (no network in tests):
    starting a login or a link then gets as far as the redirect to the service. Removed again
    afterwards: tests/sso checks that the same unreachable issuer is refused."""
    from django.core.cache import cache

    from trepart.sso import oidc

    issuer = "http://127.0.0.1:9"
    key = "sso:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    document = {
        "issuer": issuer,
        "authorization_endpoint": issuer + "/authorize",
        "token_endpoint": issuer + "/token",
        "jwks_uri": issuer + "/jwks",
    }
    cache.set(key, document, oidc.DISCOVERY_TTL)
    try:
        yield
    finally:
        cache.delete(key)


def client_as(world: MatrixWorld, role: str) -> Client:
    """The role's client with exactly the cookies it had after logging in (a request that logs
    out, rotates the session or sets the language cookie leaves nothing behind: its database
    rows are rolled back with the request's savepoint)."""
    client = world.clients[role]
    client.cookies.clear()
    for name, value in world.cookies[role].items():
        client.cookies[name] = value
    return client


def login_path() -> str:
    from django.shortcuts import resolve_url

    return resolve_url(django_settings.LOGIN_URL)
