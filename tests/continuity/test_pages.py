"""The onboarding page, the group's way of working, the chief reps' overview and its private
notes, the panels on other pages (R5, R6): content and who may see what."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.continuity.conftest import days
from tests.factories import UnitFactory, UserFactory, give_role, person_with_role, presence, union
from trepart.continuity import services
from trepart.continuity.models import FollowUpNote, GroupPractice
from trepart.measures.models import Measure, Stage
from trepart.meetings.models import ActionItem, Meeting, MinutesVersion
from trepart.organisation.models import Role, RoleAssignment
from trepart.reporting.models import SteeringQuestion


def _url(unit):
    return reverse("continuity:onboarding", args=[unit.pk])


def _meeting(unit, days_ago, **kw):
    at = timezone.now() - datetime.timedelta(days=days_ago)
    return Meeting.objects.create(
        municipality=unit.municipality,
        unit=unit,
        title=kw.pop("title", "Partsgruppemøte"),
        kind="party_group",
        starts_at=at,
        ends_at=at + datetime.timedelta(hours=1),
        **kw,
    )


def _published(unit, days_ago, title):
    m = _meeting(
        unit,
        days_ago,
        title=title,
        status=Meeting.Status.HELD,
        minutes_status=Meeting.MinutesStatus.PUBLISHED,
    )
    MinutesVersion.objects.create(meeting=m, number=1, content={})
    return m


@pytest.fixture
def filled(world):
    """The unit's group has a way of working, actions, a trial, minutes and a question."""
    unit = world["unit"]
    GroupPractice.objects.create(unit=unit, text="Vi bytter på å lede møtene.", updated_by=None)
    for i, d in enumerate((100, 70, 40, 10)):
        _published(unit, d, f"Møte nummer {i}")
    m = _meeting(unit, 10)
    ActionItem.objects.create(
        meeting=m, description="Lage ny turnusplan", assignee=world["leader"], due_on=days(5)
    )
    ActionItem.objects.create(
        meeting=m,
        description="Ferdig oppgave",
        assignee=world["leader"],
        due_on=days(-5),
        done_at=timezone.now(),
    )
    Measure.objects.create(
        municipality=unit.municipality,
        unit=unit,
        title="Langvakter i helgene",
        stage=Stage.IN_TRIAL,
    )
    Measure.objects.create(
        municipality=unit.municipality, unit=unit, title="Bare en idé", stage=Stage.IDEA
    )
    SteeringQuestion.objects.create(
        municipality=unit.municipality,
        unit=unit,
        asked_by=world["politician"],
        text="Hvordan går forsøket med langvakter?",
    )
    return world


def test_onboarding_page_shows_what_a_newcomer_needs(filled):
    """R5: way of working, open actions, running trials, last three minutes, open steering
    questions and who is in the group now."""
    w = filled
    newcomer = UserFactory(municipality=w["municipality"], full_name="Nora Ny")
    give_role(newcomer, Role.SAFETY_REP, w["unit"], starts_on=days(-5))
    page = client_for(newcomer).get(_url(w["unit"])).content.decode()
    assert "Vi bytter på å lede møtene." in page
    assert "Lage ny turnusplan" in page and "Ferdig oppgave" not in page
    assert "Langvakter i helgene" in page and "Bare en idé" not in page
    assert "Møte nummer 3" in page and "Møte nummer 1" in page
    assert "Møte nummer 0" not in page  # only the last three
    assert "Hvordan går forsøket med langvakter?" in page
    for name in ("Lea Leder", "Frida Fag", "Nils Sykepleier", "Vera Verneombud", "Nora Ny"):
        assert name in page
    assert "Ane Ansatt" not in page  # staff are not in the party group


def test_chief_rep_sees_only_actions_minutes_and_questions_they_may_open(filled):
    """The onboarding page lists only what the reader may open: a chief rep who follows the
    unit up (R6) may not open the group's draft minutes (R20), so the open action from an
    unpublished meeting is not shown to them (description, assignee or date), and not the
    steering questions outside their reach; the group's members see both."""
    w = filled
    chief = client_for(w["chief_safety"]).get(_url(w["unit"]))
    assert chief.status_code == 200
    page = chief.content.decode()
    assert "Lage ny turnusplan" not in page
    assert "Lea Leder" not in page.split('id="actions"')[1].split("</section>")[0]
    # Published minutes of the unit are not theirs to open either (not at the unit).
    assert "Møte nummer 3" not in page
    # A chief union rep whose union has members at the unit but no rep there now follows the
    # unit up (R6) but does not read its steering questions.
    RoleAssignment.objects.filter(person=w["nsf_rep"]).update(ends_on=days(-1))
    chief_nsf = client_for(w["chief_nsf"]).get(_url(w["unit"]))
    assert chief_nsf.status_code == 200
    assert "Hvordan går forsøket med langvakter?" not in chief_nsf.content.decode()
    assert "Lage ny turnusplan" not in chief_nsf.content.decode()
    member = client_for(w["safety_rep"]).get(_url(w["unit"])).content.decode()
    assert "Lage ny turnusplan" in member
    assert "Hvordan går forsøket med langvakter?" in member
    assert "Møte nummer 3" in member


def _fake_pulse(calls):
    def latest_for_unit(unit, user=None):
        calls.append(unit.pk)
        return {
            "title": "Samarbeidspuls vår",
            "period": "",
            "answers": 6,
            "shown": True,
            "url": None,
            "scores": [{"key": "trust", "label": "Tillitsgjennomsnitt", "average": 4.25}],
        }

    return latest_for_unit


def test_pulse_averages_only_for_those_who_may_view_the_pulse(world, monkeypatch):
    """The group's pulse results are for the group, the municipal admin and the administration
    (P7): a chief rep who may open the onboarding page does not see the averages."""
    calls = []
    monkeypatch.setattr("trepart.surveys.pulse.latest_for_unit", _fake_pulse(calls))
    chief = client_for(world["chief_safety"]).get(_url(world["unit"]))
    assert chief.status_code == 200
    assert "Tillitsgjennomsnitt" not in chief.content.decode()
    assert "Samarbeidspuls vår" not in chief.content.decode()
    assert calls == []
    member = client_for(world["safety_rep"]).get(_url(world["unit"])).content.decode()
    assert "Tillitsgjennomsnitt" in member
    admin = client_for(world["admin"]).get(_url(world["unit"])).content.decode()
    assert "Tillitsgjennomsnitt" in admin


def test_onboarding_without_data_and_with_a_suggested_practice(world):
    response = client_for(world["leader"]).get(_url(world["unit"]))
    assert response.status_code == 200
    assert reverse("continuity:practice_edit", args=[world["unit"].pk]) in response.content.decode()


@pytest.mark.parametrize(
    "who,status",
    [
        ("leader", 200),
        ("ff_rep", 200),
        ("safety_rep", 200),
        ("admin", 200),
        ("chief_ff", 200),
        ("chief_safety", 200),
        ("employee", 403),
        ("politician", 403),
        ("other_admin", 404),
    ],
)
def test_onboarding_permissions(world, who, status):
    assert client_for(world[who]).get(_url(world["unit"])).status_code == status


def test_chief_of_a_union_without_members_or_reps_at_the_unit_is_refused(world):
    chief = person_with_role(
        Role.CHIEF_UNION_REP,
        municipality=world["municipality"],
        union=union("Delta"),
    )
    assert client_for(chief).get(_url(world["unit"])).status_code == 403


def test_other_municipality_unit_is_404(world):
    assert client_for(world["admin"]).get(_url(world["other_unit"])).status_code == 404


def test_practice_edit_by_a_member_records_who_and_when(world):
    url = reverse("continuity:practice_edit", args=[world["unit"].pk])
    client = client_for(world["nsf_rep"])
    form = client.get(url)
    # The suggested starting text, in the municipality's language (bokmål).
    assert "Ikke for denne gruppa: personalsaker" in form.content.decode()
    response = client.post(url, {"text": "Møtene ledes på omgang."})
    assert response.status_code == 302
    practice = GroupPractice.objects.get(unit=world["unit"])
    assert practice.text == "Møtene ledes på omgang." and practice.updated_by == world["nsf_rep"]
    page = client.get(_url(world["unit"])).content.decode()
    assert "Nils Sykepleier" in page and "Møtene ledes på omgang." in page


def test_practice_edit_refuses_empty_text_and_keeps_the_form(world):
    url = reverse("continuity:practice_edit", args=[world["unit"].pk])
    response = client_for(world["leader"]).post(url, {"text": "   "})
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()
    assert not GroupPractice.objects.exists()


def _seen(page: str) -> str:
    """The hidden version the form carries (no value attribute while there is no text)."""
    return re.search(r'name="seen"(?: value="([^"]*)")?', page).group(1) or ""


def test_practice_edit_refuses_a_change_made_in_the_meantime(world):
    """Two members edit at once: the second is told, keeps what they typed, and sees the text
    as saved now; nothing is overwritten silently."""
    url = reverse("continuity:practice_edit", args=[world["unit"].pk])
    first, second = client_for(world["leader"]), client_for(world["nsf_rep"])
    seen = _seen(second.get(url).content.decode())
    assert first.post(url, {"text": "Lederens tekst", "seen": seen}).status_code == 302
    response = second.post(url, {"text": "Min egen tekst", "seen": seen})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Min egen tekst" in page and "Lederens tekst" in page and "Lea Leder" in page
    assert GroupPractice.objects.get().text == "Lederens tekst"
    newer = _seen(page)
    assert newer
    assert second.post(url, {"text": "Min egen tekst", "seen": newer}).status_code == 302
    assert GroupPractice.objects.get().text == "Min egen tekst"


@pytest.mark.parametrize("who,status", [("admin", 403), ("chief_ff", 403), ("employee", 403)])
def test_practice_edit_only_for_group_members(world, who, status):
    url = reverse("continuity:practice_edit", args=[world["unit"].pk])
    assert client_for(world[who]).post(url, {"text": "x"}).status_code == status
    assert not GroupPractice.objects.exists()


def test_practice_edit_other_municipality_is_404(world):
    url = reverse("continuity:practice_edit", args=[world["other_unit"].pk])
    assert client_for(world["leader"]).get(url).status_code == 404


# --- the chief reps' overview --------------------------------------------------------------


OVERVIEW = reverse("continuity:local_reps")


@pytest.mark.parametrize(
    "who,status",
    [
        ("chief_ff", 200),
        ("chief_safety", 200),
        ("admin", 200),
        ("ff_rep", 403),
        ("leader", 403),
        ("employee", 403),
        ("politician", 403),
    ],
)
def test_overview_permissions(world, who, status):
    assert client_for(world[who]).get(OVERVIEW).status_code == status


def test_overview_is_scoped_to_the_chiefs_union(world):
    """R6: the chief union rep sees the local reps of their own union only."""
    page = client_for(world["chief_ff"]).get(OVERVIEW).content.decode()
    assert "Frida Fag" in page
    assert "Nils Sykepleier" not in page and "Vera Verneombud" not in page
    # Asking for another union's scope gives the chief's own.
    other = client_for(world["chief_ff"]).get(OVERVIEW, {"scope": f"union-{world['nsf'].pk}"})
    assert "Nils Sykepleier" not in other.content.decode()


def test_chief_safety_rep_sees_the_safety_reps(world):
    page = client_for(world["chief_safety"]).get(OVERVIEW).content.decode()
    assert "Vera Verneombud" in page and "Frida Fag" not in page


def test_admin_chooses_a_union(world):
    client = client_for(world["admin"])
    page = client.get(OVERVIEW, {"scope": f"union-{world['nsf'].pk}"}).content.decode()
    assert "Nils Sykepleier" in page and "Frida Fag" not in page
    assert "safety" in client.get(OVERVIEW).content.decode()  # a choice of scopes


def test_overview_shows_vacancy_newcomer_and_groups_not_meeting(world):
    RoleAssignment.objects.filter(person=world["ff_rep"]).update(ends_on=days(-45))
    services.handovers_sync(world["municipality"])
    services.notifications_send(world["municipality"])
    second = UnitFactory(municipality=world["municipality"], name="Bakken barnehage")
    presence(second, "Fagforbundet")
    newcomer = UserFactory(municipality=world["municipality"], full_name="Nora Ny")
    give_role(newcomer, Role.LOCAL_UNION_REP, second, union=world["ff"], starts_on=days(-20))
    _meeting(world["unit"], 10, status=Meeting.Status.HELD)
    page = client_for(world["chief_ff"]).get(OVERVIEW).content.decode()
    assert "Vacant since" in page or "Ledig siden" in page
    assert "Nora Ny" in page
    assert page.count('data-color="danger"') >= 1  # the long vacancy is flagged
    assert "Not met in 60 days" in page or "Ikke hatt møte" in page  # the second unit


def test_notes_are_private_to_their_author(world):
    """R6: a follow-up note is read by its author only: not by another chief of the same
    union, not by an administrator."""
    chief = world["chief_ff"]
    client = client_for(chief)
    rep = RoleAssignment.objects.get(person=world["ff_rep"], role=Role.LOCAL_UNION_REP)
    response = client.post(
        reverse("continuity:note_create"),
        {
            "scope": f"union-{world['ff'].pk}",
            "rep": rep.pk,
            "held_on": days(-1).isoformat(),
            "text": "Hemmelig samtale om arbeidspresset",
        },
    )
    assert response.status_code == 302
    note = FollowUpNote.objects.get()
    assert note.author == chief and note.person == world["ff_rep"] and note.unit == world["unit"]
    assert "Hemmelig samtale" in client.get(OVERVIEW).content.decode()
    second_chief = person_with_role(
        Role.CHIEF_UNION_REP, municipality=world["municipality"], union=world["ff"]
    )
    for reader in (second_chief, world["admin"]):
        for params in ({}, {"scope": f"union-{world['ff'].pk}"}):
            page = client_for(reader).get(OVERVIEW, params).content.decode()
            assert "Hemmelig samtale" not in page
    for reader in (world["ff_rep"], world["leader"]):
        for url in (OVERVIEW, _url(world["unit"])):
            assert "Hemmelig samtale" not in client_for(reader).get(url).content.decode()


def test_note_refused_for_admin_and_for_reps_outside_the_scope(world):
    nsf_rep = RoleAssignment.objects.get(person=world["nsf_rep"], role=Role.LOCAL_UNION_REP)
    data = {"rep": nsf_rep.pk, "held_on": days(0).isoformat(), "text": "x"}
    assert (
        client_for(world["admin"]).post(reverse("continuity:note_create"), data).status_code == 403
    )
    response = client_for(world["chief_ff"]).post(reverse("continuity:note_create"), data)
    assert response.status_code == 400  # not one of the chief's reps: the form back
    assert not FollowUpNote.objects.exists()


def test_note_form_errors_keep_the_text(world):
    rep = RoleAssignment.objects.get(person=world["ff_rep"], role=Role.LOCAL_UNION_REP)
    response = client_for(world["chief_ff"]).post(
        reverse("continuity:note_create"),
        {"rep": rep.pk, "held_on": days(3).isoformat(), "text": "Beholdt tekst"},
    )
    assert response.status_code == 400
    assert "Beholdt tekst" in response.content.decode()
    assert not FollowUpNote.objects.exists()


# --- panels on other pages ---------------------------------------------------------------------


def test_steering_overview_panel_counts_and_long_vacancies(world):
    RoleAssignment.objects.filter(person=world["ff_rep"]).update(ends_on=days(-45))
    RoleAssignment.objects.filter(person=world["safety_rep"]).update(ends_on=days(-2))
    page = client_for(world["politician"]).get(reverse("reporting:overview")).content.decode()
    assert 'id="vacancies-heading"' in page
    assert "Solsiden sykehjem" in page and ">44<" in page  # days vacant of the long one
    # Who may not see the overview page does not get it either.
    assert client_for(world["employee"]).get(reverse("reporting:overview")).status_code == 403


def test_unit_page_flags_a_long_vacancy(world):
    RoleAssignment.objects.filter(person=world["ff_rep"]).update(ends_on=days(-45))
    url = reverse("organisation:unit_detail", args=[world["unit"].pk])
    page = client_for(world["employee"]).get(url).content.decode()
    assert 'id="vacancies-heading"' in page and 'data-color="danger"' in page
    assert reverse("continuity:onboarding", args=[world["unit"].pk]) not in page
    leader_page = client_for(world["leader"]).get(url).content.decode()
    assert reverse("continuity:onboarding", args=[world["unit"].pk]) in leader_page


def test_unit_panel_shows_union_and_successor_only_to_those_who_may_see_unions(world):
    """Being a local rep reveals union membership (GDPR art. 9): the vacant seat's union and the
    name of the person about to take it are for those who may see union affiliations (the
    unit's people, chief reps, admins); others read the role alone, without the name."""
    RoleAssignment.objects.filter(person=world["ff_rep"]).update(ends_on=days(-10))
    successor = UserFactory(municipality=world["municipality"], full_name="Siri Etterfølger")
    give_role(successor, Role.LOCAL_UNION_REP, world["unit"], union=world["ff"], starts_on=days(7))
    url = reverse("organisation:unit_detail", args=[world["unit"].pk])

    def panel(person):
        page = client_for(person).get(url).content.decode()
        return page.split('id="vacancies-heading"')[1].split("</section>")[0]

    outsider = panel(world["politician"])
    assert "Fagforbundet" not in outsider and "Siri Etterfølger" not in outsider
    assert "Local union rep" in outsider or "Lokal" in outsider or "tillitsvalgt" in outsider
    for person in (world["employee"], world["chief_ff"], world["admin"]):
        seen = panel(person)
        assert "Fagforbundet" in seen and "Siri Etterfølger" in seen


def test_home_panel_for_a_newcomer_only(world):
    newcomer = UserFactory(municipality=world["municipality"])
    give_role(newcomer, Role.LOCAL_UNION_REP, world["unit"], union=world["ff"], starts_on=days(-5))
    onboarding = _url(world["unit"])
    assert onboarding in client_for(newcomer).get("/").content.decode()
    assert onboarding not in client_for(world["leader"]).get("/").content.decode()


def test_navigation_entry_for_chief_reps_only(world):
    assert OVERVIEW in client_for(world["chief_ff"]).get("/").content.decode()
    assert OVERVIEW in client_for(world["chief_safety"]).get("/").content.decode()
    assert f'href="{OVERVIEW}"' not in client_for(world["leader"]).get("/").content.decode()
