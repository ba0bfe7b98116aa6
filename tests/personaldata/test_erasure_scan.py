"""THE SCAN TEST (issue 13 part 3, PRODUCT P8): after erasure, no text, char or JSON field of any
model in the whole database still holds the person's name, e-mail address or phone number, and
the archive records (published minutes, sent reports) still exist.

The world is the fuzz test's (data in every app), plus a second round of activity after the
person got a distinctive name, so the name, e-mail and phone are written into minutes (the
published JSON snapshot), reports, responses, questions, inputs, measures, notes, exercise
answers, the search index, log-in records, sessions and the rows other capabilities add.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.test import Client
from django.utils import timezone, translation

from tests.meetings.conftest import make_meeting, publishable
from tests.test_fuzz_post import build_world
from trepart.accounts.models import User
from trepart.meetings import services as meeting_services
from trepart.meetings.models import Attendance, MinutesVersion
from trepart.organisation.models import Role, RoleAssignment
from trepart.personaldata import introspection
from trepart.personaldata.models import Erasure
from trepart.personaldata.services import person_erase
from trepart.reporting.models import ReportVersion

NAME = "Solveig Nordheim-Testrud"
EMAIL = "solveig.nordheim@fjordvik.example"
PHONE = "+47 912 34 567"
PHONE_DIGITS = "91234567"


def mention(extra: str = "") -> str:
    return f"{NAME} ({EMAIL}, tlf. {PHONE}) sa: {extra}"


def _optional(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _rows_of_other_capabilities(person, other, municipality):
    """Rows of models that other capabilities add (notifications, API tokens, SSO identities),
    when they exist, made generically: every required field filled with a plausible value."""
    made = []
    labels = (
        "notifications.Notification",
        "notifications.NotificationSetting",
        "api.ApiToken",
        "sso.Identity",
    )
    for label in labels:
        model = _optional(label)
        if model is None:
            continue
        for owner in (person, other):
            values = {}
            for field in model._meta.concrete_fields:
                if field.primary_key or field.has_default() or field.null:
                    continue
                if field.is_relation and field.related_model is User:
                    values[field.name] = owner
                elif field.is_relation and field.related_model._meta.label == (
                    "organisation.Municipality"
                ):
                    values[field.name] = municipality
                elif field.choices:
                    values[field.name] = field.choices[0][0]
                elif isinstance(field, models.CharField | models.TextField):
                    text = mention("varsel") if "hash" not in field.name else f"h{owner.pk}"
                    values[field.name] = text[: field.max_length or 10_000]
                elif isinstance(field, models.DateTimeField):
                    values[field.name] = timezone.now()
                elif isinstance(field, models.DateField):
                    values[field.name] = timezone.localdate()
            try:
                with transaction.atomic():
                    made.append(model.objects.create(**values))
            except Exception:  # noqa: BLE001 - a shape we could not guess: skip, not fail
                pass
    return made


def enrich(world, users):
    """The person (the unit leader) gets a distinctive name, e-mail and phone, and the world
    gets documents that name them."""
    from trepart.continuity.services import follow_up_note_create
    from trepart.inputs import services as input_services
    from trepart.measures import services as measure_services
    from trepart.measures.models import Measure
    from trepart.reporting import services_reports as report_services
    from trepart.reporting.models import UnitReport

    person = users["leader"]
    person.full_name, person.email, person.phone = NAME, EMAIL, PHONE
    person.save()
    unit = RoleAssignment.objects.filter(person=person, role=Role.UNIT_LEADER).first().unit
    today = timezone.localdate()

    # Minutes: attendance (the snapshot holds names), the summary and an action name them.
    meeting = make_meeting(person, unit, day=today - datetime.timedelta(days=2), title="Referat")
    item = meeting_services.agenda_item_propose(actor=person, meeting=meeting, title="Turnus")
    meeting_services.item_minutes_save(
        actor=person,
        item=item,
        revision=item.revision,
        summary=mention("vi prøver langvakter. Nordheim-Testrud mente at Solveig N. tar det"),
        way_forward=f"{NAME} følger opp. Ring {PHONE_DIGITS}.",
    )
    meeting_services.action_add(
        actor=person,
        meeting=meeting,
        item=item,
        description=f"Ring {NAME} på {PHONE}",
        assignee=users["employee"],
        due_on=today + datetime.timedelta(days=7),
    )
    publishable(person, meeting, [person, users["rep"], users["safety"]])
    meeting_services.minutes_publish(actor=person, meeting=meeting, notify=False)

    # A report sent by the person, naming them; a response and a question naming them.
    draft = UnitReport.objects.get(pk=world["report"][1])
    report_services.report_save(
        actor=person, report=draft, went_well=mention("bra"), hard=f"Spør {EMAIL}", need=""
    )
    report_services.report_send(actor=person, report=draft)
    sent = UnitReport.objects.get(pk=world["report"][0])
    report_services.response_add(
        actor=users["director"], report=sent, kind="comment", text=f"Takk til {NAME}!"
    )
    report_services.question_ask(actor=users["politician"], unit=unit, text=f"Kan {NAME} svare?")

    # Staff input naming the leader; a measure note; a follow-up note about the rep.
    input_services.input_submit(unit=unit, text=f"Vi vil snakke med {NAME} om turnus")
    measure = Measure.objects.get(pk=world["measure"][1])  # in trial
    measure_services.note_add(actor=person, measure=measure, text=mention("notat"))
    measure_services.note_add(actor=person, measure=measure, text="S. Nordheim-Testrud ringer.")
    # An import file uploaded and not yet applied (kept as bytes for a week).
    from trepart.organisation.models import ImportBatch

    ImportBatch.objects.create(
        municipality=person.municipality,
        uploaded_by=users["admin"],
        filename="ansatte.csv",
        content=f"navn;e-post;telefon\n{NAME};{EMAIL};{PHONE}\n".encode(),
    )
    rep_role = RoleAssignment.objects.filter(person=users["rep"]).first()
    try:
        follow_up_note_create(
            actor=users["chief_rep"], assignment=rep_role, held_on=today, text=mention("samtale")
        )
    except Exception:  # noqa: BLE001 - the chief rep may not cover this rep; not the point
        pass

    # Rows keyed by the e-mail address or the person: a log-in record, the technical admin log,
    # a session, and the rows of other capabilities.
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username=EMAIL,
        ip_address="10.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=1,
    )
    LogEntry.objects.create(
        user=users["admin"],
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["phone"]}}]),
    )
    Client().force_login(person)  # a session row
    _rows_of_other_capabilities(person, users["employee"], person.municipality)
    return person


PHONE_RE = re.compile(r"(?:\+47)?" + r"[\s.\-]?".join(PHONE_DIGITS))


def _strings(value):
    if isinstance(value, str):
        yield value
        if value[:1] in "[{":
            try:
                yield json.dumps(json.loads(value), ensure_ascii=False)
            except ValueError:
                pass
    elif isinstance(value, bytes | memoryview):
        yield bytes(value).decode("utf-8", errors="ignore")  # uploaded files (import, evidence)
    elif value is not None and not isinstance(value, int | float | bool):
        if isinstance(value, dict | list):
            yield json.dumps(value, ensure_ascii=False)


def scan() -> list[str]:
    """Every text, char and JSON field of every model in the whole database."""
    hits = []
    # The surname alone too: derived texts (search terms, stems) must follow the rewrite.
    # Short forms of the name, too (the erasure replaces "Solveig N." and "S. Nordheim-Testrud").
    needles = (NAME.casefold(), EMAIL.casefold(), "testrud", "solveig n.")
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(
                f, models.CharField | models.TextField | models.JSONField | models.BinaryField
            )
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list("pk", *fields).iterator():
            for name, value in zip(fields, row[1:], strict=True):
                for text in _strings(value):
                    folded = text.casefold()
                    if any(n in folded for n in needles) or PHONE_RE.search(text):
                        hits.append(f"{model._meta.label}.{name} #{row[0]}: {text[:120]!r}")
    return hits


@pytest.mark.django_db(transaction=False)
def test_erasure_leaves_no_name_email_or_phone_anywhere_and_keeps_the_archive():
    world, users = build_world("Fjordvik")
    person = enrich(world, users)
    before = scan()
    # The world really names the person in many places (the test would prove nothing else).
    assert len({hit.split(" ")[0].rsplit(".", 1)[0] for hit in before}) >= 8, before
    versions = set(MinutesVersion.objects.values_list("pk", flat=True))
    reports = set(ReportVersion.objects.values_list("pk", flat=True))
    assert versions and reports

    erasure = person_erase(users["admin"], person)

    assert scan() == []
    # Archive records remain, with the role instead of the name (R5, P8).
    assert set(MinutesVersion.objects.values_list("pk", flat=True)) == versions
    assert set(ReportVersion.objects.values_list("pk", flat=True)) == reports
    with translation.override(person.municipality.default_language or "nb"):
        role = str(Role.UNIT_LEADER.label)
    snapshot = json.dumps(
        list(MinutesVersion.objects.filter(published_by=person).values_list("content", flat=True)),
        ensure_ascii=False,
    )
    assert role in snapshot
    sent = ReportVersion.objects.filter(sent_by=person).latest("pk")
    assert role in json.dumps(sent.content, ensure_ascii=False)

    person.refresh_from_db()
    assert not person.is_active and not person.has_usable_password()
    assert person.erased_at is not None and person.phone == "" and person.language == ""
    assert person.email.endswith(".invalid")
    assert person.full_name.lower().endswith(role.lower())
    # Current roles ended: the seat shows as vacant today; the history is kept.
    assert RoleAssignment.objects.filter(person=person).exists()
    assert (
        not RoleAssignment.objects.current()
        .filter(person=person)
        .exclude(starts_on=timezone.localdate())
    )
    # Rows that belonged only to the person are gone (found by introspection, as the service
    # does: whatever models other capabilities added), the archive models' rows are kept.
    for model, fks, _m2ms in introspection.person_links():
        by = introspection.cascade_fields(model, fks)
        rows = model._base_manager.filter(introspection.person_filter(by, (), person))
        if by and model._meta.label not in introspection.KEEP_ON_ERASURE:
            assert not rows.exists(), model._meta.label
    assert Attendance.objects.filter(person=person).exists()
    # The audit: who and when, counts only.
    assert erasure.erased_by == users["admin"] and erasure.person == person
    assert NAME not in json.dumps(erasure.counts, ensure_ascii=False)
    assert erasure.counts["deleted"] and erasure.counts["rewritten"]
    assert Erasure.objects.count() == 1
