"""The agenda is sent with the invitation (P2 item 3; R13: items announced in advance)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role
from trepart.meetings import services
from trepart.organisation.models import Role


@pytest.fixture
def group(db):
    unit = UnitFactory(name="Fjordtun sykehjem")
    leader = person_with_role(Role.UNIT_LEADER, unit, full_name="Anne Leder")
    rep = person_with_role(Role.LOCAL_UNION_REP, unit, full_name="Tor Tillitsvalgt")
    employee = person_with_role(Role.EMPLOYEE, unit)
    meeting = services.meeting_create(
        actor=leader,
        municipality=unit.municipality,
        unit=unit,
        title="Partsgruppemøte",
        kind="development",
        day=datetime.date(2030, 3, 5),
        start_time=datetime.time(14),
        end_time=datetime.time(15),
        location="Møterommet",
    )
    services.agenda_item_propose(actor=rep, meeting=meeting, title="Bedre opplæring av vikarer")
    return meeting, leader, rep, employee


def test_r13_agenda_is_emailed_to_members_with_ics(group, django_capture_on_commit_callbacks):
    meeting, leader, rep, employee = group
    with django_capture_on_commit_callbacks(execute=True):
        client_for(leader).post(reverse("meetings:agenda_send", args=[meeting.pk]))
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([leader.email, rep.email])  # members, not all staff
    message = mail.outbox[0]
    assert "Partsgruppemøte" in message.subject
    assert "Bedre opplæring av vikarer" in message.body
    assert f"/meetings/{meeting.pk}/" in message.body
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert b"BEGIN:VEVENT" in (content if isinstance(content, bytes) else content.encode())
    meeting.refresh_from_db()
    assert meeting.agenda_sent_at is not None


def test_employee_cannot_send_agenda(group):
    meeting, leader, rep, employee = group
    with pytest.raises(PermissionDenied):
        services.agenda_send(actor=employee, meeting=meeting)
    response = client_for(employee).post(reverse("meetings:agenda_send", args=[meeting.pk]))
    assert response.status_code == 404
    assert mail.outbox == []


def test_cancelled_meeting_is_not_announced(group):
    meeting, leader, rep, employee = group
    services.meeting_cancel(actor=leader, meeting=meeting, reason="Sykdom")
    with pytest.raises(ValidationError):
        services.agenda_send(actor=leader, meeting=meeting)
