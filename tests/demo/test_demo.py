"""The demo municipality (`manage.py load_demo`): every input state is shown, and loading twice
creates nothing new."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from trepart.inputs.models import Audience, Input, Status
from trepart.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_shows_staff_input_in_every_state_and_is_idempotent():
    output = _load()
    assert "/i/" in output  # the anonymous link is printed with the logins
    counts = {s: Input.objects.filter(status=s).count() for s in Status.values}
    assert all(counts.values()), counts  # P3: every state has an example
    assert Input.objects.filter(hidden=True).exclude(hidden_reason="").exists()
    assert Input.objects.filter(audience=Audience.LEADER).exists()  # R14: private to the leader
    assert Input.objects.filter(public=True).exclude(answer="").exists()
    assert Input.objects.exclude(answer_draft="").exists()
    assert Input.objects.filter(author__isnull=False).exists()
    taken_up = Input.objects.filter(status=Status.TAKEN_UP)
    assert all(i.agenda_item_id for i in taken_up)
    overdue = [i for i in Input.objects.select_related("municipality") if i.is_overdue()]
    assert overdue, "the demo shows inputs that waited too long"
    # R21: every closed input has an answer, given after it was sent.
    for item in Input.objects.exclude(status__in=[Status.NEW, Status.CONSIDERING]):
        assert item.answer and item.answered_on >= item.submitted_on

    before = (Input.objects.count(), Meeting.objects.count())
    _load()
    assert (Input.objects.count(), Meeting.objects.count()) == before


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
