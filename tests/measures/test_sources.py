"""Where measures come from and where they show up (P3, P4, R11, R21, R28, R29).

- Staff input taken up "as a measure" starts a measure; the anonymous submitter follows it on
  the receipt page, through to the decision and the win.
- An agenda item can become a measure (once); the meeting page links to it.
- The standing item "Status of running trials" lists the unit's trials in progress.
"""

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, complete_party_group
from tests.inputs.conftest import phone, receipt_url, submit, with_version
from tests.measures.conftest import advance, logged_in, measure_at, text_of
from tests.meetings.conftest import make_meeting, publishable
from trepart.inputs.models import Input
from trepart.measures import services
from trepart.measures.models import Decision, Measure, Stage
from trepart.meetings import services as meeting_services
from trepart.meetings.models import AgendaItem

INPUT_TEXT = "Kan vi prøve langvakter i helgene?\nDa får vi flere helger fri."
ANSWER = "Ja, vi planlegger en utprøving sammen med dere."


# --- from staff input (P3 → P4) -----------------------------------------------------------------


def _outcome_block(body: str) -> str:
    return body.split('class="measure-outcome"')[1].split("</div>")[0]


def _take_up_as_measure(client, item):
    return client.post(
        reverse("inputs:input_answer", args=[item.pk]),
        with_version(
            item, {"action": "close", "status": "taken_up", "answer": ANSWER, "target": "measure"}
        ),
    )


def test_p4_input_taken_up_as_measure_creates_one_and_the_receipt_follows_it(unit, party_group):
    leader = party_group["leader"]
    item, code = submit(unit, INPUT_TEXT)
    response = _take_up_as_measure(logged_in(leader), item)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "taken_up" and item.answer == ANSWER
    assert item.agenda_item is None  # taken up as a measure, not on an agenda
    measure = Measure.objects.get()
    assert (measure.source_input, measure.unit, measure.stage, measure.created_by) == (
        item,
        unit,
        Stage.IDEA,
        leader,
    )
    assert measure.title == "Kan vi prøve langvakter i helgene?"
    assert measure.problem == INPUT_TEXT
    assert measure.municipality_id == unit.municipality_id

    # The group sees where it came from.
    detail = text_of(logged_in(leader).get(reverse("measures:measure_detail", args=[measure.pk])))
    assert reverse("inputs:input_detail", args=[item.pk]) in detail
    board = text_of(logged_in(leader).get(reverse("measures:board", args=[unit.pk])))
    assert "From staff input" in board

    # The submitter follows it (R21).
    body = text_of(phone().get(receipt_url(code)))
    assert ANSWER in body
    outcome = _outcome_block(body)
    assert "“Kan vi prøve langvakter i helgene?”" in outcome
    assert "Stage now: Idea." in outcome

    measure = advance(measure, party_group, Stage.IN_TRIAL)
    body = text_of(phone().get(receipt_url(code)))
    assert "Stage now: In trial." in body and "Tried out since" in body

    measure = advance(measure, party_group, Stage.DECIDED, decision=Decision.KEEP)
    story = "Åtte ansatte fikk lange helgefri."
    services.win_mark(actor=leader, measure=measure, story=story)
    outcome = _outcome_block(text_of(phone().get(receipt_url(code))))
    assert "Stage now: Decided." in outcome
    assert "Keep it" in outcome  # the outcome …
    assert "Ansatte vil fortsette." in outcome  # … and why (R21)
    assert "Win" in outcome and story in outcome  # R28
    assert "recommends" not in outcome


def test_p4_input_taken_up_as_measure_with_its_own_title(unit, party_group):
    leader = party_group["leader"]
    item, code = submit(unit, INPUT_TEXT)
    page = text_of(logged_in(leader).get(reverse("inputs:input_detail", args=[item.pk])))
    assert 'value="measure"' in page  # offered as a way to take it up
    response = logged_in(leader).post(
        reverse("inputs:input_answer", args=[item.pk]),
        with_version(
            item,
            {
                "action": "close",
                "status": "taken_up",
                "answer": ANSWER,
                "target": "measure",
                "measure_title": "  Langvakter i helgene  ",
            },
        ),
    )
    assert response.status_code == 302
    measure = Measure.objects.get(source_input=item)
    assert measure.title == "Langvakter i helgene"
    assert "“Langvakter i helgene”" in _outcome_block(text_of(phone().get(receipt_url(code))))


def test_r29_receipt_shows_a_referred_decision_as_the_groups_recommendation(unit, party_group):
    leader = party_group["leader"]
    item, code = submit(unit, INPUT_TEXT)
    _take_up_as_measure(logged_in(leader), item)
    measure = advance(Measure.objects.get(), party_group, Stage.DECIDED, referred_to="AMU")
    outcome = _outcome_block(text_of(phone().get(receipt_url(code))))
    assert "The group recommends: Keep it – referred to AMU" in outcome
    assert "decided" not in outcome.replace("Stage now: Decided.", "")
    services.line_outcome_record(actor=leader, measure=measure, outcome="AMU sa ja.")
    assert "AMU sa ja." in _outcome_block(text_of(phone().get(receipt_url(code))))


def test_p4_receipt_shows_a_stopped_measure_and_why(unit, party_group):
    leader = party_group["leader"]
    item, code = submit(unit, INPUT_TEXT)
    _take_up_as_measure(logged_in(leader), item)
    services.stop(actor=leader, measure=Measure.objects.get(), reason="Ny turnus fra januar.")
    body = text_of(phone().get(receipt_url(code)))
    assert "Ny turnus fra januar." in body


def test_p4_input_taken_up_as_measure_twice_makes_one_measure(unit, party_group):
    leader = party_group["leader"]
    item, _code = submit(unit, INPUT_TEXT)
    _take_up_as_measure(logged_in(leader), item)
    from trepart.inputs import services as input_services

    item.refresh_from_db()
    input_services.input_reopen(actor=leader, item=item)
    item.refresh_from_db()
    assert _take_up_as_measure(logged_in(leader), item).status_code == 302
    assert Measure.objects.count() == 1
    assert Input.objects.get(pk=item.pk).status == "taken_up"


# --- from an agenda item ------------------------------------------------------------------------


@pytest.fixture
def meeting(unit, party_group):
    """A meeting made through the services: the standing items are on the agenda (R11)."""
    return make_meeting(party_group["leader"], unit)


def test_p4_agenda_item_becomes_a_measure_once_and_the_meeting_links_to_it(
    unit, party_group, meeting
):
    rep = party_group["rep_nsf"]
    item = meeting_services.agenda_item_propose(
        actor=rep, meeting=meeting, title="Langvakter i helgene", description="Prøve i et halvår?"
    )
    client = logged_in(rep)
    meeting_url = reverse("meetings:meeting_detail", args=[meeting.pk])
    url = reverse("measures:from_agenda_item", args=[item.pk])
    before = text_of(client.get(meeting_url))
    assert f'action="{url}"' in before
    assert "Make “Langvakter i helgene” a measure" in before
    # Standing items do not offer it.
    for standing in meeting.items.filter(standing=True):
        assert reverse("measures:from_agenda_item", args=[standing.pk]) not in before

    response = client.post(url)
    measure = Measure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:measure_detail", args=[measure.pk])
    assert (measure.source_agenda_item, measure.unit, measure.title, measure.problem) == (
        item,
        unit,
        "Langvakter i helgene",
        "Prøve i et halvår?",
    )
    assert measure.created_by == rep

    again = client.post(url)  # idempotent
    assert again["Location"] == response["Location"]
    assert Measure.objects.count() == 1

    after = text_of(client.get(meeting_url))
    detail_url = reverse("measures:measure_detail", args=[measure.pk])
    assert f'href="{detail_url}"' in after
    assert "Measure: Langvakter i helgene (Idea)" in after
    assert f'action="{url}"' not in after
    # And back: the measure page links to the meeting.
    detail = text_of(client.get(detail_url))
    assert "Agenda item “Langvakter i helgene”" in detail and meeting_url in detail


def test_p4_agenda_item_of_a_steering_meeting_does_not_become_a_measure(
    municipality, steering_group
):
    chief = steering_group["chief_rep"]
    steering = make_meeting(chief, None)
    item = meeting_services.agenda_item_propose(actor=chief, meeting=steering, title="Heltid")
    response = logged_in(chief).post(reverse("measures:from_agenda_item", args=[item.pk]))
    assert response.status_code == 403
    assert not Measure.objects.exists()


def test_p4_running_trials_on_the_standing_item(unit, party_group, meeting, municipality):
    leader = party_group["leader"]
    meeting_url = reverse("meetings:meeting_detail", args=[meeting.pk])
    standing = meeting.items.get(standing=True, title="Status for utprøvinger")
    assert standing  # pre-filled in the municipality's language

    body = text_of(logged_in(leader).get(meeting_url))
    assert "No trials are running now." in body

    first = measure_at(party_group, unit, Stage.IN_TRIAL, title="Langvakter i helgene")
    second = measure_at(party_group, unit, Stage.IN_TRIAL, title="Faste pauserom")
    planned = measure_at(party_group, unit, Stage.PLANNED, title="Bare planlagt")
    evaluated = measure_at(party_group, unit, Stage.EVALUATED, title="Allerede evaluert")
    other_unit = UnitFactory(municipality=municipality)
    complete_party_group(other_unit)
    foreign = Measure.objects.create(
        municipality=municipality, unit=other_unit, title="Annen enhets forsøk", stage="in_trial"
    )

    body = text_of(logged_in(leader).get(meeting_url))
    trials = body.split('class="running-trials"')[1].split("</div>")[0]
    for m in (first, second):
        assert m.title in trials
        assert f'href="{reverse("measures:measure_detail", args=[m.pk])}"' in trials
    for m in (planned, evaluated, foreign):
        assert m.title not in trials
    assert "evaluate by" in trials
    assert "No trials are running now." not in body


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_p4_running_trials_in_the_municipalitys_language(unit, party_group, municipality, language):
    """The standing item is created in the municipality's language; it is found in each."""
    municipality.default_language = language
    municipality.save()
    leader = party_group["leader"]
    meeting = make_meeting(leader, unit)
    measure_at(party_group, unit, Stage.IN_TRIAL, title="Langvakter i helgene")
    body = text_of(logged_in(leader).get(reverse("meetings:meeting_detail", args=[meeting.pk])))
    assert body.count('class="running-trials"') == 1
    assert "Langvakter i helgene" in body.split('class="running-trials"')[1].split("</div>")[0]


def test_p4_employee_reading_published_minutes_cannot_make_measures(
    unit, party_group, meeting, employee
):
    leader = party_group["leader"]
    item = meeting_services.agenda_item_propose(actor=leader, meeting=meeting, title="Pauserom")
    publishable(leader, meeting, list(party_group.values()))
    meeting_services.minutes_publish(actor=leader, meeting=meeting, notify=False)
    client = logged_in(employee)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    body = text_of(page)
    url = reverse("measures:from_agenda_item", args=[item.pk])
    assert f'action="{url}"' not in body
    assert client.post(url).status_code == 403
    assert not Measure.objects.filter(source_agenda_item=item).exists()
    assert AgendaItem.objects.get(pk=item.pk).measures.count() == 0


def test_p4_two_people_taking_up_the_same_input_as_a_measure_make_one(unit, party_group):
    """Issue 9, part 5: both pages showed the input open; the second take-up is refused with
    who was first, and no second measure is made."""
    from trepart.core.concurrency import StaleChange, current_version

    leader, rep = party_group["leader"], party_group["rep_ff"]
    item, _code = submit(unit, INPUT_TEXT)
    seen = current_version(item)
    services.measure_from_input(actor=leader, item=item, answer=ANSWER, version=seen)
    with pytest.raises(StaleChange) as refused:
        services.measure_from_input(actor=rep, item=item, answer="Et annet svar.", version=seen)
    assert refused.value.changed_by == leader
    assert Measure.objects.filter(source_input=item).count() == 1
    item.refresh_from_db()
    assert item.answer == ANSWER


def test_p4_a_refused_answer_leaves_no_measure_behind(unit, party_group):
    """R21: taking up without an answer is refused, and the measure is rolled back with it."""
    from django.core.exceptions import ValidationError

    item, _code = submit(unit, INPUT_TEXT)
    with pytest.raises(ValidationError):
        services.measure_from_input(actor=party_group["leader"], item=item, answer="  ")
    assert not Measure.objects.filter(source_input=item).exists()
    item.refresh_from_db()
    assert item.status == "new"
