"""The demo municipality (`manage.py load_demo`): every input state and every measure stage is
shown, the pages open for the demo people, and loading twice creates nothing new."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from trepart.accounts.models import User
from trepart.demo.organisation import email_for
from trepart.inputs.models import Audience, Input, Status
from trepart.measures import permissions as measure_permissions
from trepart.measures.models import (
    Decision,
    Evidence,
    Measure,
    MeasureEvent,
    Risk,
    RiskAssessment,
    Stage,
)
from trepart.measures.services import missing_for_trial
from trepart.meetings.models import Meeting
from trepart.organisation.models import Unit

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_shows_every_input_state_and_measure_stage_and_is_idempotent():
    """One load for both checks, then a second load that must add nothing (the suite's time:
    every load of the demo costs seconds)."""
    output = _load()
    _check_inputs(output)
    _check_measures()
    before = _measure_counts()
    _load()
    assert _measure_counts() == before


def _check_inputs(output: str) -> None:
    assert "/i/" in output  # the anonymous link is printed with the logins
    counts = {s: Input.objects.filter(status=s).count() for s in Status.values}
    assert all(counts.values()), counts  # P3: every state has an example
    assert Input.objects.filter(hidden=True).exclude(hidden_reason="").exists()
    assert Input.objects.filter(audience=Audience.LEADER).exists()  # R14: private to the leader
    assert Input.objects.filter(public=True).exclude(answer="").exists()
    assert Input.objects.exclude(answer_draft="").exists()
    assert Input.objects.filter(author__isnull=False).exists()
    # Issue 10: colleagues sent the same text after a staff meeting: folded into one input.
    assert Input.objects.filter(sent_count=3).count() == 1
    taken_up = Input.objects.filter(status=Status.TAKEN_UP)
    # Taken up onto a meeting's agenda, or as a measure (the measures demo takes one up so).
    assert all(i.agenda_item_id or i.measures.exists() for i in taken_up)
    overdue = [i for i in Input.objects.select_related("municipality") if i.is_overdue()]
    assert overdue, "the demo shows inputs that waited too long"
    # R21: every closed input has an answer, given after it was sent.
    for item in Input.objects.exclude(status__in=[Status.NEW, Status.CONSIDERING]):
        assert item.answer and item.answered_on >= item.submitted_on


def test_demo_loads_again_after_its_meetings_have_passed():
    """A later rerun, when the meetings with taken-up input lie in the past, must not crash."""
    _load()
    soon = timezone.now() + datetime.timedelta(days=30)
    moved = Meeting.objects.filter(starts_at__gte=timezone.now(), starts_at__lte=soon)
    assert moved.exists()
    for meeting in moved:
        meeting.starts_at -= datetime.timedelta(days=40)
        meeting.ends_at -= datetime.timedelta(days=40)
        meeting.save(update_fields=["starts_at", "ends_at"])
    _load()


def _measure_counts():
    return tuple(
        model.objects.count()
        for model in (Measure, MeasureEvent, Evidence, RiskAssessment, Risk, Input, Meeting)
    )


def _check_measures() -> None:
    today = timezone.localdate()
    # P4: every stage has an example. "Evaluated" is the Fjellhaug trip day waiting for the
    # group's decision; the Solsiden task division is "decided" and waits for the decision line.
    counts = {s: Measure.objects.filter(stage=s).count() for s in Stage.values}
    assert all(counts.values()), counts

    # R28: a kept measure, done, celebrated with a story.
    win = Measure.objects.get(is_win=True)
    assert (win.stage, win.decision) == (Stage.DONE, Decision.KEEP)
    assert win.win_story and win.line_outcome and win.evidence.exists()
    # R29: the group's recommendation waits for the decision line.
    assert Measure.objects.filter(
        stage=Stage.DECIDED, referred_to="Kommunalsjef for oppvekst", line_outcome=""
    ).exists()
    # The board highlights a trial whose evaluation date has passed; others are on time.
    trials = list(Measure.objects.filter(stage=Stage.IN_TRIAL))
    assert any(m.evaluation_overdue(today) for m in trials)
    assert any(not m.evaluation_overdue(today) for m in trials)
    # R21/P4: a staff input taken up as a measure, answered; other measures link their input.
    idea = Measure.objects.get(stage=Stage.IDEA, source_input__isnull=False)
    assert idea.source_input.status == Status.TAKEN_UP and idea.source_input.answer
    assert idea.title == idea.source_input.title
    assert Measure.objects.filter(source_input__isnull=False).count() >= 3
    assert Measure.objects.filter(source_agenda_item__isnull=False).exists()
    # Stopped with a reason; "adjust" went back to planning, keeping its history.
    assert Measure.objects.filter(stage=Stage.STOPPED).exclude(stop_reason="").exists()
    adjusted = Measure.objects.get(
        stage=Stage.PLANNED, events__from_stage=Stage.DECIDED, events__to_stage=Stage.PLANNED
    )
    # The last round's evaluation and decision are kept on the timeline, not on the measure.
    back = adjusted.events.get(from_stage=Stage.DECIDED, to_stage=Stage.PLANNED)
    assert back.comment and adjusted.decision == "" and adjusted.findings == ""
    assert missing_for_trial(adjusted) == []  # ready for the next trial
    # An incomplete plan shows what is missing, the risk assessment among it.
    incomplete = [missing_for_trial(m) for m in Measure.objects.filter(stage=Stage.PLANNED)]
    assert any(len(missing) > 3 for missing in incomplete)
    # R26: every trial had a risk assessment first, by the safety rep or made with one.
    for m in Measure.objects.exclude(trial_started_on=None):
        assert m.risk.by_safety_rep or m.risk.with_safety_rep
        assert m.risk.assessed_on <= m.trial_started_on
    assert RiskAssessment.objects.filter(by_safety_rep=False).exclude(with_safety_rep="").exists()

    # The dates tell a consistent story.
    for m in Measure.objects.select_related("source_input"):
        ats = list(m.events.order_by("id").values_list("at", flat=True))
        assert ats == sorted(ats), m.title
        assert m.created_at == ats[0] and ats[-1] <= timezone.now(), m.title
        created = timezone.localdate(m.created_at)
        if m.source_input:
            assert m.source_input.submitted_on <= created, m.title
        if m.trial_started_on:
            assert created <= m.trial_started_on < m.evaluation_on, m.title
            assert m.trial_started_on < m.trial_ends_on, m.title
        if m.evaluated_on:
            assert m.evaluated_on <= today, m.title
        if m.decided_on:
            assert m.evaluated_on <= m.decided_on <= today, m.title
        if m.line_outcome_on:
            assert m.referred_on <= m.line_outcome_on <= today, m.title
        if m.win_marked_on:
            assert m.decided_on <= m.win_marked_on <= today, m.title


DEMO_PEOPLE = [
    "Hanne Berg",  # municipal admin: reads every unit's measures
    "Anne Kristiansen",
    "Bjørn Tangen",
    "Hilde Rønning",
    "Kristin Bakke",
    "Fatima Ali",  # employee: reads, cannot change
    "Marte Solberg",
    "Mona Jakobsen",
    "Camilla Vang",
    "Sofie Dahl",
    "Elin Aasen",
    "Tore Fjeld",  # politician: no unit role
]


def test_demo_measure_pages_open_for_the_demo_people():
    _load()
    units = list(Unit.objects.all())
    for name in DEMO_PEOPLE:
        user = User.objects.get(email=email_for(name))
        client = client_for(user)  # the administrator past the second factor (issue 13)
        for url in (reverse("home:home"), reverse("measures:index")):
            assert client.get(url).status_code == 200, (name, url)
        for unit in units:
            response = client.get(reverse("measures:board", args=[unit.pk]))
            expected = 200 if measure_permissions.can_view_unit_measures(user, unit) else 403
            assert response.status_code in (expected, 404), (name, unit.name)
        for measure in measure_permissions.measures_visible_to(user):
            response = client.get(reverse("measures:measure_detail", args=[measure.pk]))
            assert response.status_code == 200, (name, measure.title)
            assert measure.title in response.content.decode()
            if measure_permissions.can_change(user, measure):
                for view in ("measures:plan_edit", "measures:risk_edit"):
                    response = client.get(reverse(view, args=[measure.pk]))
                    assert response.status_code == 200, (name, view, measure.title)
    # The overdue evaluation is highlighted on its board.
    overdue = next(
        m for m in Measure.objects.filter(stage=Stage.IN_TRIAL) if m.evaluation_overdue()
    )
    client = Client()
    client.force_login(User.objects.get(email=email_for("Camilla Vang")))
    assert overdue.unit.name == "Strandheim bo- og omsorgssenter"
    board = client.get(reverse("measures:board", args=[overdue.unit_id]))
    assert board.context["overdue_count"] == 1
    in_trial = next(c for c in board.context["columns"] if c["stage"] == Stage.IN_TRIAL)
    assert overdue in in_trial["measures"]
    # The submitter sees what became of her input.
    fatima = User.objects.get(email=email_for("Fatima Ali"))
    client.force_login(fatima)
    idea = Measure.objects.get(stage=Stage.IDEA, source_input__author=fatima)
    page = client.get(reverse("inputs:input_detail", args=[idea.source_input_id]))
    assert page.status_code == 200
    assert list(page.context["item"].measures.all()) == [idea]
    assert 'class="measure-outcome"' in page.content.decode()
