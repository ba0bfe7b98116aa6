"""The cooperation pulse (P6; R4, R33–R35; P7 thresholds): the daily job, answering once as a
group member, trends hidden below the threshold, the steering aggregate, permissions and
`latest_for_unit`."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UnitFactory, give_role, person_with_role
from trepart.core import hooks
from trepart.organisation.models import Role
from trepart.surveys import pulse, selectors_pulse, services_pulse, tasks_pulse
from trepart.surveys.models import Answer, Respondent, Response, Survey, SurveySettings
from trepart.surveys.services import response_submit

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 10)  # in Q4 2026


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def steering_group(municipality):
    """R1: a politician, the administration and a chief union rep."""
    return {
        "politician": person_with_role(Role.POLITICIAN, municipality=municipality, side="position"),
        "director": person_with_role(Role.ADMINISTRATION, municipality=municipality),
        "chief_rep": person_with_role(Role.CHIEF_UNION_REP, municipality=municipality),
    }


def group_of(unit, n: int) -> list:
    """R4: a party group of n members: the unit leader and n-1 department leaders."""
    people = [person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder")]
    people += [person_with_role(Role.DEPARTMENT_LEADER, unit) for _ in range(n - 1)]
    return people


def answers_for(survey, value=4, text=""):
    result = {}
    for q in survey.questions.all():
        if q.key in pulse.KEYS:
            result[q.pk] = value
        elif text:
            result[q.pk] = text
    return result


def pulse_with(unit, people, day, value=4, text="", close=True) -> Survey:
    """The pulse of `day`'s quarter with one answer per person; closed afterwards."""
    survey, _created = services_pulse.pulse_open(unit, pulse.period_for(day), today=day)
    for i, person in enumerate(people):
        v = value(i) if callable(value) else value
        response_submit(
            survey=survey,
            answers=answers_for(survey, v, f"{text} {i}" if text else ""),
            person=person,
            today=day,
        )
    if close:
        Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
        survey.refresh_from_db()
    return survey


def trends_url(unit):
    return reverse("surveys:pulse_unit", args=[unit.pk])


def answer_url(unit):
    return reverse("surveys:pulse_answer", args=[unit.pk])


def start_url(unit):
    return reverse("surveys:pulse_start", args=[unit.pk])


# --- periods ------------------------------------------------------------------------------------


def test_periods_are_quarters_by_default_and_follow_the_setting():
    p = pulse.period_for(D(2026, 11, 10))
    assert (p.key, p.start, p.end) == ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31))
    assert pulse.period_for(D(2026, 2, 28)).key == "2026-Q1"
    assert pulse.period_for(D(2026, 5, 1), 6).key == "2026-H1"
    assert pulse.period_for(D(2026, 5, 1), 1).key == "2026-M05"
    assert pulse.period_for(D(2026, 5, 1), 12).key == "2026"
    odd = pulse.period_for(D(2026, 12, 1), 5)  # Jan–May, Jun–Oct, Nov–Dec
    assert (odd.key, odd.start, odd.end) == ("2026-5M3", D(2026, 11, 1), D(2026, 12, 31))


# --- the daily job ------------------------------------------------------------------------------


def test_the_daily_job_is_registered():
    assert tasks_pulse.pulse_daily in hooks.get_hooks(hooks.DAILY_JOBS)


def test_daily_job_opens_one_pulse_per_group_and_period_and_is_idempotent(unit, municipality):
    members = group_of(unit, 3)
    staff_only = UnitFactory(municipality=municipality, name="Bare ansatte")
    person_with_role(Role.EMPLOYEE, staff_only)
    ended = UnitFactory(municipality=municipality, name="Gruppa gikk av")
    give_role(
        person_with_role(Role.EMPLOYEE, ended),
        Role.SAFETY_REP,
        ended,
        ends_on=D(2026, 6, 30),
    )

    sent = tasks_pulse.open_pulses.call(today=TODAY.isoformat())

    pulses = Survey.objects.filter(kind=Survey.Kind.COOPERATION_PULSE)
    assert [(s.unit, s.period, s.status) for s in pulses] == [(unit, "2026-Q4", "open")]
    survey = pulses.get()
    assert (survey.opens_on, survey.closes_on) == (TODAY, D(2026, 12, 31))
    assert survey.audience == Survey.Audience.PARTY_GROUP
    assert sorted(q.key for q in survey.questions.all()) == sorted([*pulse.KEYS, "improve"])
    # The members get a link to answer, in the municipality's language.
    assert sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in members)
    assert answer_url(unit) in mail.outbox[0].body
    assert unit.name in mail.outbox[0].subject

    # Again the same day, and later in the quarter: nothing new is opened or sent.
    assert tasks_pulse.open_pulses.call(today=TODAY.isoformat()) == 0
    assert tasks_pulse.open_pulses.call(today="2026-12-20") == 0
    assert pulses.count() == 1 and len(mail.outbox) == 3

    # The next quarter: the old pulse closes at the end of its period, a new one opens.
    tasks_pulse.open_pulses.call(today="2027-01-02")
    assert list(pulses.order_by("opens_on").values_list("period", "status")) == [
        ("2026-Q4", "closed"),
        ("2027-Q1", "open"),
    ]


def test_the_setting_changes_how_often(unit, municipality):
    group_of(unit, 1)
    SurveySettings.objects.create(municipality=municipality, pulse_every_months=6)
    tasks_pulse.open_pulses.call(today=TODAY.isoformat())
    assert Survey.objects.get().period == "2026-H2"


def test_pulse_open_refuses_a_second_pulse_for_the_period(unit):
    group_of(unit, 1)
    period = pulse.period_for(TODAY)
    first, created = services_pulse.pulse_open(unit, period, today=TODAY)
    again, created_again = services_pulse.pulse_open(unit, period, today=TODAY)
    assert created and not created_again and first.pk == again.pk


# --- answering ----------------------------------------------------------------------------------


@pytest.fixture
def open_pulse(unit):
    members = group_of(unit, 5)
    survey, _ = services_pulse.pulse_open(
        unit, pulse.period_for(datetime.date.today()), today=datetime.date.today()
    )
    return survey, members


def test_a_member_answers_once_and_sees_that_they_have_answered(unit, open_pulse):
    survey, members = open_pulse
    client = client_for(members[1])
    page = client.get(answer_url(unit))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'type="radio"' in body

    data = {f"q{k}": v for k, v in answers_for(survey, 4, "Mer tid").items()}
    response = client.post(answer_url(unit), data)
    assert response.status_code == 302
    assert Respondent.objects.filter(survey=survey).count() == 1
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey, text="Mer tid").exists()

    again = client.get(answer_url(unit))
    assert 'type="radio"' not in again.content.decode()
    assert 'id="pulse-answered"' in again.content.decode()
    # A second answer is refused (the page says so; nothing is stored).
    client.post(answer_url(unit), data)
    assert Response.objects.filter(survey=survey).count() == 1
    with pytest.raises(ValidationError):
        services_pulse.pulse_answer(members[1], survey, answers_for(survey))


def test_answers_are_checked_and_kept_on_error(unit, open_pulse):
    survey, members = open_pulse
    client = client_for(members[0])
    likert = [q for q in survey.questions.all() if q.key in pulse.KEYS]
    text_q = next(q for q in survey.questions.all() if q.key == "improve")
    data = {f"q{likert[0].pk}": "9", f"q{text_q.pk}": "Behold meg"}
    page = client.post(answer_url(unit), data)
    assert page.status_code == 400
    body = page.content.decode()
    assert "Behold meg" in body
    assert 'aria-invalid="true"' in body
    assert not Response.objects.filter(survey=survey).exists()
    assert not Respondent.objects.filter(survey=survey).exists()


def test_only_current_group_members_may_answer(unit, open_pulse, municipality, other_municipality):
    survey, _members = open_pulse
    employee = person_with_role(Role.EMPLOYEE, unit)
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)
    former = person_with_role(Role.SAFETY_REP, unit, ends_on=D(2025, 12, 31))
    other_unit_leader = person_with_role(Role.UNIT_LEADER, UnitFactory(municipality=municipality))
    stranger = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    data = {f"q{k}": v for k, v in answers_for(survey).items()}
    for person in (employee, admin, former, other_unit_leader):
        client = client_for(person)
        assert client.get(answer_url(unit)).status_code == 403
        assert client.post(answer_url(unit), data).status_code == 403
    assert client_for(stranger).get(answer_url(unit)).status_code == 404
    assert client_for(stranger).post(answer_url(unit), data).status_code == 404
    assert not Response.objects.exists()


def test_no_open_pulse_offers_to_start_one(unit):
    members = group_of(unit, 2)
    client = client_for(members[0])
    page = client.get(answer_url(unit))
    assert page.status_code == 200
    assert start_url(unit) in page.content.decode()
    assert not Survey.objects.exists()  # GET never writes


def test_a_member_starts_the_pulse_by_hand_once(unit, django_capture_on_commit_callbacks):
    members = group_of(unit, 3)
    client = client_for(members[2])
    assert client.get(start_url(unit)).status_code == 405
    assert not Survey.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start_url(unit))
    assert response.status_code == 302 and response.url == answer_url(unit)
    survey = Survey.objects.get()
    assert survey.created_by == members[2] and survey.status == "open"
    assert len(mail.outbox) == 3
    client.post(start_url(unit))
    assert Survey.objects.count() == 1 and len(mail.outbox) == 3
    employee = person_with_role(Role.EMPLOYEE, unit)
    assert client_for(employee).post(start_url(unit)).status_code == 403


# --- trends -------------------------------------------------------------------------------------


def test_trends_hide_a_period_below_the_threshold(unit):
    """P7: 4 answers show nothing (no averages, no counts, no texts); 5 are shown."""
    members = group_of(unit, 5)
    pulse_with(unit, members[:4], D(2026, 2, 10), value=2, text="Lite hemmelig")
    pulse_with(unit, members, D(2026, 5, 10), value=lambda i: 3 + (i % 2), text="Vis meg")
    client = client_for(members[0])
    body = client.get(trends_url(unit)).content.decode()
    assert body.count('data-shown="no"') == 1 and body.count('data-shown="yes"') == 1
    assert "Lite hemmelig" not in body
    assert "2,0" not in body
    # 5 answers: 3,4,3,4,3 → 3.4
    assert "3,4" in body
    assert "Vis meg 0" in body and "Vis meg 4" in body
    assert 'data-pulse-chart="pulse-chart-data"' in body
    data = selectors_pulse.unit_pulse(members[0], unit, TODAY)
    hidden, shown = data["periods"]
    assert hidden["shown"] is False and hidden["answers"] is None and hidden["averages"] == {}
    assert hidden["texts"] == [] and hidden["cells"] == []
    assert data["chart"]["series"][0]["data"] == [None, 3.4]
    assert shown["answers"] == 5


def test_pulse_free_text_needs_the_threshold_of_texts(unit):
    """P7: a shown period (5 answers) in which only 2 wrote free text shows no texts: the texts
    have their own threshold, counted in texts."""
    members = group_of(unit, 5)
    day = D(2026, 5, 10)
    survey, _created = services_pulse.pulse_open(unit, pulse.period_for(day), today=day)
    for i, person in enumerate(members):
        response_submit(
            survey=survey,
            answers=answers_for(survey, 4, f"Bare to skrev {i}" if i < 2 else ""),
            person=person,
            today=D(2026, 5, 10),
        )
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    data = selectors_pulse.unit_pulse(members[0], unit, TODAY)
    (period,) = data["periods"]
    assert period["shown"] is True and period["answers"] == 5
    assert period["texts"] == [] and data["periods_with_texts"] == []
    body = client_for(members[0]).get(trends_url(unit)).content.decode()
    assert "Bare to skrev" not in body


def test_an_open_period_shows_no_results_until_it_is_over(unit):
    members = group_of(unit, 6)
    today = datetime.date.today()
    pulse_with(unit, members, today, close=False, text="Underveis")
    body = client_for(members[0]).get(trends_url(unit)).content.decode()
    assert "Underveis" not in body
    assert 'id="pulse-answered"' in body
    assert "data-pulse-chart" not in body


def test_trends_permissions(unit, municipality, other_municipality, steering_group):
    members = group_of(unit, 2)
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)
    employee = person_with_role(Role.EMPLOYEE, unit)
    other_leader = person_with_role(Role.UNIT_LEADER, UnitFactory(municipality=municipality))
    stranger = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    for person in (members[0], members[1], admin, steering_group["director"]):
        assert client_for(person).get(trends_url(unit)).status_code == 200
    for person in (
        employee,
        other_leader,
        steering_group["politician"],
        steering_group["chief_rep"],
    ):
        assert client_for(person).get(trends_url(unit)).status_code == 403
    assert client_for(stranger).get(trends_url(unit)).status_code == 404
    assert client_for(stranger).post(start_url(unit)).status_code == 404
    # The administration sees the trends but is no member: it neither answers nor starts.
    director = client_for(steering_group["director"])
    assert director.post(start_url(unit)).status_code == 403
    assert not Survey.objects.exists()


def test_pulses_visible_to(unit, municipality, other_municipality):
    members = group_of(unit, 1)
    survey, _ = services_pulse.pulse_open(unit, pulse.period_for(TODAY), today=TODAY)
    other_unit = UnitFactory(municipality=municipality)
    group_of(other_unit, 1)
    services_pulse.pulse_open(other_unit, pulse.period_for(TODAY), today=TODAY)
    assert list(pulse.pulses_visible_to(members[0])) == [survey]
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)
    assert pulse.pulses_visible_to(admin).count() == 2
    stranger = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    assert not pulse.pulses_visible_to(stranger).exists()
    assert not pulse.pulses_visible_to(person_with_role(Role.EMPLOYEE, unit)).exists()


# --- the unit page and the home page ------------------------------------------------------------


def test_unit_page_links_to_the_pulse_for_those_who_may_see_it(unit):
    members = group_of(unit, 1)
    employee = person_with_role(Role.EMPLOYEE, unit)
    url = reverse("organisation:unit_detail", args=[unit.pk])
    assert trends_url(unit) in client_for(members[0]).get(url).content.decode()
    assert trends_url(unit) not in client_for(employee).get(url).content.decode()


def test_home_panel_asks_members_with_an_open_pulse(unit, open_pulse):
    survey, members = open_pulse
    home = reverse("home:home")
    client = client_for(members[0])
    assert answer_url(unit) in client.get(home).content.decode()
    services_pulse.pulse_answer(members[0], survey, answers_for(survey))
    assert answer_url(unit) not in client.get(home).content.decode()
    employee = person_with_role(Role.EMPLOYEE, unit)
    assert answer_url(unit) not in client_for(employee).get(home).content.decode()


# --- the steering overview ----------------------------------------------------------------------


@pytest.fixture
def three_groups(municipality):
    units = [UnitFactory(municipality=municipality, name=f"Enhet {n}") for n in "ABC"]
    return [(u, group_of(u, 6)) for u in units]


def test_steering_aggregate_only_above_the_threshold_and_never_per_group(three_groups):
    (a, ma), (b, mb), (c, mc) = three_groups
    # Q1: 5 + 5 answers → shown, the average over both groups.
    pulse_with(a, ma[:5], D(2026, 2, 1), value=2)
    pulse_with(b, mb[:5], D(2026, 2, 1), value=4)
    # Q2: 5 + 2: the small group is left out (else it could be subtracted) → one group: hidden.
    pulse_with(a, ma[:5], D(2026, 5, 1), value=3)
    pulse_with(b, mb[:2], D(2026, 5, 1), value=5)
    # Q3: 5 + 3 + 3: the small groups together reach the threshold → all count.
    pulse_with(a, ma[:5], D(2026, 8, 1), value=1)
    pulse_with(b, mb[:3], D(2026, 8, 1), value=5)
    pulse_with(c, mc[:3], D(2026, 8, 1), value=5)
    # Q4: 2 + 2: too few in all.
    pulse_with(a, ma[:2], D(2026, 11, 1), value=5)
    pulse_with(b, mb[:2], D(2026, 11, 1), value=5)

    data = selectors_pulse.steering_pulse(a.municipality, D(2027, 1, 15))
    rows = {p["key"]: p for p in data["periods"]}
    assert rows["2026-Q1"]["shown"] and rows["2026-Q1"]["averages"]["trust"] == 3.0
    assert rows["2026-Q1"]["groups"] == 2 and rows["2026-Q1"]["answers"] == 10
    assert not rows["2026-Q2"]["shown"] and rows["2026-Q2"]["averages"] == {}
    assert rows["2026-Q3"]["shown"]
    assert rows["2026-Q3"]["averages"]["fairness"] == round((5 * 1 + 6 * 5) / 11, 2)
    assert not rows["2026-Q4"]["shown"] and rows["2026-Q4"]["answers"] is None
    # Nothing per group: no unit, no survey, no per-group number in the panel's data.
    flat = repr(data)
    for unit in (a, b, c):
        assert unit.name not in flat
    assert set(data["periods"][0]) == {
        "key",
        "label",
        "groups",
        "shown",
        "answers",
        "averages",
        "cells",
    }


def test_steering_overview_shows_the_panel_to_those_who_see_the_overview(
    three_groups, steering_group, municipality
):
    (a, ma), (b, mb), _c = three_groups
    pulse_with(a, ma[:5], D(2026, 2, 1), value=2)
    pulse_with(b, mb[:5], D(2026, 2, 1), value=4)
    url = reverse("reporting:overview")
    body = client_for(steering_group["politician"]).get(url).content.decode()
    assert 'id="pulse-steering-heading"' in body
    assert "3,0" in body
    assert 'data-pulse-chart="pulse-steering-data"' in body
    assert client_for(ma[0]).get(url).status_code == 403
    # The hook gives nothing to a person who may not see the overview.
    from trepart.surveys.contrib_pulse import steering_overview_panel

    assert steering_overview_panel(ma[0], municipality) == []


# --- latest_for_unit ----------------------------------------------------------------------------


def test_latest_for_unit_contract(unit, django_assert_max_num_queries):
    assert pulse.latest_for_unit(unit) is None
    members = group_of(unit, 5)
    pulse_with(unit, members[:4], D(2026, 2, 1))
    with django_assert_max_num_queries(3):
        below = pulse.latest_for_unit(unit)
    assert below["shown"] is False and below["scores"] == [] and below["answers"] is None
    assert below["url"] == trends_url(unit)

    pulse_with(unit, members, D(2026, 5, 1), value=lambda i: 5 if i else 3)
    pulse_with(unit, members[:1], D(2026, 8, 1), close=False)  # Q3, still open
    Survey.objects.filter(period="2026-Q3").update(closes_on=D(2099, 12, 31))
    with django_assert_max_num_queries(3):
        latest = pulse.latest_for_unit(unit)
    # The open Q3 pulse is skipped for the finished Q2 one (final results).
    assert "2026" in latest["period"] and latest["title"].startswith(("Samarbeidspuls", "Coop"))
    assert latest["shown"] is True and latest["answers"] == 5
    assert [s["key"] for s in latest["scores"]] == pulse.KEYS
    assert latest["scores"][0]["average"] == 4.6
    assert isinstance(latest["scores"][0]["label"], str)
    assert set(latest) == {"title", "period", "answers", "shown", "url", "scores"}


def test_latest_for_unit_with_only_an_open_pulse(unit):
    members = group_of(unit, 6)
    pulse_with(unit, members, datetime.date.today(), close=False)
    latest = pulse.latest_for_unit(unit)
    # P7: while the period runs, not even the count (it changes with each answer).
    assert latest["shown"] is False and latest["scores"] == [] and latest["answers"] is None


def test_latest_for_unit_for_a_reader(unit, municipality, other_municipality):
    """Given a reader, only those who may see the group's pulse get it; without one, as before."""
    members = group_of(unit, 5)
    pulse_with(unit, members, D(2026, 5, 1))
    employee = person_with_role(Role.EMPLOYEE, unit)
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)
    stranger = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    assert pulse.latest_for_unit(unit, user=employee) is None
    assert pulse.latest_for_unit(unit, user=stranger) is None
    for reader in (members[1], admin):
        latest = pulse.latest_for_unit(unit, user=reader)
        assert latest["shown"] is True and latest["answers"] == 5
    assert pulse.latest_for_unit(unit)["answers"] == 5
