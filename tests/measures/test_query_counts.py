"""Reads have a fixed number of queries (ARCHITECTURE rule 4): the measures board, the index,
a measure's page, the home page and the meeting page (running trials) are measured with 1 and
with 15 measures in every stage, and the counts are compared, not hard-coded."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.inputs.test_query_counts import assert_same_counts, measure
from tests.measures.conftest import RISKS, days, logged_in, measure_at
from tests.meetings.conftest import make_meeting
from trepart.measures import services
from trepart.measures.models import Decision, Measure, Stage

MANY = 15
KINDS = [
    (Stage.IDEA, {}),
    (Stage.PLANNED, {}),
    (Stage.IN_TRIAL, {}),
    (Stage.IN_TRIAL, {"evaluation_on": days(5)}),  # soon: on the home page
    (Stage.IN_TRIAL, {"overdue": True}),
    (Stage.EVALUATED, {}),
    (Stage.DECIDED, {"decision": Decision.ADJUST}),
    (Stage.DECIDED, {"referred_to": "AMU"}),
    (Stage.DONE, {"win": True}),
    (Stage.DONE, {"decision": Decision.REVERT}),
    (Stage.STOPPED, {}),
]


def add_measures(group, unit, n, start=0):
    """`n` more measures, cycling through every stage, with notes, evidence and wins."""
    leader = group["leader"]
    for i in range(start, start + n):
        stage, options = KINDS[i % len(KINDS)]
        options = dict(options)
        overdue = options.pop("overdue", False)
        win = options.pop("win", False)
        m = measure_at(group, unit, stage, title=f"Tiltak {i}", **options)
        if stage == Stage.IN_TRIAL:
            services.note_add(actor=leader, measure=m, text=f"Notat {i}")
            services.evidence_add(actor=leader, measure=m, text=f"Funn {i}")
        if overdue:
            Measure.objects.filter(pk=m.pk).update(evaluation_on=days(-3))
        if win:
            Measure.objects.filter(pk=m.pk).update(is_win=True, win_story=f"Seier {i}")


def grow_target(group, target, n):
    """More timeline, evidence and risks on the measure whose page is measured."""
    for i in range(n):
        services.note_add(actor=group["leader"], measure=target, text=f"Notat {i}")
        services.evidence_add(
            actor=group["rep_ff"],
            measure=target,
            text=f"Funn {i}",
            upload=SimpleUploadedFile(f"vedlegg{i}.pdf", b"%PDF-1.7 " + bytes(i)),
        )
    services.risk_assessment_save(
        actor=group["safety"],
        measure=target,
        summary="Oppdatert",
        risks=RISKS * n,
    )


def test_measure_pages_same_queries_with_1_and_15_measures(unit, party_group, employee, admin_user):
    leader = party_group["leader"]
    meeting = make_meeting(leader, unit, day=days(7))
    target = measure_at(party_group, unit, Stage.IN_TRIAL, title="Målet", evaluation_on=days(3))
    services.note_add(actor=leader, measure=target, text="Første notat")
    services.evidence_add(
        actor=leader, measure=target, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7")
    )
    referred = measure_at(party_group, unit, Stage.DECIDED, title="Sendt", referred_to="AMU")
    clients = {
        "leader": logged_in(leader),
        "employee": logged_in(employee),
        "admin": logged_in(admin_user),
    }
    board = reverse("measures:board", args=[unit.pk])
    detail = reverse("measures:measure_detail", args=[target.pk])
    pages = [
        ("leader", "board", board),
        ("leader", "board in trial", board + "?stage=in_trial"),
        ("employee", "board", board),
        ("leader", "index", reverse("measures:index")),
        ("employee", "index", reverse("measures:index")),
        ("admin", "index", reverse("measures:index")),
        ("leader", "detail", detail),
        ("employee", "detail", detail),
        ("leader", "referred detail", reverse("measures:measure_detail", args=[referred.pk])),
        ("leader", "home", reverse("home:home")),
        ("employee", "home", reverse("home:home")),
        ("leader", "meeting", reverse("meetings:meeting_detail", args=[meeting.pk])),
        ("leader", "unit page", reverse("organisation:unit_detail", args=[unit.pk])),
    ]
    add_measures(party_group, unit, len(KINDS))
    few = measure(clients, pages)

    add_measures(party_group, unit, len(KINDS) * (MANY - 1), start=len(KINDS))
    grow_target(party_group, target, MANY)
    assert unit.measures.count() == 2 + len(KINDS) * MANY
    assert target.events.count() > MANY and target.evidence.count() > MANY
    many = measure(clients, pages)
    assert_same_counts(few, many)

    # The measurements saw the rows they were meant to.
    body = clients["leader"].get(board).content.decode()
    assert f"Tiltak {len(KINDS) * MANY - 1}<" in body
    home = clients["leader"].get(reverse("home:home")).content.decode()
    assert home.count('class="ds-card measure-card') == 10  # the home list is capped
    meeting_page = clients["leader"].get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert "Målet" in meeting_page.content.decode()
