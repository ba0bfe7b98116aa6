"""R2: the steering group is dialogue-only — everybody speaks, nobody votes, nothing is decided
there. R29: what needs a decision is referred to the decision line, and the outcome recorded."""

import datetime
import inspect
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from tests.meetings.conftest import END, START, make_meeting
from trepart.meetings import forms, services
from trepart.meetings import urls as meeting_urls
from trepart.meetings.models import ItemKind, MeetingKind, MeetingSeries, Referral

D = datetime.date
VOTING = re.compile(r"vot|ballot|poll|stemm|majorit|flertall|veto", re.IGNORECASE)


@pytest.fixture
def director(steering_group):
    return steering_group["director"]


@pytest.fixture
def steering_meeting(director):
    return make_meeting(director, None, title="TriPart-møte", kind=MeetingKind.CONSULTATION)


def test_steering_meetings_are_dialogue_whatever_kind_is_asked_for(steering_meeting, director):
    """R2: not a consultation or negotiation body."""
    assert steering_meeting.is_steering
    assert steering_meeting.kind == MeetingKind.DIALOGUE
    series = services.series_create(
        actor=director,
        municipality=director.municipality,
        unit=None,
        title="TriPart",
        kind=MeetingKind.CONSULTATION,
        frequency="weekly",
        ordinal=1,
        weekday=3,
        interval_weeks=8,
        start_time=START,
        end_time=END,
        location="Kommunestyresalen",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 6, 30),
    )
    assert series.kind == MeetingKind.DIALOGUE
    assert series.meetings.exists()
    assert set(series.meetings.values_list("kind", flat=True)) == {MeetingKind.DIALOGUE}


def test_a_party_group_cannot_hold_dialogue_meetings(leader, unit):
    with pytest.raises(ValidationError):
        services.series_create(
            actor=leader,
            municipality=unit.municipality,
            unit=unit,
            title="Møte",
            kind=MeetingKind.DIALOGUE,
            frequency="monthly",
            ordinal=1,
            weekday=1,
            interval_weeks=2,
            start_time=START,
            end_time=END,
            location="",
            starts_on=D(2026, 1, 1),
            ends_on=None,
        )
    assert not MeetingSeries.objects.exists()


def test_steering_items_are_forced_to_dialogue_kind(steering_meeting, director, steering_group):
    """R2: items are put forward for information and dialogue — standing items and proposals."""
    assert set(steering_meeting.items.values_list("kind", flat=True)) == {ItemKind.DIALOGUE}
    for kind in (ItemKind.CONSULTATION, ItemKind.DEVELOPMENT, None):
        item = services.agenda_item_propose(
            actor=steering_group["chief_rep"],
            meeting=steering_meeting,
            title="Heltidskultur i helse og omsorg",
            kind=kind,
        )
        assert item.kind == ItemKind.DIALOGUE


def test_saving_decisions_on_a_steering_item_is_refused(steering_meeting, director):
    item = steering_meeting.items.first()
    with pytest.raises(ValidationError):
        services.item_minutes_save(
            actor=director,
            item=item,
            revision=item.revision,
            summary="Politikerne ga et tydelig styringssignal.",
            way_forward="Administrasjonen tar det med i budsjettarbeidet.",
            decisions="Styringsgruppa vedtar å innføre langvakter.",
        )
    item.refresh_from_db()
    assert item.summary == "" and item.decisions == "" and item.revision == 0
    # Summary and way forward (steering signals, dialogue) are fine.
    item = services.item_minutes_save(
        actor=director,
        item=item,
        revision=item.revision,
        summary="Politikerne ga et tydelig styringssignal.",
        way_forward="Administrasjonen tar det med i budsjettarbeidet.",
    )
    assert item.summary.startswith("Politikerne") and item.decisions == ""


def test_party_group_items_may_record_decisions(leader, unit):
    meeting = make_meeting(leader, unit)
    item = meeting.items.first()
    item = services.item_minutes_save(
        actor=leader,
        item=item,
        revision=item.revision,
        summary="",
        way_forward="Prøves ut.",
        decisions="Leder beslutter utprøving fra 1. februar.",
    )
    assert item.decisions.startswith("Leder beslutter")


def test_no_model_offers_voting():
    """R2/R15: avoid votes. No field on any meetings model is about voting."""
    offenders = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("meetings").get_models()
        for field in model._meta.get_fields()
        if VOTING.search(field.name)
    ]
    assert offenders == []
    choices = [v for c in (MeetingKind, ItemKind) for v in c.values]
    assert not any(VOTING.search(v) for v in choices)


def test_no_form_service_or_url_offers_voting():
    form_fields = [
        f"{name}.{field}"
        for name, cls in inspect.getmembers(forms, inspect.isclass)
        if issubclass(cls, forms.forms.BaseForm) and cls.__module__ == forms.__name__
        for field in cls.base_fields
    ]
    assert form_fields, "the meetings forms were found"
    assert [f for f in form_fields if VOTING.search(f)] == []
    service_names = [n for n, f in inspect.getmembers(services, inspect.isfunction)]
    assert "minutes_publish" in service_names
    assert [n for n in service_names if VOTING.search(n)] == []
    url_names = [p.name for p in meeting_urls.urlpatterns]
    assert "meeting_detail" in url_names
    assert [n for n in url_names if VOTING.search(n)] == []


# --- R29: the decision line ---------------------------------------------------------------------


def test_referral_is_recorded_and_later_its_outcome(steering_meeting, director):
    """R29: the system records where an item went and the outcome; it never pretends the group
    decided it."""
    item = steering_meeting.items.first()
    referral = services.referral_add(
        actor=director,
        item=item,
        body="Administrasjonsutvalget",
        referred_on=D(2026, 3, 6),
        note="Retningslinjer for heltidskultur",
    )
    referral.refresh_from_db()
    assert (referral.body, referral.referred_on, referral.note) == (
        "Administrasjonsutvalget",
        D(2026, 3, 6),
        "Retningslinjer for heltidskultur",
    )
    assert referral.outcome == "" and referral.outcome_on is None
    assert referral.created_by == director

    services.referral_outcome(
        actor=director,
        referral=referral,
        outcome="Vedtatt med endringer.",
        outcome_on=D(2026, 4, 2),
    )
    referral.refresh_from_db()
    assert referral.outcome == "Vedtatt med endringer."
    assert referral.outcome_on == D(2026, 4, 2)


def test_outcome_before_the_referral_date_is_refused(steering_meeting, director):
    item = steering_meeting.items.first()
    referral = services.referral_add(
        actor=director, item=item, body="AMU", referred_on=D(2026, 3, 6)
    )
    with pytest.raises(ValidationError) as exc:
        services.referral_outcome(
            actor=director, referral=referral, outcome="Vedtatt", outcome_on=D(2026, 3, 5)
        )
    assert "outcome_on" in exc.value.message_dict
    referral.refresh_from_db()
    assert referral.outcome == "" and referral.outcome_on is None
    # The same day is fine.
    services.referral_outcome(
        actor=director, referral=referral, outcome="Vedtatt", outcome_on=D(2026, 3, 6)
    )


def test_outcome_can_be_recorded_after_the_minutes_are_published(
    steering_meeting, director, steering_group, django_capture_on_commit_callbacks
):
    """The outcome comes later; it is not part of the (immutable) minutes."""
    item = steering_meeting.items.first()
    referral = services.referral_add(
        actor=director, item=item, body="Kommunestyret", referred_on=D(2026, 3, 6)
    )
    for it in steering_meeting.items.all():
        it = services.item_minutes_save(
            actor=director,
            item=it,
            revision=it.revision,
            summary="Dialog.",
            way_forward="Til orientering.",
        )
        services.item_close(actor=director, item=it)
    services.attendance_record(
        actor=director,
        meeting=steering_meeting,
        statuses={p: ("present", "") for p in steering_group.values()},
        guests=[],
    )
    steering_meeting.refresh_from_db()
    version = services.minutes_publish(actor=director, meeting=steering_meeting, notify=False)
    snap = next(it for it in version.content["items"] if it["id"] == item.pk)
    assert snap["referrals"][0]["body"] == "Kommunestyret"
    assert all(it["decisions"] == "" for it in version.content["items"])

    services.referral_outcome(
        actor=director, referral=referral, outcome="Vedtatt", outcome_on=D(2026, 5, 1)
    )
    assert Referral.objects.get(pk=referral.pk).outcome == "Vedtatt"
