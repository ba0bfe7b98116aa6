"""Issue 15 part 2, escaping: hostile text typed into any field stays text, in every output.

The corpus (tests/security/payloads.py: `<script>`, an attribute break-out with `onerror`,
`javascript:`, Django template syntax, spreadsheet formulas, CR LF, æøå) goes through the
services into the free-text fields below, each with a field marker (EFnn). The world is the
permission matrix's (tests/security/conftest.py, the municipality and unit named with hostile
text), with the hostile objects standing in for the matrix's objects. Then:

- every page of the permission matrix is read (GET, as up to two roles allowed to read it, and
  once more as an htmx request): no script element holds a marker, no element has an `on*`
  attribute or an injected `<img src=x>`, no href/src/action starts with `javascript:`, nothing
  evaluated the template syntax, nothing was escaped twice (`&lt;` shown to the reader), and every
  field marker is shown on at least one page as plain text;
- the same read gives the documents: the HTML given to WeasyPrint for PDFs (WeasyPrint runs no
  script; the HTML must hold no injected element or link), Word files (text literal, no
  hyperlink to `javascript:`), ICS files (SUMMARY/DESCRIPTION hold the text; a CR LF makes no
  new line or property), Excel files (no formula cell: the rule itself is
  tests/security/test_formulas.py), the personal-data zip (its index.html) and the JSON API
  (application/json, the literal text, no HTML escaping);
- every form is posted once as an htmx request with the hostile text (EF200) in each text field:
  the form error or partial it answers shows the text as text;
- the background jobs that e-mail these fields run (and the weekly digest, and the log page of
  what was sent): no subject holds a line break or an HTML entity, no Bcc/Cc appears, the HTML
  part escapes, the text part is literal, the attached invitation is a clean calendar file.

| field (marker)                                          | shown in                              |
|---------------------------------------------------------|---------------------------------------|
| municipality name (EF01), unit name (EF06)              | every page, e-mails, PDFs, ICS, Excel |
| people's full names (EF02, EF03), department (EF04)     | people pages, attendance, minutes     |
| new person's name (EF05)                                | people list                           |
| meeting title with CR LF (EF10), place (EF11)           | meetings, ICS, agenda e-mail, home    |
| agenda item title/description (EF12, EF13)              | meeting page, ICS, agenda e-mail      |
| minutes summary/way forward/decisions (EF14–EF16)       | meeting page                          |
| action item (EF17), guest (EF18)                        | meeting page, my actions, reminder    |
| item not agreed: title, holder, position, until (EF19–22)| meeting page                         |
| published meeting title, item, minutes (EF30–EF35)      | minutes page, PDF, Word, PDF/A, e-mail|
| member brief (EF36)                                     | member briefs                         |
| steering meeting, item, referral body/note (EF40–EF44)  | steering meeting page, PDF            |
| standing item (EF45), cancel reason (EF46)              | meeting settings, ICS feed            |
| input text, answer, named input, hide reason (EF50–54)  | inputs pages, receipt page, API       |
| measure titles (EF60–EF63), plan fields (EF70–EF83)     | measures pages, PDF/A, API            |
| risk assessment (EF84–EF86), trial, evaluation,         | measure page, PDF/A                   |
| decision, note, evidence (EF87–EF92)                    |                                       |
| experience title/texts/contact (EF100–EF104)            | experience library, experience page   |
| report texts, change note, response, questions,         | reports, steering overview, PDF/A,    |
| answer (EF110–EF117)                                    | API                                   |
| survey title, intro, questions, choices, free-text      | surveys pages, answer page, Excel     |
| answers (EF120–EF124); pulse free text (EF125)         |                                       |
| exercise note, answers, insight (EF130–EF135)           | exercises pages                       |
| welcome page text, follow-up note (EF140, EF141)        | onboarding, local reps page           |
"""

from __future__ import annotations

import datetime
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.security import conftest as security
from tests.security import payloads as P
from tests.security.conftest import all_urls, client_as, load_matrix, sso_discovery_seeded
from tests.security.test_permission_matrix import _path
from trepart.measures.models import PLAN_TEXT_FIELDS

# Roles that see the most of a page first: the crawl reads each page as the first two of these
# that may read it.
PREFERENCE = (
    "unit_leader",
    "administration",
    "municipal_admin",
    "local_union_rep",
    "safety_rep",
    "employee",
    "politician",
    "chief_union_rep",
    "chief_safety_rep",
    "department_leader",
    "employee_other_unit",
    "anonymous",
)

# Field markers that no page shows, and why.
NOT_ON_A_PAGE: dict[str, str] = {}


# --- the world ----------------------------------------------------------------------------------


def _stain(world) -> None:
    """Hostile text in every free-text field, through the services; the hostile objects take the
    places of the matrix world's objects (same states)."""
    from tests.meetings.conftest import make_meeting, publishable
    from trepart.accounts.models import User
    from trepart.continuity import services as continuity_services
    from trepart.inputs import services as input_services
    from trepart.measures import services as measure_services
    from trepart.measures.models import Decision
    from trepart.meetings import services as meeting_services
    from trepart.organisation import services as organisation_services
    from trepart.organisation.models import RoleAssignment, Unit
    from trepart.reflection import services_exercises as exercise_services
    from trepart.reflection import services_members
    from trepart.reporting import experiences as experience_services
    from trepart.reporting import services_reports as report_services
    from trepart.reporting.models import SteeringQuestion, UnitReport
    from trepart.surveys import services as answer_services
    from trepart.surveys import services_surveys as survey_services
    from trepart.surveys.models import Survey

    o, u = world.objects, world.users
    leader, rep, safety = u["unit_leader"], u["local_union_rep"], u["safety_rep"]
    employee, director, admin = u["employee"], u["administration"], u["municipal_admin"]
    politician = u["politician"]
    unit = Unit.objects.get(pk=o["unit"][0])
    municipality = unit.municipality
    today = timezone.localdate()

    # Organisation. No service renames a municipality, a unit or a person (Django's admin, the
    # import and the admin's person form create them), so the matrix's are renamed in place.
    type(municipality).objects.filter(pk=municipality.pk).update(name=P.text("EF01", short=True))
    Unit.objects.filter(pk=unit.pk).update(name=P.text("EF06", short=True))
    unit.refresh_from_db()
    municipality.refresh_from_db()
    User.objects.filter(pk=employee.pk).update(full_name=P.text("EF02", short=True))
    User.objects.filter(pk=leader.pk).update(full_name=P.text("EF03", short=True))
    for user in u.values():
        if user is not None:
            user.refresh_from_db()
    organisation_services.department_create(actor=admin, unit=unit, name=P.text("EF04", short=True))
    organisation_services.person_create(
        actor=admin,
        municipality=municipality,
        full_name=P.text("EF05", short=True),
        email="ef05@example.com",
    )

    # Meetings: the coming one, with minutes being written.
    planned = make_meeting(
        leader,
        unit,
        day=today + datetime.timedelta(days=7),
        title=P.text("EF10", lead=P.CRLF, short=True),
    )
    meeting_services.meeting_move(
        actor=leader,
        meeting=planned,
        day=today + datetime.timedelta(days=7),
        start_time=datetime.time(14),
        end_time=datetime.time(15),
        location=P.text("EF11", short=True),
    )
    item = meeting_services.agenda_item_propose(
        actor=leader, meeting=planned, title=P.text("EF12", short=True), description=P.text("EF13")
    )
    item = meeting_services.item_minutes_save(
        actor=leader,
        item=item,
        revision=item.revision,
        summary=P.text("EF14"),
        way_forward=P.text("EF15"),
        decisions=P.text("EF16"),
    )
    action = meeting_services.action_add(
        actor=leader,
        meeting=planned,
        item=item,
        description=P.text("EF17"),
        assignee=employee,
        due_on=today + datetime.timedelta(days=2),
    )
    meeting_services.attendance_record(
        actor=leader, meeting=planned, statuses={}, guests=[P.text("EF18", short=True)]
    )
    disputed = meeting_services.agenda_item_propose(
        actor=leader, meeting=planned, title=P.text("EF19", short=True)
    )
    meeting_services.item_not_agreed(
        actor=leader,
        item=disputed,
        positions=[(P.text("EF20", short=True), P.text("EF21"))],
        in_between=P.text("EF22"),
    )

    # The published one, and the reps' briefs for their members.
    published = make_meeting(
        leader, unit, day=today - datetime.timedelta(days=7), title=P.text("EF30", short=True)
    )
    old = meeting_services.agenda_item_propose(
        actor=leader,
        meeting=published,
        title=P.text("EF31", short=True),
        description=P.text("EF32"),
    )
    meeting_services.item_minutes_save(
        actor=leader,
        item=old,
        revision=old.revision,
        summary=P.text("EF33"),
        way_forward=P.text("EF34"),
        decisions=P.text("EF35"),
    )
    publishable(leader, published, [leader, rep, safety])
    meeting_services.minutes_publish(actor=leader, meeting=published, notify=False)
    briefs = services_members.briefs_on_minutes_published(published.versions.first())
    for brief in briefs:
        services_members.brief_save(actor=brief.person, brief=brief, text=P.text("EF36"))

    # The steering group's.
    steering = make_meeting(
        director, None, day=today + datetime.timedelta(days=3), title=P.text("EF40", short=True)
    )
    steering_item = meeting_services.agenda_item_propose(
        actor=director,
        meeting=steering,
        title=P.text("EF41", short=True),
        description=P.text("EF42"),
    )
    referral = meeting_services.referral_add(
        actor=director,
        item=steering_item,
        body=P.text("EF43", short=True),
        referred_on=today,
        note=P.text("EF44"),
    )
    standing = meeting_services.standing_item_add(
        actor=leader, municipality=municipality, unit=unit, title=P.text("EF45", short=True)
    )
    cancelled = make_meeting(leader, unit, day=today + datetime.timedelta(days=9), title="Avlyst")
    meeting_services.meeting_cancel(actor=leader, meeting=cancelled, reason=P.text("EF46"))

    o["meeting"] = [planned.pk, published.pk, steering.pk]
    o["item"] = [item.pk, steering_item.pk, published.items.first().pk]
    o["action"] = [action.pk]
    o["referral"] = [referral.pk]
    o["standing"] = [standing.pk]
    o["brief"] = [b.pk for b in briefs]

    # Inputs.
    anonymous, code = input_services.input_submit(unit=unit, text=P.text("EF50"))
    input_services.input_close(
        actor=leader, item=anonymous, status="answered", answer=P.text("EF51")
    )
    named, _ = input_services.input_submit(unit=unit, text=P.text("EF52"), author=employee)
    hidden, _ = input_services.input_submit(unit=unit, text="Skjules senere, takk")
    input_services.input_hide(actor=leader, item=hidden, reason=P.text("EF54"))
    o["input"] = [anonymous.pk, named.pk]
    o["receipt_code"] = [code]

    # Measures, through every stage with hostile text in every part.
    plan = {name: P.text(f"EF{70 + i}") for i, name in enumerate(PLAN_TEXT_FIELDS)}
    stages = ["idea", "planned_trial", "evaluated", "decided"]
    measures = []
    for i, _stage in enumerate(stages):
        measure = measure_services.measure_create(
            actor=leader, unit=unit, title=P.text(f"EF{60 + i}", short=True)
        )
        if i:
            measure_services.plan_save(
                actor=leader,
                measure=measure,
                evaluation_on=today + datetime.timedelta(days=60),
                **plan,
            )
            measure_services.risk_assessment_save(
                actor=safety,
                measure=measure,
                summary=P.text("EF84"),
                risks=[
                    {
                        "description": P.text("EF85"),
                        "likelihood": 2,
                        "consequence": 2,
                        "mitigation": P.text("EF86"),
                    }
                ],
            )
            measure_services.trial_start(
                actor=leader,
                measure=measure,
                participants=P.text("EF87"),
                ends_on=today + datetime.timedelta(days=7),
            )
        if i >= 2:
            measure_services.evaluate(
                actor=leader, measure=measure, findings=P.text("EF88"), assessment=P.text("EF89")
            )
        if i >= 3:
            measure_services.decide(
                actor=leader, measure=measure, decision=Decision.KEEP, note=P.text("EF90")
            )
        measure.refresh_from_db()
        measures.append(measure)
    measure_services.note_add(actor=leader, measure=measures[1], text=P.text("EF91"))
    measure_services.evidence_add(actor=leader, measure=measures[1], text=P.text("EF92"))
    o["measure"] = [m.pk for m in measures]

    # Experiences.
    texts = {
        "theme": "rota",
        "tried": P.text("EF101"),
        "happened": P.text("EF102"),
        "learned": P.text("EF103"),
    }
    shared = experience_services.experience_create(
        actor=leader,
        unit=unit,
        title=P.text("EF100", short=True),
        contact_role=P.text("EF104", short=True),
        source_measure=measures[3],
        **texts,
    )
    experience_services.experience_publish(actor=leader, experience=shared)
    draft = experience_services.experience_create(
        actor=rep, unit=unit, title=P.text("EF100", short=True), **texts
    )
    o["experience"] = [shared.pk, draft.pk]

    # Reports and the steering group's questions.
    sent, draft_report = UnitReport.objects.filter(pk__in=o["report"]).order_by("-period_start")
    report_texts = {"went_well": P.text("EF110"), "hard": P.text("EF111"), "need": P.text("EF112")}
    report_services.report_save(actor=leader, report=draft_report, **report_texts)
    sent = report_services.report_correction_start(actor=leader, report=sent)
    report_services.report_save(actor=leader, report=sent, **report_texts)
    report_services.report_send(actor=leader, report=sent, change_note=P.text("EF113"))
    report_services.response_add(actor=director, report=sent, kind="comment", text=P.text("EF114"))
    asked = report_services.question_ask(
        actor=politician, unit=unit, report=sent, text=P.text("EF115")
    )
    report_services.question_answer(actor=leader, question=asked, answer=P.text("EF116"))
    alone = report_services.question_ask(actor=director, unit=unit, text=P.text("EF117"))
    SteeringQuestion.objects.filter(pk__in=o["question"]).delete()
    o["question"] = [asked.pk, alone.pk]

    # Surveys: anonymous-link surveys with a free-text question: an open one (its answer page),
    # and a closed one answered by enough people for the free text to be shown.
    def survey_with_questions():
        survey = survey_services.survey_create(
            actor=leader,
            kind=Survey.Kind.WORK_ON,
            unit=unit,
            audience=Survey.Audience.ANONYMOUS_LINK,
        )
        survey_services.survey_update(
            actor=leader,
            survey=survey,
            title=P.text("EF120", short=True),
            intro=P.text("EF121"),
            audience=survey.audience,
            opens_on=None,
            closes_on=None,
        )
        free = survey_services.question_add(
            actor=leader,
            survey=survey,
            kind="text",
            text=P.text("EF122", lead=P.HYPERLINK),
            choices=[],
        )
        choice = survey_services.question_add(
            actor=leader,
            survey=survey,
            kind="choice",
            text=P.text("EF123", lead=P.DDE),
            choices=[P.text("EF123", lead=P.AT_FORMULA, short=True), "Nei"],
        )
        survey_services.survey_open(actor=leader, survey=survey)
        return survey, free, choice

    survey, free, _choice = survey_with_questions()
    o["survey"][1] = survey.pk
    o["survey_question"][1] = free.pk
    o["survey_token"][1] = survey.token
    closed, free, choice = survey_with_questions()
    for i in range(6):
        answer_services.response_submit(
            survey=closed, answers={free.pk: P.text("EF124"), choice.pk: str(i % 2)}
        )
    survey_services.survey_close(actor=leader, survey=closed)
    o["survey"].append(closed.pk)

    # The party group's pulse, with free text from each member.
    from trepart.surveys import services_pulse
    from trepart.surveys.models import Question

    pulse = services_pulse.pulse_start(leader, unit)
    pulse_answers = {
        q.pk: P.text("EF125") if q.kind == Question.Kind.TEXT else "3"
        for q in pulse.questions.all()
    }
    # Free text is shown for an ended period that at least the threshold (5) answered: a fifth
    # member of the group answers too, and the period is closed.
    from tests.factories import person_with_role
    from trepart.organisation.models import Role

    fifth = person_with_role(Role.SAFETY_REP, unit)
    for member in (leader, rep, safety, u["department_leader"], fifth):
        services_pulse.pulse_answer(member, pulse, pulse_answers)
    Survey.objects.filter(pk=pulse.pk).update(closes_on=today - datetime.timedelta(days=1))
    services_pulse.pulses_close_ended(today)

    # Reflection: answers, a note, an insight.
    running, _released = o["exercise_run"]
    from trepart.reflection.models import ExerciseRun

    running = ExerciseRun.objects.get(pk=running)
    exercise_services.answer_save(
        actor=rep, run=running, answers={"fairness": P.text("EF135")}, submit=True
    )
    released = exercise_services.run_start(
        actor=leader, unit=unit, exercise="role_swap", note=P.text("EF130")
    )
    exercise_services.answer_save(
        actor=rep, run=released, answers={"contribution": P.text("EF132")}, submit=True
    )
    released = exercise_services.run_release(actor=leader, run=released)
    exercise_services.insight_turn(
        actor=leader,
        run=released,
        target="measure",
        title=P.text("EF133", short=True),
        note=P.text("EF134"),
    )
    o["exercise_run"] = [running.pk, released.pk]

    # Continuity: the group's welcome page, a chief rep's follow-up note.
    continuity_services.group_practice_save(actor=leader, unit=unit, text=P.text("EF140"))
    assignment = RoleAssignment.objects.filter(person=rep, unit=unit).first()
    continuity_services.follow_up_note_create(
        actor=u["chief_union_rep"], assignment=assignment, held_on=today, text=P.text("EF141")
    )


def build_escaping_world():
    world = security.build_matrix_world()
    _stain(world)
    return world


@pytest.fixture(scope="module")
def escaping_world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at the end."""
    yield from security.built_for_the_module(django_db_blocker, build_escaping_world)


# --- the checks ---------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc"}
MARKER = re.compile(r"EF\d{2,3}")
# What a reader would see if the text had been escaped twice, or a subject HTML-escaped.
ENTITIES = re.compile(r"&(?:lt|gt|quot|amp|#x?[0-9a-fA-F]+);")


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.in_script = ""

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>: an event handler attribute")
            if name in URL_ATTRIBUTES or name.startswith("hx-"):
                if re.sub(r"\s", "", value).lower().startswith("javascript:"):
                    self.problems.append(f"<{tag} {name}={value!r}>: a javascript: URL")
        if tag == "img" and ("src", "x") in attrs:
            self.problems.append(f"<img {attrs}>: an injected element")
        if tag == "script":
            # Data for a chart (json_script): JSON with <, > and & as \u escapes is inert.
            self.in_script = "json" if ("type", "application/json") in attrs else "script"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = ""

    def handle_data(self, data):
        if self.in_script == "json":
            if "<" in data or ">" in data:
                self.problems.append(f"unescaped < or > in JSON data: {data[:120]!r}")
        elif self.in_script:
            if MARKER.search(data) or 'alert("x' in data:
                self.problems.append(f"a script element holds typed text: {data[:120]!r}")
        else:
            self.text.append(data)


def scan_html(document: str) -> tuple[list[str], str]:
    """(problems, the text a reader sees) of an HTML document."""
    scan = _Scan()
    scan.feed(document)
    scan.close()
    text = "".join(scan.text)
    problems = list(scan.problems)
    if found := P.EVALUATED.search(text):
        problems.append(f"template syntax was evaluated: {found.group(0)!r}")
    for marker in set(MARKER.findall(text)):
        # Where a field is shown, its text is shown literally (the corpus's pieces are there as
        # text, not as markup) and escaped once only.
        around = text[text.index(marker) : text.index(marker) + 160]
        if "&lt;script" in around or "&quot;&gt;" in around:
            problems.append(f"{marker} escaped twice: {around[:120]!r}")
    return problems, text


def scan_docx(content: bytes) -> tuple[list[str], str]:
    import docx

    document = docx.Document(io.BytesIO(content))
    problems = [
        f"a hyperlink to {rel.target_ref!r}"
        for rel in document.part.rels.values()
        if rel.is_external and rel.target_ref.strip().lower().startswith("javascript:")
    ]
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    text = "\n".join(parts)
    if P.EVALUATED.search(text):
        problems.append("template syntax was evaluated")
    if ENTITIES.search(text):
        problems.append(f"HTML entities in the Word text: {ENTITIES.search(text).group(0)}")
    return problems, text


ICS_PROPERTIES = {
    "BEGIN", "END", "PRODID", "VERSION", "CALSCALE", "METHOD", "X-WR-CALNAME", "X-WR-TIMEZONE",
    "REFRESH-INTERVAL", "X-PUBLISHED-TTL", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY",
    "LOCATION", "DESCRIPTION", "URL", "STATUS", "SEQUENCE", "TRANSP", "TZID", "TZNAME",
    "TZOFFSETFROM", "TZOFFSETTO", "RDATE", "RRULE", "X-LIC-LOCATION", "COMMENT",
}  # fmt: skip


def scan_ics(content: bytes) -> tuple[list[str], str]:
    from icalendar import Calendar

    raw = content.decode("utf-8")
    problems = []
    unfolded = re.sub(r"\r\n[ \t]", "", raw)
    for line in unfolded.split("\r\n"):
        if not line:
            continue
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        if name not in ICS_PROPERTIES:
            problems.append(f"a calendar line that no field makes: {line[:100]!r}")
        if "\n" in line or "\r" in line:
            problems.append(f"a bare line break in {line[:60]!r}")
    calendar = Calendar.from_ical(content)
    texts = []
    for event in calendar.walk("VEVENT"):
        for prop in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            if prop in event:
                texts.append(str(event[prop]))
        if "ATTENDEE" in event or "ORGANIZER" in event:
            problems.append("an attendee or organiser in the event")
    text = "\n".join(texts)
    if ENTITIES.search(text):
        problems.append(f"HTML entities in the calendar text: {ENTITIES.search(text).group(0)}")
    return problems, text


def scan_xlsx(content: bytes) -> tuple[list[str], str]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    problems = [f"{c.coordinate}: a formula {c.value!r}" for c in cells if c.data_type == "f"]
    problems += [
        f"{c.coordinate}: {c.value[:40]!r} without the quote prefix"
        for c in cells
        if isinstance(c.value, str) and c.value[:1] in "=+-@" and not c.quotePrefix
    ]
    return problems, "\n".join(str(c.value) for c in cells if c.value is not None)


def scan_json(content: bytes) -> tuple[list[str], str]:
    data = json.loads(content)
    strings: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            strings.append(value)

    walk(data)
    text = "\n".join(strings)
    problems = []
    for marker in set(MARKER.findall(text)):
        around = text[text.index(marker) : text.index(marker) + 200]
        if ENTITIES.search(around) or P.EVALUATED.search(around):
            problems.append(f"{marker}: not the literal text in the JSON: {around[:100]!r}")
    return problems, text


# A field shown literally: its marker followed by the script piece as text.
LITERAL = re.compile(r"(EF\d{2,3}) " + re.escape(P.SCRIPT))


@dataclass
class Seen:
    markers: dict = field(default_factory=dict)  # marker -> first place it was shown
    literal: set = field(default_factory=set)  # markers shown with their text, as text
    problems: list = field(default_factory=list)
    kinds: dict = field(default_factory=dict)  # output kind -> count

    def add(self, where: str, kind: str, problems: list[str], text: str) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.problems += [f"{where} ({kind}): {p}" for p in problems]
        for marker in MARKER.findall(text):
            self.markers.setdefault(marker, where)
        self.literal |= set(LITERAL.findall(text))


class _Captured:
    """Stands in for weasyprint.HTML: keeps the HTML that would become a PDF, makes no PDF."""

    documents: list[str] = []

    def __init__(self, string="", **kwargs):
        _Captured.documents.append(string)

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-1.7 stand-in"


def check_response(seen: Seen, where: str, response) -> None:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    content = response.getvalue() if response.streaming else response.content
    if content_type == "text/html":
        seen.add(where, "html", *scan_html(content.decode("utf-8")))
    elif content_type == "application/json":
        seen.add(where, "json", *scan_json(content))
    elif content_type == "text/calendar":
        seen.add(where, "ics", *scan_ics(content))
    elif content_type.endswith("wordprocessingml.document"):
        seen.add(where, "docx", *scan_docx(content))
    elif content_type.endswith("spreadsheetml.sheet"):
        seen.add(where, "xlsx", *scan_xlsx(content))
    elif content_type == "application/pdf":
        for document in _Captured.documents:
            seen.add(where, "pdf-html", *scan_html(document))
    elif content_type == "application/zip":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if name.endswith(".html"):
                    seen.add(where, "zip-html", *scan_html(archive.read(name).decode()))
                elif name.endswith(".json"):
                    seen.add(where, "zip-json", *scan_json(archive.read(name)))
    _Captured.documents.clear()


# --- every page and document --------------------------------------------------------------------

URLS = all_urls()
ROWS, _SETTINGS = load_matrix()


def _readers(row) -> list[str]:
    """The first two roles of PREFERENCE that may read the row, and the local union rep (who
    sees their own brief and exercise answers) where allowed."""
    allowed = [r for r in PREFERENCE if r in (row.read or ())]
    return allowed[:2] + [r for r in allowed[2:] if r == "local_union_rep"]


def _read(seen: Seen, world, url, path: str, role: str, htmx: bool) -> None:
    client = client_as(world, role)
    headers = {}
    if url.is_api and role in world.tokens:
        headers["Authorization"] = f"Bearer {world.tokens[role]}"
    variants = (
        [headers, {**headers, "HX-Request": "true"}] if htmx and not url.is_api else [headers]
    )
    for extra in variants:
        with transaction.atomic():
            response = client.get(path, headers=extra)
            if response.status_code >= 500:
                seen.problems.append(f"{path} as {role}: {response.status_code}")
            api_data = url.is_api and url.name.startswith("api:api-v1:")
            if response.status_code == 200 and api_data and url.name != "api:api-v1:openapi-view":
                if response["Content-Type"].split(";")[0] != "application/json":
                    seen.problems.append(f"{path}: {response['Content-Type']}, not JSON")
            if response.status_code == 200:
                where = f"{path} as {role}{' (htmx)' if 'HX-Request' in extra else ''}"
                check_response(seen, where, response)
            transaction.set_rollback(True)


def test_every_page_and_document_shows_typed_text_as_text(escaping_world, db):
    import weasyprint

    seen = Seen()
    with pytest.MonkeyPatch.context() as patch, sso_discovery_seeded():
        patch.setattr(weasyprint, "HTML", _Captured)
        for _key, row in sorted(ROWS.items()):
            url = URLS.get(row.url_name)
            if url is None or row.read is None or row.ends_at_login or url.is_admin:
                continue
            paths = [(_path(url, row, escaping_world), _readers(row))]
            if len(url.arguments) == 1:
                # Every other object of the kind (each state), as the first reader.
                kwarg, world_key = url.arguments[0]
                chosen = paths[0][0]
                for pk in escaping_world.objects.get(world_key, []):
                    if reverse(url.name, kwargs={kwarg: pk}) + row.query == chosen:
                        continue
                    path = reverse(url.name, kwargs={kwarg: pk}) + row.query
                    paths.append((path, _readers(row)[:1]))
            for path, readers in paths:
                for n, role in enumerate(readers):
                    _read(seen, escaping_world, url, path, role, htmx=n == 0)
    assert not seen.problems, "typed text escaped its field:\n  " + "\n  ".join(seen.problems)
    unseen = sorted(
        set(P.markers()) - set(seen.markers) - set(NOT_ON_A_PAGE), key=lambda m: int(m[2:])
    )
    assert not unseen, f"fields shown nowhere the crawl looked: {unseen}"
    shortened = sorted(set(seen.markers) - seen.literal, key=lambda m: int(m[2:]))
    assert not shortened, f"fields never shown with their whole text as text: {shortened}"
    for kind in ("html", "json", "ics", "docx", "xlsx", "pdf-html"):
        assert seen.kinds.get(kind), f"no {kind} output was checked ({seen.kinds})"


def test_the_checks_find_what_they_look_for():
    """The scanners are not blind: unescaped text, a handler, a javascript: link, evaluated
    template syntax and double escaping are each reported."""
    bad = [
        f"<p>EF98 {P.SCRIPT}</p>",
        '<input value="EF98 "><img src=x onerror=alert("x2")>">',
        '<a href=" javascript:alert(1)">EF98</a>',
        "<p>EF98 x5:49</p>",
        "<p>EF98 &amp;lt;script&amp;gt;</p>",
    ]
    for document in bad:
        problems, _text = scan_html(document)
        assert problems, document
    assert scan_html('<script type="application/json">{"a": "EF98 </b>"}</script>')[0]
    assert not scan_html('<script type="application/json">{"a": "EF98 \\u003Cb"}</script>')[0]
    problems, text = scan_html(f"<p>EF98 {html.escape(P.text('EF98'))}</p>")
    assert problems == [] and LITERAL.search(text)
    injected = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:M\xc3\xb8te x9\r\nBcc: evil@example.com\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert any("no field makes" in p for p in scan_ics(injected)[0])


# --- the personal-data download -----------------------------------------------------------------


def test_personal_data_download_shows_typed_text_as_text(escaping_world, db):
    """The zip's index.html escapes, its data.json holds the literal text (GDPR art. 15)."""
    seen = Seen()
    for role in ("unit_leader", "employee"):
        with transaction.atomic():
            response = client_as(escaping_world, role).post(reverse("personaldata:download"))
            assert response.status_code == 200
            check_response(seen, f"download as {role}", response)
            transaction.set_rollback(True)
    assert not seen.problems, "\n".join(seen.problems)
    assert seen.kinds.get("zip-html") == 2 and seen.kinds.get("zip-json") == 2
    assert {"EF02", "EF03"} <= seen.literal


# --- calendar files -----------------------------------------------------------------------------


def test_a_line_break_in_a_title_makes_no_calendar_line(escaping_world, db):
    """The CR LF of the meeting's title stays inside SUMMARY (escaped); no Bcc or attendee."""
    from icalendar import Calendar

    from trepart.meetings import exports
    from trepart.meetings.models import Meeting

    meeting = Meeting.objects.get(pk=escaping_world.objects["meeting"][0])
    content = exports.meeting_ics(meeting, base_url="https://trepart.example")
    problems, _text = scan_ics(content)
    assert problems == []
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    summary = str(event["SUMMARY"])
    assert "x9" in summary and "Bcc: evil@example.com" in summary and "EF10" in summary
    assert P.SCRIPT in summary and "æøå" in summary
    assert "EF12" in str(event["DESCRIPTION"])  # the agenda's titles
    lines = re.sub(r"\r\n[ \t]", "", content.decode()).split("\r\n")
    assert not [line for line in lines if line.upper().startswith(("BCC", "ATTENDEE"))]


# --- e-mail -------------------------------------------------------------------------------------


def scan_message(message) -> list[str]:
    problems = []
    subject = message.subject
    if "\n" in subject or "\r" in subject:
        problems.append(f"a line break in the subject {subject!r}")
    if ENTITIES.search(subject) or P.EVALUATED.search(subject):
        problems.append(f"the subject is not the literal text: {subject!r}")
    if message.bcc or message.cc or len(message.to) != 1:
        problems.append(f"recipients: to={message.to} cc={message.cc} bcc={message.bcc}")
    headers = message.message().as_string().split("\n\n", 1)[0]
    if re.search(r"^(bcc|cc):", headers, re.IGNORECASE | re.MULTILINE):
        problems.append("a Bcc or Cc header")
    body = message.body
    if P.EVALUATED.search(body):
        problems.append("template syntax evaluated in the text part")
    for marker in set(MARKER.findall(body)):
        around = body[body.index(marker) : body.index(marker) + 200]
        if ENTITIES.search(around):
            problems.append(f"{marker}: HTML entities in the text part: {around[:100]!r}")
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            problems += scan_html(content)[0]
    for name, content, mimetype in message.attachments:
        if mimetype.startswith("text/calendar"):
            data = content if isinstance(content, bytes) else content.encode()
            problems += [f"{name}: {p}" for p in scan_ics(data)[0]]
    return problems


def test_every_job_that_mails_typed_text_sends_it_as_text(escaping_world, db):
    """The jobs run as the worker runs them; each message: a one-line subject without entities,
    no extra recipients, a literal text part, an escaped HTML part, a clean calendar file."""
    from trepart.accounts import services as account_services
    from trepart.accounts.models import Invitation, User
    from trepart.inputs import services as input_services
    from trepart.inputs import tasks as input_tasks
    from trepart.inputs.models import Input
    from trepart.measures import tasks as measure_tasks
    from trepart.meetings import tasks as meeting_tasks
    from trepart.meetings.models import MinutesVersion
    from trepart.notifications import services as notification_services
    from trepart.reflection import tasks_members
    from trepart.reporting import tasks_reports

    o, u = escaping_world.objects, escaping_world.users
    today = timezone.localdate()
    mail.outbox = []
    with transaction.atomic():
        # The safety rep reads everything in the weekly digest instead.
        safety = u["safety_rep"]
        modes = notification_services.modes_for(safety)
        notification_services.settings_save(safety, {code: "weekly" for code in modes})
        meeting_tasks.send_agenda.call(meeting_id=o["meeting"][0])
        version = MinutesVersion.objects.filter(meeting_id=o["meeting"][1]).first()
        meeting_tasks.notify_minutes_published.call(version_id=version.pk)
        meeting_tasks.send_action_reminders.call(today=today.isoformat())
        named = Input.objects.get(pk=o["input"][1])
        input_services.input_close(
            actor=u["unit_leader"], item=named, status="answered", answer=P.text("EF53")
        )
        input_tasks.notify_input_author.call(named.pk, "answered")
        tasks_reports.notify_question_answered.call(question_id=o["question"][0])
        measure_tasks.notify_safety_rep.call(measure_id=o["measure"][1])
        measure_tasks.send_evaluation_reminders.call(
            today=(today + datetime.timedelta(days=60)).isoformat()
        )
        for pk in o["brief"]:
            tasks_members.notify_member_brief.call(brief_id=pk)
        newcomer = User.objects.get(email="ef05@example.com")
        invitation = Invitation.objects.create(person=newcomer, invited_by=u["municipal_admin"])
        account_services.invitation_send(invitation.pk)
        monday = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)
        while not notification_services.is_digest_day(monday):
            monday += datetime.timedelta(days=1)
        notification_services.digest_send(monday)
        messages = list(mail.outbox)
        # The log of what was sent (each person's own notifications page).
        logs = Seen()
        for role in ("unit_leader", "safety_rep", "employee"):
            response = client_as(escaping_world, role).get(reverse("notifications:log"))
            check_response(logs, f"notifications log as {role}", response)
        transaction.set_rollback(True)
    problems = [f"{m.subject!r} to {m.to}: {p}" for m in messages for p in scan_message(m)]
    problems += logs.problems
    assert {"EF10", "EF30", "EF17"} <= logs.literal
    assert not problems, "typed text escaped its field in e-mail:\n  " + "\n  ".join(problems)
    subjects = " ".join(m.subject for m in messages)
    bodies = " ".join(m.body for m in messages)
    assert "EF10" in subjects and "Bcc: evil@example.com" in subjects  # the agenda's subject
    assert "EF30" in subjects  # the minutes' subject
    assert "EF05" in bodies  # the invitation
    for marker in ("EF12", "EF17", "EF53", "EF116", "EF61"):
        assert marker in bodies, marker
    assert any(
        "digest" in m.subject.lower() or "oppsummering" in m.subject.lower() for m in messages
    )


# --- what a form sends back ---------------------------------------------------------------------


def _form_data(url) -> dict:
    """Every field of the view's forms: the hostile text in each text field, the first choice in
    each choice field (tests/test_fuzz_post.py finds the fields)."""
    from tests.test_fuzz_post import view_form_fields

    data = {}
    for name, choices in view_form_fields(url.callback).items():
        data[name] = sorted(choices)[0] if choices else P.text("EF200", short=True)
    return data


def test_every_form_answer_shows_typed_text_as_text(escaping_world, db):
    """Each form, posted with the hostile text in every text field as an htmx request: the page
    or partial it answers (a form error that shows the typed value again, or the saved text
    rendered again) shows it as text."""
    seen = Seen()
    posted = 0
    with sso_discovery_seeded():
        for _key, row in sorted(ROWS.items()):
            url = URLS.get(row.url_name)
            if url is None or not row.write or url.is_api or url.is_admin or row.ends_at_login:
                continue
            writers = [r for r in PREFERENCE if r in row.write]
            if not writers:
                continue
            role = writers[0]
            path = _path(url, row, escaping_world)
            data = _form_data(url)
            client = client_as(escaping_world, role)
            with transaction.atomic():
                response = client.post(path, data, headers={"HX-Request": "true"})
                posted += 1
                if response.status_code >= 500:
                    seen.problems.append(f"POST {path} as {role}: {response.status_code}")
                elif response.status_code in (200, 400, 409, 422):
                    check_response(seen, f"POST {path} as {role}", response)
                transaction.set_rollback(True)
    assert not seen.problems, "typed text escaped its field:\n  " + "\n  ".join(seen.problems)
    assert posted > 50 and "EF200" in seen.literal


def test_an_invitation_subject_is_one_line_of_literal_text(escaping_world, db):
    """A municipality's name with `&` and a line break: the invitation still goes out, its subject
    one line without HTML entities (it used to read "Rødøy &amp; Lurøy")."""
    from trepart.accounts import services as account_services
    from trepart.accounts.models import Invitation, User

    newcomer = User.objects.get(email="ef05@example.com")
    mail.outbox = []
    with transaction.atomic():
        type(newcomer.municipality).objects.filter(pk=newcomer.municipality_id).update(
            name=f"Rødøy & Lurøy {P.CRLF}"
        )
        newcomer.refresh_from_db()
        invitation = Invitation.objects.create(
            person=newcomer, invited_by=escaping_world.users["municipal_admin"]
        )
        assert account_services.invitation_send(invitation.pk)
        transaction.set_rollback(True)
    (message,) = mail.outbox
    assert scan_message(message) == []
    assert message.subject.endswith("Rødøy & Lurøy Møte x9 Bcc: evil@example.com")
