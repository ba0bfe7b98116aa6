# ruff: noqa: F811  (pytest fixtures imported from tests.meetings.conftest)
"""Reflection exercises (P6; R17, R18, R22, R33, R34).

The party group at Solsiden sykehjem (`party_group`: Liv Leder, the union reps Frida and Nils,
Vera the safety rep) runs exercises. Answers are private until release (every view, selector
and template), the last answer releases the run, the chair may release it early, and an
insight becomes an agenda item or a measure in one step.
"""

from __future__ import annotations

import datetime
import html

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role
from tests.meetings.conftest import leader, make_meeting, party_group  # noqa: F401
from tests.query_counts import assert_same_counts, measure
from trepart.measures.models import Measure
from trepart.meetings.models import AgendaItem
from trepart.organisation.models import Role, RoleAssignment
from trepart.reflection import catalogue_exercises as catalogue
from trepart.reflection import selectors_exercises as selectors
from trepart.reflection import services_exercises as services
from trepart.reflection.models import ExerciseAnswer, ExerciseOutcome, ExerciseRun

SECRET_NSF = "Nils mener lederen bør dele budsjettet tidligere"
SECRET_FF = "Frida ønsker flere felles vernerunder"


@pytest.fixture(name="english", autouse=True)
def english_fixture():
    with translation.override("en"):
        yield


def logged_in(user):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def start(actor, unit, exercise="role_swap"):
    return services.run_start(actor=actor, unit=unit, exercise=exercise)


def answer(person, run, text, submit=True):
    exercise = catalogue.get(run.exercise)
    kind = catalogue.KIND_OF_ROLE.get(services.member_role(person, run.unit))
    answers = {key: f"{text} ({key})" for key, _t, _h in exercise.questions_for(kind)}
    return services.answer_save(actor=person, run=run, answers=answers, submit=submit)


@pytest.fixture(name="annenby")
def annenby_fixture(other_municipality):
    unit = UnitFactory(municipality=other_municipality, name="Annenby omsorgssenter")
    return {
        "unit": unit,
        "leader": person_with_role(Role.UNIT_LEADER, unit),
        "admin": person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality),
    }


# --- the catalogue ------------------------------------------------------------------------------


def test_every_exercise_asks_every_role_and_credits_the_handbook():
    assert set(catalogue.EXERCISES) == {
        "start_up",
        "role_swap",
        "stuck_check",
        "trust",
        "staff_meeting",
    }
    for exercise in catalogue.EXERCISES.values():
        for kind in catalogue.ROLE_KINDS:
            assert exercise.questions_for(kind), (exercise.key, kind)
    assert "handbook" in str(catalogue.CREDIT)


def test_role_swap_asks_leaders_as_union_reps_and_reps_as_leaders():
    """R18: the other role's contribution, more/less, biggest challenge."""
    swap = catalogue.ROLE_SWAP
    assert [b.key for b in swap.blocks] == ["contribution", "more_less", "challenge"]
    leader_q = dict((k, str(t)) for k, t, _h in swap.questions_for(catalogue.LEADER))
    rep_q = dict((k, str(t)) for k, t, _h in swap.questions_for(catalogue.UNION_REP))
    assert all(q.startswith("As a union rep") for q in leader_q.values())
    assert all(q.startswith("As the leader") for q in rep_q.values())


def test_start_up_reflection_differs_per_role():
    """R17: each role reflects on its own question first."""
    texts = {
        kind: str(catalogue.START_UP.questions_for(kind)[0][1]) for kind in catalogue.ROLE_KINDS
    }
    assert len(set(texts.values())) == 3


# --- starting -----------------------------------------------------------------------------------


def test_start_expects_the_current_party_group(unit, party_group, employee):
    run = start(party_group["rep_ff"], unit)
    assert set(run.expected.all()) == set(party_group.values())
    assert run.municipality_id == unit.municipality_id


def test_only_group_members_start(unit, party_group, employee, admin_user):
    for outsider in (employee, admin_user):
        with pytest.raises(PermissionDenied):
            start(outsider, unit)
    response = logged_in(employee).post(
        reverse("reflection:exercise_start", args=[unit.pk]), {"exercise": "trust"}
    )
    assert response.status_code == 403
    assert not ExerciseRun.objects.exists()


def test_start_form_refuses_junk_and_a_second_running_copy(unit, leader):
    client = logged_in(leader)
    url = reverse("reflection:exercise_start", args=[unit.pk])
    response = client.post(url, {"exercise": "nonsense"})
    assert response.status_code == 400
    assert "Choose one of the exercises." in text_of(response)
    response = client.post(url, {"exercise": "trust", "note": "Før møtet i mars"})
    run = ExerciseRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reflection:run_answer", args=[run.pk])
    response = client.post(url, {"exercise": "trust"})
    assert response.status_code == 400
    assert "already running" in text_of(response)
    assert ExerciseRun.objects.count() == 1


def test_start_page_describes_each_exercise(unit, leader):
    response = logged_in(leader).get(reverse("reflection:exercise_start", args=[unit.pk]))
    page = text_of(response)
    for exercise in catalogue.EXERCISES.values():
        assert str(exercise.title) in page
        assert str(exercise.when) in page


# --- privacy before release ---------------------------------------------------------------------


def test_selector_yields_only_own_answer_before_release(unit, party_group, admin_user):
    """Nobody, not the starter, the unit leader nor an administrator, reads another's answer."""
    run = start(party_group["leader"], unit)
    answer(party_group["rep_nsf"], run, SECRET_NSF)
    answer(party_group["rep_ff"], run, SECRET_FF, submit=False)
    for viewer in (party_group["leader"], party_group["safety"], admin_user):
        assert list(selectors.answers_readable_by(viewer, run)) == []
    own = list(selectors.answers_readable_by(party_group["rep_nsf"], run))
    assert [a.person for a in own] == [party_group["rep_nsf"]]
    draft = list(selectors.answers_readable_by(party_group["rep_ff"], run))
    assert [a.person for a in draft] == [party_group["rep_ff"]]


def test_run_page_shows_who_answered_but_not_what(unit, party_group, admin_user):
    run = start(party_group["leader"], unit)
    answer(party_group["rep_nsf"], run, SECRET_NSF)
    answer(party_group["rep_ff"], run, SECRET_FF, submit=False)  # a draft: not counted
    url = reverse("reflection:run_detail", args=[run.pk])
    for viewer in (party_group["leader"], party_group["rep_ff"], party_group["safety"], admin_user):
        page = text_of(logged_in(viewer).get(url))
        assert SECRET_NSF not in page, viewer
        assert "1 of 4 have answered" in page
        assert "Nils Sykepleier" in page
    # The answerer sees their own answers, and still nobody else's.
    page = text_of(logged_in(party_group["rep_nsf"]).get(url))
    assert SECRET_NSF in page
    assert SECRET_FF not in page
    page = text_of(logged_in(party_group["rep_ff"]).get(url))
    assert SECRET_FF in page and SECRET_NSF not in page


def test_answer_form_never_prefills_another_members_answer(unit, party_group):
    run = start(party_group["leader"], unit)
    answer(party_group["rep_nsf"], run, SECRET_NSF)
    url = reverse("reflection:run_answer", args=[run.pk])
    page = text_of(logged_in(party_group["rep_ff"]).get(url))
    assert SECRET_NSF not in page
    page = text_of(logged_in(party_group["rep_nsf"]).get(url))
    assert SECRET_NSF in page  # their own, to change until release


def test_template_gets_no_answers_before_release(unit, party_group, admin_user):
    """The run page's context carries no blocks before release, for anyone."""
    run = start(party_group["leader"], unit)
    answer(party_group["rep_nsf"], run, SECRET_NSF)
    for viewer in (party_group["leader"], admin_user):
        response = logged_in(viewer).get(reverse("reflection:run_detail", args=[run.pk]))
        assert response.context["blocks"] == []
        assert response.context["own"] is None


# --- release ------------------------------------------------------------------------------------


def test_last_answer_releases_the_run(unit, party_group):
    run = start(party_group["leader"], unit)
    for key in ("leader", "rep_ff", "safety"):
        answer(party_group[key], run, f"Svar fra {key}")
        run.refresh_from_db()
        assert not run.is_released
    response = logged_in(party_group["rep_nsf"]).post(
        reverse("reflection:run_answer", args=[run.pk]),
        {"action": "submit", "q_contribution": SECRET_NSF},
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.is_released and run.release_kind == ExerciseRun.Release.ALL_ANSWERED
    page = text_of(logged_in(party_group["safety"]).get(response["Location"]))
    assert SECRET_NSF in page
    assert "Svar fra leader (contribution)" in page
    assert [str(c["label"]) for c in response_blocks(party_group["safety"], run)[0]["columns"]] == [
        "Leaders",
        "Union reps",
        "Safety rep",
    ]


def response_blocks(viewer, run):
    return logged_in(viewer).get(reverse("reflection:run_detail", args=[run.pk])).context["blocks"]


def test_a_draft_does_not_release(unit, party_group):
    run = start(party_group["leader"], unit)
    for key in ("leader", "rep_ff", "safety"):
        answer(party_group[key], run, "Svar")
    answer(party_group["rep_nsf"], run, "Utkast", submit=False)
    run.refresh_from_db()
    assert not run.is_released


def test_a_member_who_left_is_not_waited_for_and_a_newcomer_may_answer(unit, party_group):
    run = start(party_group["leader"], unit)
    ended = party_group["safety"].role_assignments.get()
    ended.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    ended.save()
    newcomer = person_with_role(Role.SAFETY_REP, unit, full_name="Nora Nyvalgt")
    answer(newcomer, run, "Nytt verneombud")
    for key in ("leader", "rep_ff", "rep_nsf"):
        answer(party_group[key], run, "Svar")
    run.refresh_from_db()
    assert run.is_released
    assert run.answers.filter(person=newcomer, role=Role.SAFETY_REP).exists()


def test_submit_needs_one_answer_and_keeps_what_was_typed(unit, party_group):
    run = start(party_group["leader"], unit)
    url = reverse("reflection:run_answer", args=[run.pk])
    response = logged_in(party_group["rep_ff"]).post(url, {"action": "submit"})
    assert response.status_code == 400
    assert "Write at least one answer" in text_of(response)
    response = logged_in(party_group["rep_ff"]).post(
        url, {"action": "submit", "q_challenge": "x" * 4001, "q_contribution": "Beholdes"}
    )
    assert response.status_code == 400
    assert "Beholdes" in text_of(response)
    assert not ExerciseAnswer.objects.exists()


def test_chair_releases_early_with_a_confirmation(unit, party_group):
    run = start(party_group["rep_ff"], unit)  # Frida started it: she is the chair
    answer(party_group["rep_nsf"], run, SECRET_NSF)
    url = reverse("reflection:run_release", args=[run.pk])
    # Another member may not; the confirmation is needed.
    assert logged_in(party_group["safety"]).post(url, {"confirm": "on"}).status_code == 403
    response = logged_in(party_group["rep_ff"]).post(url, {})
    assert response.status_code == 400
    assert "Tick the box" in text_of(response)
    run.refresh_from_db()
    assert not run.is_released
    response = logged_in(party_group["rep_ff"]).post(url, {"confirm": "on"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.is_released and run.released_by == party_group["rep_ff"]
    assert run.release_kind == ExerciseRun.Release.EARLY
    page = text_of(
        logged_in(party_group["leader"]).get(reverse("reflection:run_detail", args=[run.pk]))
    )
    assert SECRET_NSF in page
    # Once released nobody answers any more.
    with pytest.raises(PermissionDenied):
        answer(party_group["safety"], run, "For sent")


def test_unit_leader_releases_early_but_not_an_admin(unit, party_group, admin_user):
    run = start(party_group["rep_ff"], unit)
    answer(party_group["rep_nsf"], run, SECRET_NSF)
    url = reverse("reflection:run_release", args=[run.pk])
    assert logged_in(admin_user).post(url, {"confirm": "on"}).status_code == 403
    assert logged_in(party_group["leader"]).post(url, {"confirm": "on"}).status_code == 302
    run.refresh_from_db()
    assert run.released_by == party_group["leader"]


def test_release_refused_when_nobody_answered(unit, party_group):
    run = start(party_group["leader"], unit)
    with pytest.raises(ValidationError):
        services.run_release(actor=party_group["leader"], run=run)
    response = logged_in(party_group["leader"]).post(
        reverse("reflection:run_release", args=[run.pk]), {"confirm": "on"}
    )
    assert response.status_code == 400
    assert "Nobody has answered yet" in text_of(response)


# --- insight → agenda item or measure -----------------------------------------------------------


def released_run(unit, party_group):
    run = start(party_group["leader"], unit)
    answer(party_group["rep_nsf"], run, SECRET_NSF)
    return services.run_release(actor=party_group["leader"], run=run)


def test_insight_becomes_an_agenda_item_on_the_next_meeting(unit, party_group):
    today = timezone.localdate()
    make_meeting(party_group["leader"], unit, day=today - datetime.timedelta(days=7))
    later = make_meeting(party_group["leader"], unit, day=today + datetime.timedelta(days=30))
    nearest = make_meeting(party_group["leader"], unit, day=today + datetime.timedelta(days=10))
    run = released_run(unit, party_group)
    response = logged_in(party_group["rep_ff"]).post(
        reverse("reflection:run_insight", args=[run.pk]),
        {"title": "Budsjett tidlig på agendaen", "note": "Fra rollebyttet", "target": "agenda"},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(title="Budsjett tidlig på agendaen")
    assert item.meeting == nearest and item.meeting != later
    assert item.proposed_by == party_group["rep_ff"]
    assert "Fra rollebyttet" in item.description
    outcome = ExerciseOutcome.objects.get()
    assert outcome.agenda_item == item and outcome.run == run
    page = text_of(logged_in(party_group["leader"]).get(response["Location"]))
    assert f"/meetings/{nearest.pk}/#item-{item.pk}" in page
    # The meeting page shows where the item came from.
    page = text_of(
        logged_in(party_group["leader"]).get(reverse("meetings:meeting_detail", args=[nearest.pk]))
    )
    assert reverse("reflection:run_detail", args=[run.pk]) in page


def test_insight_becomes_a_measure(unit, party_group):
    run = released_run(unit, party_group)
    response = logged_in(party_group["safety"]).post(
        reverse("reflection:run_insight", args=[run.pk]),
        {"title": "Felles vernerunder", "target": "measure"},
    )
    assert response.status_code == 302
    measure_ = Measure.objects.get()
    assert measure_.unit == unit and measure_.title == "Felles vernerunder"
    assert ExerciseOutcome.objects.get().measure == measure_
    page = text_of(logged_in(party_group["leader"]).get(response["Location"]))
    assert reverse("measures:measure_detail", args=[measure_.pk]) in page


def test_insight_without_a_planned_meeting_is_refused_by_the_field(unit, party_group):
    run = released_run(unit, party_group)
    response = logged_in(party_group["leader"]).post(
        reverse("reflection:run_insight", args=[run.pk]),
        {"title": "Noe å ta opp", "target": "agenda"},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "no planned meeting" in page and "Noe å ta opp" in page
    assert not ExerciseOutcome.objects.exists()


def test_no_insight_before_release_nor_by_outsiders(unit, party_group, admin_user, employee):
    run = start(party_group["leader"], unit)
    answer(party_group["rep_nsf"], run, SECRET_NSF)
    url = reverse("reflection:run_insight", args=[run.pk])
    data = {"title": "For tidlig", "target": "measure"}
    assert logged_in(party_group["leader"]).post(url, data).status_code == 403
    services.run_release(actor=party_group["leader"], run=run)
    assert logged_in(admin_user).post(url, data).status_code == 403
    assert logged_in(employee).post(url, data).status_code == 403
    assert not Measure.objects.exists()


# --- permissions and denials --------------------------------------------------------------------


def urls_for(run, unit):
    return {
        "list": reverse("reflection:exercise_list", args=[unit.pk]),
        "start": reverse("reflection:exercise_start", args=[unit.pk]),
        "run": reverse("reflection:run_detail", args=[run.pk]),
        "answer": reverse("reflection:run_answer", args=[run.pk]),
    }


def test_employee_gets_403_everywhere(unit, party_group, employee):
    run = start(party_group["leader"], unit)
    client = logged_in(employee)
    for name, url in urls_for(run, unit).items():
        assert client.get(url).status_code == 403, name
    assert (
        client.post(reverse("reflection:run_release", args=[run.pk]), {"confirm": "on"}).status_code
        == 403
    )


def test_other_units_and_the_steering_group_get_404(unit, party_group, municipality):
    """A run is the unit's party group's private thing: people without a role at the unit are
    not told it exists (issue 15)."""
    run = start(party_group["leader"], unit)
    other = UnitFactory(municipality=municipality)
    outsiders = [
        person_with_role(Role.UNIT_LEADER, other),
        person_with_role(Role.POLITICIAN, municipality=municipality),
    ]
    for person in outsiders:
        client = logged_in(person)
        for name in ("run", "answer"):
            assert client.get(urls_for(run, unit)[name]).status_code == 404, (person, name)


def test_other_municipality_gets_404_and_writes_nothing(unit, party_group, annenby):
    run = start(party_group["leader"], unit)
    answer(party_group["rep_nsf"], run, SECRET_NSF)
    for person in (annenby["leader"], annenby["admin"]):
        client = logged_in(person)
        for name, url in urls_for(run, unit).items():
            assert client.get(url).status_code == 404, (person, name)
        for name in ("run_release", "run_insight", "run_answer"):
            response = client.post(
                reverse(f"reflection:{name}", args=[run.pk]),
                {"confirm": "on", "title": "x", "target": "measure", "q_contribution": "x"},
            )
            assert response.status_code == 404, name
    run.refresh_from_db()
    assert not run.is_released and run.answers.count() == 1


def test_admin_reads_the_list_and_released_answers_but_does_not_answer(
    unit, party_group, admin_user
):
    run = start(party_group["leader"], unit)
    client = logged_in(admin_user)
    assert client.get(reverse("reflection:exercise_list", args=[unit.pk])).status_code == 200
    assert client.get(reverse("reflection:run_answer", args=[run.pk])).status_code == 403
    assert client.get(reverse("reflection:exercise_start", args=[unit.pk])).status_code == 403
    answer(party_group["rep_nsf"], run, SECRET_NSF)
    services.run_release(actor=party_group["leader"], run=run)
    assert SECRET_NSF in text_of(client.get(reverse("reflection:run_detail", args=[run.pk])))


def test_get_never_writes(unit, party_group):
    run = start(party_group["leader"], unit)
    client = logged_in(party_group["rep_ff"])
    for url in urls_for(run, unit).values():
        client.get(url)
    assert not ExerciseAnswer.objects.exists()
    assert ExerciseRun.objects.count() == 1


def test_list_page_shows_status(unit, party_group):
    waiting = start(party_group["leader"], unit, "trust")
    answer(party_group["rep_ff"], waiting, "Svar")
    released_run(unit, party_group)
    page = text_of(
        logged_in(party_group["rep_ff"]).get(reverse("reflection:exercise_list", args=[unit.pk]))
    )
    assert "1 of 4 have answered" in page
    assert "You have answered" in page
    assert str(catalogue.ROLE_SWAP.title) in page


# --- hooks: home panel, unit page ---------------------------------------------------------------


def test_home_panel_tells_a_member_an_exercise_waits(unit, party_group, employee):
    run = start(party_group["leader"], unit, "stuck_check")
    home = reverse("home:home")
    page = text_of(logged_in(party_group["safety"]).get(home))
    assert "An exercise waits for your answer" in page
    assert reverse("reflection:run_answer", args=[run.pk]) in page
    assert "An exercise waits" not in text_of(logged_in(employee).get(home))
    answer(party_group["safety"], run, "Svar")
    assert "An exercise waits" not in text_of(logged_in(party_group["safety"]).get(home))


def test_unit_page_links_to_exercises_for_the_group_only(unit, party_group, employee, admin_user):
    from trepart.reflection import contrib_exercises

    target = reverse("reflection:exercise_list", args=[unit.pk])
    for viewer in (party_group["leader"], admin_user):
        assert [link["url"] for link in contrib_exercises.unit_page_links(viewer, unit)] == [target]
    assert contrib_exercises.unit_page_links(employee, unit) == []
    assert contrib_exercises.unit_page_panels(employee, unit) == []
    run = start(party_group["leader"], unit)
    (panel,) = contrib_exercises.unit_page_panels(party_group["safety"], unit)
    assert panel["runs"] == [run]


# --- queries ------------------------------------------------------------------------------------


def _group_of(unit, size):
    people = [person_with_role(Role.LOCAL_UNION_REP, unit) for _ in range(size)]
    return people


def test_run_page_query_count_does_not_grow_with_answers(unit, party_group, admin_user):
    few_unit = unit
    many_unit = UnitFactory(municipality=unit.municipality, name="Fjordtun sykehjem")
    many_leader = person_with_role(Role.UNIT_LEADER, many_unit)
    extra = _group_of(many_unit, 8)
    few_run = start(party_group["leader"], few_unit)
    answer(party_group["rep_nsf"], few_run, "Svar")
    many_run = start(many_leader, many_unit)
    for person in [many_leader, *extra[:-1]]:
        answer(person, many_run, "Svar")
    clients = {"admin": logged_in(admin_user)}

    def pages(run):
        return [
            ("admin", "run", reverse("reflection:run_detail", args=[run.pk])),
            ("admin", "list", reverse("reflection:exercise_list", args=[run.unit_id])),
        ]

    assert_same_counts(measure(clients, pages(few_run)), measure(clients, pages(many_run)))
    services.run_release(actor=party_group["leader"], run=few_run)
    answer(extra[-1], many_run, "Svar")  # the last answer releases it
    many_run.refresh_from_db()
    assert many_run.is_released
    assert_same_counts(measure(clients, pages(few_run)), measure(clients, pages(many_run)))


# --- changing a submitted answer (R17: what is shown at release is what the member sent) --------


def test_a_submitted_answer_is_changed_not_turned_into_a_draft(unit, party_group):
    """After sending, the page offers only "Save changes to my answer", says truly that it
    replaces the sent answer, and the new text is what the group sees at release."""
    run = start(party_group["leader"], unit)
    nils = logged_in(party_group["rep_nsf"])
    url = reverse("reflection:run_answer", args=[run.pk])
    nils.post(url, {"action": "submit", "q_contribution": "Første versjon"})
    page = text_of(nils.get(url))
    assert "Save changes to my answer" in page
    assert "Save draft" not in page and "Send my answers" not in page
    assert "replaces the answers you sent" in page

    # A stale form that still posts "draft" changes the sent answer too, and says so.
    response = nils.post(url, {"action": "draft", "q_contribution": SECRET_NSF}, follow=True)
    page = text_of(response)
    assert "Your draft is saved" not in page
    assert "They replace the answers you sent" in page
    own = ExerciseAnswer.objects.get(run=run, person=party_group["rep_nsf"])
    assert own.submitted_at is not None and own.answers == {"contribution": SECRET_NSF}

    # The service alike: a submitted answer has no draft state.
    answer(party_group["rep_nsf"], run, "Tredje versjon", submit=False)
    own.refresh_from_db()
    assert own.submitted_at is not None and own.answers["contribution"].startswith("Tredje")
    # Emptying a sent answer is refused, not saved as an empty draft.
    with pytest.raises(ValidationError):
        services.answer_save(actor=party_group["rep_nsf"], run=run, answers={}, submit=False)

    for key in ("leader", "rep_ff", "safety"):
        answer(party_group[key], run, "Svar")
    run.refresh_from_db()
    assert run.is_released
    shown = text_of(
        logged_in(party_group["safety"]).get(reverse("reflection:run_detail", args=[run.pk]))
    )
    assert "Tredje versjon (contribution)" in shown and SECRET_NSF not in shown


def test_answers_cannot_change_after_release(unit, party_group):
    run = start(party_group["leader"], unit)
    answer(party_group["rep_nsf"], run, "Sendt")
    services.run_release(actor=party_group["leader"], run=run)
    with pytest.raises(ValidationError, match="can no longer change"):
        answer(party_group["rep_nsf"], run, "Endret etterpå")
    response = logged_in(party_group["rep_nsf"]).post(
        reverse("reflection:run_answer", args=[run.pk]),
        {"action": "submit", "q_contribution": "Endret etterpå"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reflection:run_detail", args=[run.pk])
    own = ExerciseAnswer.objects.get(run=run, person=party_group["rep_nsf"])
    assert own.answers["contribution"] == "Sendt (contribution)"


# --- a member leaves the group: the run is released without a new answer (R5) ------------------


def _all_but_nils_answered(unit, party_group):
    run = start(party_group["leader"], unit)
    for key in ("leader", "rep_ff", "safety"):
        answer(party_group[key], run, "Svar")
    run.refresh_from_db()
    assert not run.is_released
    return run


def test_role_ended_releases_the_run_when_the_last_missing_member_left(
    unit, party_group, admin_user, django_capture_on_commit_callbacks
):
    """ROLES_CHANGED: Nils, the only one missing, leaves the group (his role ended yesterday):
    the run is released at once, as if he had been the last to answer."""
    from trepart.organisation import services as organisation_services

    run = _all_but_nils_answered(unit, party_group)
    other = start(party_group["leader"], unit, exercise="trust")  # nobody answered: stays
    assignment = party_group["rep_nsf"].role_assignments.get()
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.role_end(
            actor=admin_user,
            assignment=assignment,
            ends_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    run.refresh_from_db()
    other.refresh_from_db()
    assert run.is_released and run.release_kind == ExerciseRun.Release.ALL_ANSWERED
    assert not other.is_released
    page = logged_in(party_group["safety"]).get(reverse("reflection:run_detail", args=[run.pk]))
    assert page.context["blocks"]


def test_a_role_ending_today_or_later_is_caught_by_the_daily_job(
    unit, party_group, admin_user, django_capture_on_commit_callbacks
):
    """R5: a role that ends today still counts today (the end date is inclusive, as on the run
    page, which still shows Nils as not answered). The daily job releases the run on the first
    day he is out of the group; not before."""
    from io import StringIO

    from django.core.management import call_command

    from trepart.core import hooks
    from trepart.organisation import services as organisation_services
    from trepart.reflection import contrib_exercises

    assert contrib_exercises.release_complete_runs in hooks.get_hooks(hooks.DAILY_JOBS)
    assert contrib_exercises.roles_changed in hooks.get_hooks(hooks.ROLES_CHANGED)
    run = _all_but_nils_answered(unit, party_group)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.role_end(
            actor=admin_user,
            assignment=party_group["rep_nsf"].role_assignments.get(),
            ends_on=today,
        )
    run.refresh_from_db()
    assert not run.is_released
    out = StringIO()
    contrib_exercises.release_complete_runs(today, out, now=True)
    run.refresh_from_db()
    assert not run.is_released
    assert "Exercises: 0 run(s) released" in out.getvalue()

    out = StringIO()
    call_command("daily", "--today", (today + datetime.timedelta(days=1)).isoformat(), stdout=out)
    run.refresh_from_db()
    assert run.is_released and run.release_kind == ExerciseRun.Release.ALL_ANSWERED
    assert "Exercises: 1 run(s) released" in out.getvalue()


def test_release_complete_runs_keeps_a_fixed_number_of_queries(
    unit, party_group, django_assert_max_num_queries
):
    """Cheap whatever the number of runs and answers: runs, expected, answers, group, update."""
    for exercise in ("role_swap", "trust", "stuck_check", "start_up"):
        run = start(party_group["leader"], unit, exercise=exercise)
        answer(party_group["rep_ff"], run, "Svar")
    with django_assert_max_num_queries(4):
        assert services.release_complete_runs(unit_ids=[unit.pk]) == 0
    RoleAssignment.objects.filter(
        person__in=[party_group[k] for k in ("leader", "rep_nsf", "safety")]
    ).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    with django_assert_max_num_queries(5):
        assert services.release_complete_runs(unit_ids=[unit.pk]) == 4
