"""No server error on bad input, anywhere (issue 9): a property-based test generated from the URLconf.

Every URL pattern of the Trepart apps is one test. It fills the URL's arguments with real objects
of a small seeded municipality ("Fuzzby") and, for endpoints that read the request body, sends
Hypothesis-generated form data: fields missing, empty, 10k+ characters, non-numbers, foreign ids
(pks of the other municipality, "Fremmedvik"), markup, NUL bytes, odd unicode, several values for
one field, junk files — plain and as htmx requests. Field names come from the forms on the
pages (crawled once per module: every GET page, as every role) plus a few generic names.

Assertions: the answer is never a 5xx (a 429 from a rate limit is fine), and no row that belongs
to the other municipality changes (ARCHITECTURE rule 3: no path to another municipality's data).

Run it long with `FUZZ_EXAMPLES=500 .venv/bin/pytest tests/test_fuzz_post.py`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import inspect
import os
import re
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.conftest import pass_second_factor
from tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    UnitFactory,
    person_with_role,
    presence,
    union,
)
from tests.measures.conftest import measure_at
from tests.meetings.conftest import make_meeting, publishable
from trepart.core.models import RateLimitBucket
from trepart.organisation.models import ImportBatch, Municipality, Role, RoleAssignment

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))

FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no .hypothesis/ folder in the working tree (pytest's cache is off too)
)

# Roles that log in for endpoints that need an account; anonymous endpoints (the unit's link, the
# receipt, the calendar feed, log-in and password reset) are fuzzed without an account.
ROLES = ("leader", "admin", "director", "safety")

# Posted to every endpoint besides the names found in its forms.
GENERIC_NAMES = (
    *("item", "id", "pk", "action", "person", "meeting", "unit", "next", "undo", "reopen"),
    *("keep_mine", "version", "public", "to_leader"),
)

# Which world object fills a URL argument: (argument, the path segment before it) -> world key.
# The only hand-written part; a new URL argument fails the test until it is added here.
URL_ARGUMENTS = {
    ("pk", "meetings"): "meeting",
    ("pk", "items"): "item",
    ("pk", "actions"): "action",
    ("pk", "referrals"): "referral",
    ("pk", "standing"): "standing",
    ("pk", "inputs"): "input",
    ("pk", "measures"): "measure",
    ("pk", "evidence"): "evidence",
    ("pk", "experiences"): "experience",
    ("pk", "reports"): "report",
    ("pk", "questions"): "question",
    ("unit_pk", "units"): "unit",
    ("pk", "units"): "unit",
    ("pk", "people"): "person",
    ("pk", "roles"): "role",
    ("pk", "import"): "batch",
    ("unit_pk", "unit"): "unit",
    ("item_pk", "from-agenda-item"): "item",
    ("union_pk", "unions"): "union",
    ("direction", "move"): "direction",
    ("token", "i"): "link_token",
    ("token", "calendar"): "feed_token",
    ("code", "r"): "receipt_code",
    ("fmt", "example."): "import_format",
    ("uidb64", "reset"): "uidb64",
    ("token", "uidb64"): "reset_token",
    ("token", "invitation"): "invitation_token",
    ("pk", "surveys"): "survey",
    ("question_pk", "questions"): "survey_question",
    ("token", "s"): "survey_token",
    ("pk", "exercises"): "exercise_run",
    ("pk", "members"): "brief",
    ("pk", "login"): "sso_provider",
    ("pk", "link"): "sso_provider",
    ("pk", "identities"): "sso_identity",
    ("pk", "services"): "sso_provider",
}

SCRIPT = "<script>alert(1)</script>"
ODD_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "abc",
    "99999999999999999999999999",
    "9223372036854775808",
    "2026-02-30",
    "31.12.2026",
    "9999-12-31",
    "0001-01-01",
    "25:61",
    "\x00",
    "a\x00b",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "\u202eevil\u202c",
    "Z\u0337\u0322a\u0336l\u0337g\u0338o",
    "\ufeff\u200b",
    "😀" * 3,
    "' OR 1=1 --",
    "../../etc/passwd",
    "true",
    "on",
    "null",
    "[]",
    "{}",
    "up",
    "down",
    "move",
    "cancel",
    "draft",
    "my_actions",
]


# --- the URLconf --------------------------------------------------------------------------------


@dataclass(repr=False)
class Endpoint:
    name: str
    route: str
    callback: object
    arguments: list[tuple[str, str]] = field(default_factory=list)  # (kwarg, world key)

    def __str__(self):
        return self.name

    __repr__ = __str__


def _segment_before(route: str, kwarg: str) -> str:
    """The literal path segment before a URL argument ('items' in 'meetings/items/<int:pk>/')."""
    match = re.search(rf"<(?:\w+:)?{kwarg}>|\(\?P<{kwarg}>", route)
    before = route[: match.start()].rstrip("/").lstrip("^")
    last = before.rsplit("/", 1)[-1]
    converter = re.fullmatch(r"<(?:\w+:)?(\w+)>", last)
    return converter.group(1) if converter else last


def _walk(resolver, prefix="", namespace="", urlconf=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from _walk(pattern, prefix + str(pattern.pattern), ns, pattern.urlconf_name)
        elif isinstance(pattern, URLPattern):
            yield (
                Endpoint(
                    name=f"{namespace}:{pattern.name}" if namespace else pattern.name,
                    route=prefix + str(pattern.pattern),
                    callback=pattern.callback,
                ),
                urlconf,
            )


def trepart_endpoints() -> list[Endpoint]:
    """Every URL pattern whose URLconf is one of the Trepart apps (not Django's admin/i18n)."""
    endpoints = []
    for endpoint, urlconf in _walk(get_resolver()):
        module = getattr(urlconf, "__name__", urlconf)  # include() imports the module
        if not (isinstance(module, str) and module.startswith("trepart.")):
            continue
        kwargs = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", endpoint.route)
        for kwarg in (a or b for a, b in kwargs):
            key = URL_ARGUMENTS.get((kwarg, _segment_before(endpoint.route, kwarg)), "")
            endpoint.arguments.append((kwarg, key))
        endpoints.append(endpoint)
    return endpoints


_BODY = re.compile(r"request\.(POST|FILES|body|method)\b")


def reads_body(view, seen=None) -> bool:
    """Does the view (or a helper of its module it calls) look at the request body?"""
    seen = set() if seen is None else seen
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    view = inspect.unwrap(view)
    if view in seen or not inspect.isfunction(view):
        return False
    seen.add(view)
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return True
    if _BODY.search(source):
        return True
    helpers = [view.__globals__.get(name) for name in view.__code__.co_names]
    for cell in view.__closure__ or ():
        try:
            helpers.append(cell.cell_contents)
        except ValueError:
            pass
    return any(
        inspect.isfunction(h) and h.__module__ == view.__module__ and reads_body(h, seen)
        for h in helpers
    )


def _referenced(view) -> list:
    """The functions, classes and module attributes a function names (and its closure holds)."""
    names = view.__code__.co_names
    found = [view.__globals__.get(name) for name in names]
    modules = [obj for obj in found if inspect.ismodule(obj)]
    found += [getattr(module, name, None) for module in modules for name in names]
    for cell in view.__closure__ or ():
        try:
            found.append(cell.cell_contents)
        except ValueError:
            pass
    return [obj for obj in found if obj is not None]


def view_form_fields(view, seen=None) -> dict[str, set]:
    """Field names (with their choices) of the form classes the view or its helpers use: the
    forms a page only shows to some roles or objects are fuzzed even if the crawl missed them."""
    from django import forms

    seen = set() if seen is None else seen
    view = inspect.unwrap(view)
    if view in seen or not inspect.isfunction(view):
        return {}
    seen.add(view)
    fields: dict[str, set] = defaultdict(set)
    for obj in _referenced(view):
        if inspect.isclass(obj) and issubclass(obj, forms.BaseForm):
            for name, form_field in obj.base_fields.items():
                choices = getattr(form_field, "choices", None)
                if choices is not None and not isinstance(form_field, forms.ModelChoiceField):
                    fields[name] |= {str(value) for value, _label in choices}
                else:
                    fields.setdefault(name, set())
        elif inspect.isfunction(obj) and obj.__module__ == view.__module__:
            for name, values in view_form_fields(obj, seen).items():
                fields[name] |= values
    return fields


ENDPOINTS = trepart_endpoints()


# --- the world: a small municipality, and a second one for foreign ids --------------------------


def build_world(name: str) -> tuple[dict, dict]:
    """(objects by URL-argument key, users by role) for one municipality."""
    from trepart.inputs import services as input_services
    from trepart.measures import services as measure_services
    from trepart.measures.models import Stage
    from trepart.meetings import exports as meeting_exports
    from trepart.meetings import services as meeting_services
    from trepart.organisation.catalogue import ensure_catalogue

    # A browser test on the same worker may have emptied every table, the national union
    # catalogue of a data migration included (tests/conftest.py _national_union_catalogue).
    ensure_catalogue()
    today = timezone.localdate()
    municipality = MunicipalityFactory(name=name)
    unit = UnitFactory(municipality=municipality, name=f"Sjøsiden sykehjem ({name})")
    presence(unit, "Fagforbundet")
    DepartmentFactory(unit=unit)
    group = {
        "leader": person_with_role(Role.UNIT_LEADER, unit),
        "rep": person_with_role(Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet")),
        "safety": person_with_role(Role.SAFETY_REP, unit),
    }
    employee = person_with_role(Role.EMPLOYEE, unit)
    users = {
        **group,
        "employee": employee,
        "admin": person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality),
        "director": person_with_role(Role.ADMINISTRATION, municipality=municipality),
        "politician": person_with_role(Role.POLITICIAN, municipality=municipality),
        "chief_rep": person_with_role(Role.CHIEF_UNION_REP, municipality=municipality),
    }
    leader, director = users["leader"], users["director"]

    meeting_services.series_create(
        actor=leader,
        municipality=municipality,
        unit=unit,
        title="Partsgruppemøte",
        kind="development",
        frequency="monthly",
        ordinal=1,
        weekday=1,
        interval_weeks=2,
        start_time=datetime.time(14),
        end_time=datetime.time(15),
        location="",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=40),
    )
    # A coming meeting with an item, minutes and an action; a published one; a steering one.
    meeting = make_meeting(leader, unit, day=today + datetime.timedelta(days=7))
    item = meeting_services.agenda_item_propose(actor=leader, meeting=meeting, title="Turnus")
    meeting_services.item_minutes_save(
        actor=leader, item=item, revision=item.revision, summary="Samtale.", way_forward=""
    )
    action = meeting_services.action_add(
        actor=leader,
        meeting=meeting,
        item=item,
        description="Følg opp turnus",
        assignee=employee,
        due_on=today + datetime.timedelta(days=14),
    )
    published = make_meeting(leader, unit, day=today - datetime.timedelta(days=7), title="Forrige")
    publishable(leader, published, [leader, group["rep"], group["safety"]])
    meeting_services.minutes_publish(actor=leader, meeting=published, notify=False)
    briefs = _member_briefs(published)
    steering = make_meeting(director, None, day=today + datetime.timedelta(days=3), title="Styring")
    steering_item = meeting_services.agenda_item_propose(
        actor=director, meeting=steering, title="Heltid"
    )
    referral = meeting_services.referral_add(
        actor=director, item=steering_item, body="Kommunestyret", referred_on=today
    )
    standing = meeting_services.standing_item_add(
        actor=leader, municipality=municipality, unit=unit, title="Sykefravær"
    )

    anonymous_input, code = input_services.input_submit(unit=unit, text="Vi trenger langvakter")
    named_input, _ = input_services.input_submit(unit=unit, text="Bedre pauserom", author=employee)

    idea = measure_at(group, unit, Stage.IDEA, title="Idé")
    in_trial = measure_at(group, unit, Stage.IN_TRIAL, title="Prøves")
    evaluated = measure_at(group, unit, Stage.EVALUATED, title="Evaluert")
    decided = measure_at(group, unit, Stage.DECIDED, title="Besluttet")
    experiences = _experiences(group, unit, decided)
    reports, questions = _reports(group, unit, users)
    evidence = measure_services.evidence_add(
        actor=leader,
        measure=in_trial,
        upload=SimpleUploadedFile("tall.csv", b"uke;fravaer\n1;9\n", content_type="text/csv"),
    )

    batch = ImportBatch.objects.create(
        municipality=municipality,
        uploaded_by=users["admin"],
        filename="import.csv",
        content=b"unit;department;name;email;role\n",
    )
    feed = meeting_exports.calendar_feed_regenerate(actor=leader)
    invitation_token = _invitation_token(employee, users["admin"])
    surveys = _surveys(group, unit, employee)
    exercise_runs = _exercise_runs(group, unit)
    from trepart.sso.models import Identity, IdentityProvider

    sso_provider = IdentityProvider.objects.create(
        municipality=municipality,
        kind="entra_id",
        label=f"Entra ID ({name})",
        issuer="http://127.0.0.1:9",
        client_id="fuzz",
        enabled=True,
    )
    sso_identity = Identity.objects.create(user=employee, provider=sso_provider, sub=f"sub-{name}")

    world = {
        "meeting": [meeting.pk, published.pk, steering.pk],
        "item": [item.pk, steering_item.pk, published.items.first().pk],
        "action": [action.pk],
        "referral": [referral.pk],
        "standing": [standing.pk],
        "input": [anonymous_input.pk, named_input.pk],
        "measure": [idea.pk, in_trial.pk, evaluated.pk, decided.pk],
        "evidence": [evidence.pk],
        "experience": experiences,
        "report": reports,
        "question": questions,
        "unit": [unit.pk],
        "person": [employee.pk, leader.pk],
        "role": list(RoleAssignment.objects.filter(person=employee).values_list("pk", flat=True)),
        "batch": [batch.pk],
        "union": [union("Fagforbundet").pk, union("NSF").pk],
        "direction": ["up", "down"],
        "link_token": [input_services.input_link_for(unit).token],
        "feed_token": [feed.token],
        "receipt_code": [code],
        "import_format": ["csv", "xlsx"],
        "uidb64": [urlsafe_base64_encode(force_bytes(employee.pk))],
        "reset_token": [default_token_generator.make_token(employee), "set-password"],
        "invitation_token": [invitation_token, "not-a-token"],
        "survey": [sv.pk for sv in surveys],
        "survey_question": [sv.questions.first().pk for sv in surveys],
        "survey_token": [*(sv.token for sv in surveys), "not-a-token"],
        "exercise_run": [run.pk for run in exercise_runs],
        "brief": [b.pk for b in briefs],
        "sso_provider": [sso_provider.pk],
        "sso_identity": [sso_identity.pk],
    }
    return world, users


def _member_briefs(published):
    """The reps' summaries to tell their members (R19). Publishing makes them after commit, which
    a test transaction never reaches: make them as the hook would."""
    from trepart.reflection import services_members

    return services_members.briefs_on_minutes_published(published.versions.first())


def _surveys(group, unit, employee):
    """A draft survey, and an open one for staff with one answer (P7)."""
    from trepart.surveys import services as answer_services
    from trepart.surveys import services_surveys as survey_services
    from trepart.surveys.models import Survey

    leader = group["leader"]
    draft = survey_services.survey_create(
        actor=leader, kind=Survey.Kind.WORK_ON, unit=unit, audience=Survey.Audience.ANONYMOUS_LINK
    )
    running = survey_services.survey_create(
        actor=leader, kind=Survey.Kind.STAFF_PULSE, unit=unit, audience=Survey.Audience.STAFF
    )
    survey_services.survey_open(actor=leader, survey=running)
    first = running.questions.first()
    answer_services.response_submit(survey=running, answers={first.pk: "4"}, person=employee)
    return [draft, running]


def _exercise_runs(group, unit):
    """A running exercise and a released one (R17, R18, R34)."""
    from trepart.reflection import services_exercises as exercise_services

    leader, rep = group["leader"], group["rep"]
    running = exercise_services.run_start(actor=leader, unit=unit, exercise="trust")
    exercise_services.answer_save(actor=rep, run=running, answers={"fairness": "Ja"}, submit=True)
    released = exercise_services.run_start(actor=leader, unit=unit, exercise="role_swap")
    exercise_services.answer_save(
        actor=rep, run=released, answers={"contribution": "Ja"}, submit=True
    )
    exercise_services.run_release(actor=leader, run=released)
    return [running, released]


def _experiences(group, unit, decided) -> list[int]:
    """A published experience from the decided measure and a draft (P5). Not shared: a shared
    one adopted from the other municipality would count as that municipality's row."""
    from trepart.reporting import experiences as exp

    fields = {"theme": "rota", "tried": "Turnus", "happened": "Bra", "learned": "Start smått"}
    published = exp.experience_create(
        actor=group["leader"], unit=unit, title="Erfaring", source_measure=decided, **fields
    )
    exp.experience_publish(actor=group["leader"], experience=published)
    draft = exp.experience_create(actor=group["rep"], unit=unit, title="Utkast", **fields)
    return [published.pk, draft.pk]


def _reports(group, unit, users) -> tuple[list[int], list[int]]:
    """A sent report with a question, a draft report, and a question without a report (P5)."""
    from trepart.reporting import selectors_reports as report_sel
    from trepart.reporting import services_reports as report_services

    last = report_sel.last_ended_period(timezone.localdate(), 3)
    before = report_sel.last_ended_period(last[0], 3)
    sent = report_services.report_draft_create(unit, *last)
    leader = group["leader"]
    report_services.report_save(actor=leader, report=sent, went_well="Bra", hard="", need="")
    report_services.report_send(actor=leader, report=sent)
    draft = report_services.report_draft_create(unit, *before)
    asked = report_services.question_ask(
        actor=users["politician"], unit=unit, report=sent, text="Hvordan går det?"
    )
    alone = report_services.question_ask(
        actor=users["director"], unit=unit, text="Trenger dere hjelp?"
    )
    return [sent.pk, draft.pk], [asked.pk, alone.pk]


def _invitation_token(person, admin) -> str:
    """A sent, valid invitation link for `person` (who then has no password)."""
    from trepart.accounts.models import Invitation
    from trepart.accounts.services import token_hash

    person.set_unusable_password()
    person.save(update_fields=["password"])
    token = f"fuzz-{person.pk}-invitation"
    now = timezone.now()
    Invitation.objects.create(
        person=person,
        invited_by=admin,
        token_hash=token_hash(token),
        sent_at=now,
        expires_at=now + datetime.timedelta(days=14),
    )
    return token


# --- the other municipality's rows --------------------------------------------------------------


def _path_to_municipality(model, depth=0) -> str | None:
    if model is Municipality:
        return "pk"
    if depth > 3:
        return None
    fks = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    fks.sort(key=lambda f: f.name != "municipality")
    for fk in fks:
        if fk.related_model is Municipality:
            return fk.name
    for fk in fks:
        rest = _path_to_municipality(fk.related_model, depth + 1)
        if rest is not None:
            return f"{fk.name}__{rest}" if rest != "pk" else fk.name
    return None


@functools.cache
def tenant_models() -> list[tuple[type, str]]:
    return [
        (model, path)
        for model in apps.get_models()
        if model.__module__.startswith("trepart.")
        and (path := _path_to_municipality(model)) is not None
    ]


def row_counts(municipality_id: int) -> dict[str, int]:
    """How many rows of each tenant model belong to the municipality (after every request)."""
    return {
        model._meta.label: model.objects.filter(**{path: municipality_id}).count()
        for model, path in tenant_models()
    }


def snapshot(municipality_id: int) -> dict[str, str]:
    """A digest of every row that belongs to the municipality, per model (after every test)."""
    digests = {}
    for model, path in tenant_models():
        rows = model.objects.filter(**{path: municipality_id}).order_by("pk").values_list()
        text = repr(
            [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
        )
        digests[model._meta.label] = hashlib.sha256(text.encode()).hexdigest()
    return digests


# --- the forms on the pages ---------------------------------------------------------------------


class _FormParser(HTMLParser):
    """Forms on a page: action -> {field name: values seen}, and the file fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.page = {"action": "", "fields": defaultdict(set), "files": set()}
        self.current = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("hx-post") or a.get("action") or ""
            self.current = {"action": action, "fields": defaultdict(set), "files": set()}
            self.forms.append(self.current)
            return
        target = self.current or self.page
        name = a.get("name")
        if tag in ("input", "textarea", "select", "button") and name:
            values = target["fields"][name]
            if tag == "input" and a.get("type") == "file":
                target["files"].add(name)
            elif a.get("value") is not None:
                values.add(a["value"])
            if tag == "select":
                self.select = (target, name)
        elif tag == "option" and self.select and a.get("value") is not None:
            self.select[0]["fields"][self.select[1]].add(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawl(world, users, endpoints) -> dict[str, dict]:
    """GET every page as the roles that see different forms; the forms found, by the endpoint
    they post to. An endpoint that refuses GET (405) or is a file is asked once only."""
    found: dict[str, dict] = defaultdict(lambda: {"fields": defaultdict(set), "files": set()})
    # As the leader, and without an account; forms only others see (the admin's, the steering
    # group's) come from the views' form classes (view_form_fields).
    crawlers = [users["leader"], None]
    for endpoint in endpoints:
        if not all(key for _, key in endpoint.arguments):
            continue  # reported by the endpoint's own test
        try:
            url = reverse(endpoint.name, kwargs=url_kwargs(endpoint, world, lambda v: v[0]))
        except NoReverseMatch:
            continue
        for crawler in crawlers:
            response = _client(crawler).get(url)
            if response.status_code == 405:
                break
            if response.status_code != 200:
                continue
            if "html" not in response.get("Content-Type", ""):
                break
            parser = _FormParser()
            parser.feed(response.content.decode())
            for form in [*parser.forms, parser.page]:
                form["fields"].pop("csrfmiddlewaretoken", None)  # the test client skips CSRF
                target = _view_name(urlsplit(form["action"]).path) if form["action"] else None
                bucket = found[target or endpoint.name]
                for name, values in form["fields"].items():
                    bucket["fields"][name] |= values
                bucket["files"] |= form["files"]
    return found


def url_kwargs(endpoint, world, choose) -> dict:
    kwargs = {}
    for kwarg, key in endpoint.arguments:
        if not key:
            pytest.fail(
                f"{endpoint.name}: add ({kwarg!r}, "
                f"{_segment_before(endpoint.route, kwarg)!r}) to URL_ARGUMENTS"
            )
        kwargs[kwarg] = choose(world[key])
    return kwargs


# --- fixtures -----------------------------------------------------------------------------------


@dataclass(repr=False)  # short reprs: Hypothesis prints the strategy's arguments on errors
class Fuzz:
    home: dict
    foreign: dict
    users: dict
    forms: dict
    foreign_municipality_id: int
    foreign_snapshot: dict
    foreign_counts: dict
    home_ids: list[str]
    foreign_ids: list[str]

    def __repr__(self):
        return "Fuzz(...)"


@pytest.fixture(scope="module")
def fuzz(django_db_setup, django_db_blocker):
    """The two municipalities and the crawled forms, built once for the module inside a
    transaction that is rolled back afterwards; each test runs in a savepoint within it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            home, users = build_world("Fuzzby kommune")
            foreign, foreign_users = build_world("Fremmedvik kommune")
            foreign_id = foreign_users["leader"].municipality_id
            ids = lambda w: sorted({str(v) for vs in w.values() for v in vs if isinstance(v, int)})  # noqa: E731
            state = Fuzz(
                home=home,
                foreign=foreign,
                users=users,
                forms=crawl(home, users, ENDPOINTS),
                foreign_municipality_id=foreign_id,
                foreign_snapshot=snapshot(foreign_id),
                foreign_counts=row_counts(foreign_id),
                home_ids=ids(home) + [str(u.pk) for u in users.values()],
                foreign_ids=ids(foreign) + [str(u.pk) for u in foreign_users.values()],
            )
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield state
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


# --- the requests -------------------------------------------------------------------------------


def _junk(fuzz: Fuzz):
    return st.one_of(
        st.sampled_from(ODD_VALUES),
        st.text(max_size=40),
        st.integers().map(str),
        st.builds(lambda c, n: c * n, st.sampled_from("xæ€😀\x00<"), st.integers(10_001, 12_000)),
        st.sampled_from(fuzz.foreign_ids),
        st.sampled_from(fuzz.home_ids),
    )


def _upload():
    return st.builds(
        lambda name, content: SimpleUploadedFile(name, content),
        st.sampled_from(["a.pdf", "a.csv", "a.xlsx", "a.exe", "noext", "..\\..\\x.png", "ø" * 300]),
        st.binary(max_size=2000),
    )


@st.composite
def fuzz_request(draw, endpoint: Endpoint, fuzz: Fuzz, roles):
    role = draw(st.sampled_from(roles))
    # Someone without an account has no municipality: another municipality's link is theirs too.
    foreign_url = role != "anonymous" and draw(st.sampled_from([False, False, False, True]))
    world = fuzz.foreign if foreign_url else fuzz.home
    kwargs = url_kwargs(endpoint, world, lambda values: draw(st.sampled_from(values)))
    form = fuzz.forms.get(endpoint.name, {"fields": {}, "files": set()})
    fields = defaultdict(set, {k: set(v) for k, v in form["fields"].items()})
    for name, values in view_form_fields(endpoint.callback).items():
        fields[name] |= values
    names = sorted(set(fields) | set(GENERIC_NAMES))
    data = {}
    junk = _junk(fuzz)
    for name in names:
        known = sorted(fields.get(name, ()))
        # Mostly what the page sent, so that requests get past the first check and reach deeper.
        mode = draw(
            st.sampled_from(["known"] * 4 + ["absent", "absent", "junk", "junk", "several"])
        )
        if mode == "known":
            data[name] = draw(st.sampled_from(known)) if known else draw(st.text(max_size=20))
        elif mode == "junk":
            data[name] = draw(junk)
        elif mode == "several":
            data[name] = draw(st.lists(junk, min_size=2, max_size=3))
    htmx = draw(st.booleans())
    # Mostly with fresh rate limits, so that the anonymous forms are fuzzed and not only refused.
    fresh_limits = draw(st.sampled_from([True, True, True, False]))
    encoded = htmx or draw(st.booleans())  # htmx posts urlencoded; plain forms multipart too
    if not encoded:
        for name in sorted(form["files"] | {"upload", "file"}):
            if draw(st.booleans()):
                data[name] = draw(_upload())
    return role, reverse(endpoint.name, kwargs=kwargs), data, htmx, encoded, fresh_limits


def _post(client, url, data, htmx, encoded):
    headers = {"HX-Request": "true", "HX-Target": "x", "HX-Trigger": "\x7f"} if htmx else {}
    if encoded:
        body = urlencode({k: v for k, v in data.items()}, doseq=True)
        return client.post(
            url, body, content_type="application/x-www-form-urlencoded", headers=headers
        )
    return client.post(url, data, headers=headers)


def _check(response, fuzz: Fuzz, what: str):
    if response.status_code >= 500:
        trace = "".join(traceback.format_exception(*response.exc_info)) if response.exc_info else ""
        pytest.fail(f"{what} answered {response.status_code}\n{trace}")
    after = row_counts(fuzz.foreign_municipality_id)
    changed = [label for label, count in after.items() if fuzz.foreign_counts[label] != count]
    assert not changed, f"{what} added or removed rows of the other municipality's {changed}"


_CLIENTS: dict[str | None, Client] = {}


def _client(user=None) -> Client:
    """One client per person for the module: a new Client loads the middleware again (slow).
    Logged in as `user` (again, after a fuzzed log-out), or without any session."""
    key = user.pk if user is not None else None
    client = _CLIENTS.setdefault(key, Client(raise_request_exception=False))
    if user is None:
        client.cookies.clear()
    elif client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        pass_second_factor(client, user)  # admins reach the administration pages (issue 13)
    return client


def _needs_login(response) -> bool:
    login = resolve_url(django_settings.LOGIN_URL)
    return response.status_code == 302 and urlsplit(response.url).path == login


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_bad_post_never_gives_a_server_error(endpoint, fuzz, db):
    home_url = reverse(endpoint.name, kwargs=url_kwargs(endpoint, fuzz.home, lambda v: v[0]))
    response = _post(_client(), home_url, {}, htmx=False, encoded=False)
    _check(response, fuzz, f"anonymous empty POST {home_url}")
    if response.status_code == 405:
        return  # GET only: refused before any view code runs
    roles = list(ROLES) if _needs_login(response) else ["anonymous"]
    users = {role: fuzz.users.get(role) for role in roles}
    # The simplest bad input: nothing at all (as htmx when the view never reads the body, as
    # some pages answer htmx with a fragment).
    body_read = reads_body(endpoint.callback)
    response = _post(_client(users[roles[0]]), home_url, {}, htmx=not body_read, encoded=False)
    _check(response, fuzz, f"{roles[0]} empty POST {home_url}")
    if body_read:
        _fuzz(endpoint, fuzz, roles, users)
    after = snapshot(fuzz.foreign_municipality_id)
    changed = [label for label, digest in after.items() if fuzz.foreign_snapshot[label] != digest]
    assert not changed, f"POSTs to {endpoint} changed rows of the other municipality's {changed}"


def _fuzz(endpoint, fuzz, roles, users):
    @FUZZ_SETTINGS
    @given(st.data())
    def fuzz_it(data):
        role, url, body, htmx, encoded, fresh_limits = data.draw(
            fuzz_request(endpoint, fuzz, roles)
        )
        if fresh_limits:
            RateLimitBucket.objects.all().delete()
        response = _post(_client(users[role]), url, body, htmx, encoded)
        _check(response, fuzz, f"{role} POST {url} (htmx={htmx})")

    fuzz_it()
