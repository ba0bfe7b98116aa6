"""The experience library (P5, R28, R31): publish, contact role, filters, sharing, "try this"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ServiceAreaFactory, UnitFactory, person_with_role
from tests.measures.conftest import measure_at
from tests.query_counts import assert_same_counts, measure
from tests.reporting.experiences_fixtures import (  # noqa: F401  (fixtures)
    annenby_fixture,
    english_fixture,
    lia_fixture,
    logged_in,
    opt_in,
    text_of,
    won_measure,
    write,
)
from trepart.measures.models import Measure, Stage
from trepart.organisation.models import Role
from trepart.reporting.models import Experience, ExperienceAdoption, ReportingSettings, Theme

pytestmark = pytest.mark.django_db

LIBRARY = reverse("reporting:experience_library")
NEW = reverse("reporting:experience_create")


def detail(e):
    return reverse("reporting:experience_detail", args=[e.pk])


def form_data(**overrides):
    data = {
        "title": "Fast pauseplan",
        "theme": Theme.WORK_ENVIRONMENT,
        "tried": "Vi la pausene inn i turnusen.",
        "happened": "Alle fikk pause hver dag.",
        "learned": "Skriv pausene inn i planen, ellers glipper de.",
        "contact_role": "Tillitsvalgt ved Solsiden",
    }
    data.update(overrides)
    return data


# --- publishing (R28, R31) ----------------------------------------------------------------------


def test_publish_from_a_win_prefills_from_the_measure_and_links_it(unit, party_group):
    """R28: a win becomes an experience, pre-filled from the measure and linked to it."""
    won = won_measure(party_group, unit)
    client = logged_in(party_group["leader"])
    page = client.get(reverse("measures:measure_detail", args=[won.pk]))
    assert f"{NEW}?measure={won.pk}" in text_of(page)  # "Publish as an experience"

    form = client.get(NEW, {"measure": won.pk})
    body = text_of(form)
    assert form.status_code == 200
    assert won.title in body and "Sykepleierne fikk mer tid." in body  # the win story
    assert "Sykefraværet gikk ned fra 9 til 6 prosent." in body  # the findings
    assert "Unit leader at Solsiden sykehjem" in body  # a role, not a name

    response = client.post(
        f"{NEW}?measure={won.pk}",
        form_data(title=won.title, contact_role="Unit leader at Solsiden sykehjem"),
    )
    experience = Experience.objects.get()
    assert response.status_code == 302 and response.url == detail(experience)
    assert experience.source_measure == won and experience.unit == unit
    assert experience.status == Experience.Status.DRAFT and experience.contact_person is None

    client.post(reverse("reporting:experience_publish", args=[experience.pk]))
    experience.refresh_from_db()
    assert experience.status == Experience.Status.PUBLISHED and experience.published_at
    # The measure page now lists the experience instead of offering a second one.
    page = text_of(client.get(reverse("measures:measure_detail", args=[won.pk])))
    assert detail(experience) in page and f"{NEW}?measure={won.pk}" not in page
    # The experience links back to the measure for those who may open it.
    assert reverse("measures:measure_detail", args=[won.pk]) in text_of(
        client.get(detail(experience))
    )


def test_publish_from_a_decided_measure_but_not_from_an_idea(unit, party_group):
    client = logged_in(party_group["leader"])
    decided = measure_at(party_group, unit, Stage.DECIDED, title="Besluttet")
    assert client.get(NEW, {"measure": decided.pk}).status_code == 200
    idea = measure_at(party_group, unit, Stage.IDEA, title="Bare en idé")
    response = client.get(NEW, {"measure": idea.pk})
    assert response.status_code == 302
    assert response.url == reverse("measures:measure_detail", args=[idea.pk])
    assert client.post(f"{NEW}?measure={idea.pk}", form_data()).status_code == 302
    assert not Experience.objects.exists()
    # No "publish" offer on an idea's page.
    page = text_of(client.get(reverse("measures:measure_detail", args=[idea.pk])))
    assert "?measure=" not in page


def test_write_on_its_own_theme_required_and_typed_text_kept(unit, party_group):
    client = logged_in(party_group["rep_ff"])
    response = client.post(NEW, form_data(theme="", learned=""))
    body = text_of(response)
    assert response.status_code == 400
    assert 'id="id_theme_error"' in body and 'id="id_learned_error"' in body
    assert 'aria-invalid="true"' in body
    assert "Vi la pausene inn i turnusen." in body  # what was typed is kept
    assert not Experience.objects.exists()
    response = client.post(NEW, form_data())
    experience = Experience.objects.get()
    assert experience.unit == unit and experience.source_measure is None
    assert experience.theme == Theme.WORK_ENVIRONMENT


def test_out_of_scope_text_is_refused_next_to_the_form(unit, party_group):
    """R14: personnel cases and wages do not belong in the library either."""
    client = logged_in(party_group["leader"])
    response = client.post(NEW, form_data(learned="Lønnsforhandlingene gikk bra."))
    assert response.status_code == 400 and "wage" in text_of(response)
    assert not Experience.objects.exists()


def test_a_writer_in_two_party_groups_chooses_the_unit(unit, party_group, lia):
    leader = party_group["leader"]
    person_with_role_at_lia = leader  # the same person also leads Lia
    from tests.factories import give_role

    give_role(person_with_role_at_lia, Role.UNIT_LEADER, lia["unit"])
    client = logged_in(leader)
    response = client.post(NEW, form_data())
    assert response.status_code == 400 and 'id="id_unit_error"' in text_of(response)
    client.post(NEW, form_data(unit=lia["unit"].pk))
    assert Experience.objects.get().unit == lia["unit"]


# --- contact: a role, a name only with agreement --------------------------------------------------


def test_contact_is_a_role_and_a_name_only_by_the_person_themself(
    unit, party_group, annenby, municipality
):
    rep = party_group["rep_ff"]
    client = logged_in(rep)
    client.post(NEW, form_data(contact_me="on"))
    experience = Experience.objects.get()
    assert experience.contact_person == rep

    # A colleague edits it: the agreement stays the rep's own (only they withdraw it).
    leader_client = logged_in(party_group["leader"])
    edit = reverse("reporting:experience_edit", args=[experience.pk])
    assert "Frida Fagforbund has agreed to be named" in text_of(leader_client.get(edit))
    leader_client.post(edit, form_data(title="Pauseplan"))
    experience.refresh_from_db()
    assert experience.title == "Pauseplan" and experience.contact_person == rep
    # The rep withdraws.
    client.post(edit, form_data())
    experience.refresh_from_db()
    assert experience.contact_person is None
    client.post(edit, form_data(contact_me="on", shared="on"))

    # Inside the municipality the name shows; another municipality never sees it (R31).
    opt_in(municipality)
    logged_in(party_group["leader"]).post(edit, form_data(contact_me="", shared="on"))
    experience.refresh_from_db()
    assert experience.shared and experience.contact_person == rep
    logged_in(rep).post(reverse("reporting:experience_publish", args=[experience.pk]))
    own = text_of(logged_in(party_group["leader"]).get(detail(experience)))
    assert "Frida Fagforbund" in own
    other = text_of(logged_in(annenby["leader"]).get(detail(experience)))
    assert "Frida Fagforbund" not in other and "Tillitsvalgt ved Solsiden" in other
    assert municipality.name in other


# --- the library: search and filters -------------------------------------------------------------


def test_library_filters_by_text_theme_service_area_and_source(
    municipality, unit, party_group, lia, annenby
):
    lia_group = {"leader": lia["leader"]}
    write(party_group["leader"], unit, "Langvakter i helgene")
    write(
        lia_group["leader"],
        lia["unit"],
        "Ny oppgavefordeling",
        theme=Theme.TASKS,
        tried="Assistentene tok over garderoben.",
        contact_role="",
    )
    opt_in(annenby["municipality"])
    write(annenby["leader"], annenby["unit"], "Heltidskultur i Annenby", shared=True)
    client = logged_in(lia["employee"])

    def titles(**params):
        body = text_of(client.get(LIBRARY, params))
        return [
            t
            for t in ("Langvakter i helgene", "Ny oppgavefordeling", "Heltidskultur i Annenby")
            if t in body
        ]

    assert titles() == ["Langvakter i helgene", "Ny oppgavefordeling", "Heltidskultur i Annenby"]
    assert titles(q="garderoben") == ["Ny oppgavefordeling"]
    assert titles(q="I HELGENE") == ["Langvakter i helgene"]  # case-insensitive
    assert titles(theme=Theme.TASKS) == ["Ny oppgavefordeling"]
    assert titles(theme=Theme.ROTA) == ["Langvakter i helgene", "Heltidskultur i Annenby"]
    assert titles(area=lia["unit"].service_area_id) == ["Ny oppgavefordeling"]
    assert titles(source="own") == ["Langvakter i helgene", "Ny oppgavefordeling"]
    assert titles(source="others") == ["Heltidskultur i Annenby"]
    assert titles(unit=unit.pk) == ["Langvakter i helgene"]
    # Junk filters are ignored, never a server error.
    for junk in ("abc", "-1", "99999999999999999999", "\x00"):
        assert client.get(LIBRARY, {"area": junk, "unit": junk, "theme": junk}).status_code == 200
    # htmx gets only the results.
    fragment = client.get(LIBRARY, {"q": "garderoben"}, headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content and b"Ny oppgavefordeling" in fragment.content


def test_service_area_filter_matches_other_municipalities_by_name(
    municipality, unit, party_group, annenby
):
    opt_in(annenby["municipality"])
    helse = ServiceAreaFactory(municipality=annenby["municipality"], name="Helse og omsorg")
    other_unit = UnitFactory(
        municipality=annenby["municipality"], name="Annenby sykehjem", service_area=helse
    )
    other_leader = person_with_role(Role.UNIT_LEADER, other_unit)
    write(other_leader, other_unit, "Delt fra helse", shared=True)
    write(annenby["leader"], annenby["unit"], "Delt fra noe annet", shared=True)
    ours = ServiceAreaFactory(municipality=municipality, name="helse og omsorg")
    body = text_of(logged_in(party_group["leader"]).get(LIBRARY, {"area": ours.pk}))
    assert "Delt fra helse" in body and "Delt fra noe annet" not in body


# --- sharing with other municipalities (R31) -----------------------------------------------------


def test_shared_only_when_the_municipality_opted_in_and_the_group_chose_it(
    municipality, unit, party_group, annenby
):
    leader = party_group["leader"]
    other = logged_in(annenby["leader"])
    # Not opted in: the form has no sharing choice, and the service does not share.
    assert 'name="shared"' not in text_of(logged_in(leader).get(NEW))
    not_opted = write(leader, unit, "Ikke delt", shared=True)
    assert not not_opted.shared
    assert other.get(detail(not_opted)).status_code == 404

    opt_in(municipality)
    assert 'name="shared"' in text_of(logged_in(leader).get(NEW))
    unmarked = write(leader, unit, "Ikke valgt")
    marked = write(leader, unit, "Valgt for deling", shared=True)
    draft = write(leader, unit, "Utkast for deling", shared=True, publish=False)
    assert other.get(detail(unmarked)).status_code == 404
    assert other.get(detail(draft)).status_code == 404
    assert other.get(detail(marked)).status_code == 200
    body = text_of(other.get(LIBRARY))
    assert "Valgt for deling" in body and "Ikke valgt" not in body and "Ikke delt" not in body

    # The municipality opts out again: nothing is shared any more.
    opt_in(municipality, share=False)
    assert other.get(detail(marked)).status_code == 404


def test_other_municipality_reads_a_shared_experience_but_cannot_change_it(
    municipality, unit, party_group, annenby
):
    opt_in(municipality)
    won = won_measure(party_group, unit)
    experience = write(party_group["leader"], unit, source_measure=won, shared=True)
    other = logged_in(annenby["leader"])
    body = text_of(other.get(detail(experience)))
    assert "Shared by Fjordby kommune" in body
    # No edit button, no link to our measure (they may not open it).
    assert reverse("reporting:experience_edit", args=[experience.pk]) not in body
    assert reverse("measures:measure_detail", args=[won.pk]) not in body
    edit = reverse("reporting:experience_edit", args=[experience.pk])
    assert other.get(edit).status_code == 403
    assert other.post(edit, form_data(title="Overtatt")).status_code == 403
    publish = reverse("reporting:experience_publish", args=[experience.pk])
    assert other.post(publish).status_code == 403
    experience.refresh_from_db()
    assert experience.title == "Langvakter i helgene"
    # Their admin cannot either; and a draft of ours is a 404 to them.
    assert logged_in(annenby["admin"]).get(edit).status_code == 403


# --- "we want to try this" -----------------------------------------------------------------------


def test_try_this_creates_an_idea_measure_linked_both_ways(unit, party_group, lia):
    experience = write(party_group["leader"], unit)
    client = logged_in(lia["leader"])
    page = text_of(client.get(detail(experience)))
    assert "We want to try this" in page
    try_url = reverse("reporting:experience_try", args=[experience.pk])
    response = client.post(try_url)
    adoption = ExperienceAdoption.objects.get()
    measure = adoption.measure
    assert response.status_code == 302
    assert response.url == reverse("measures:measure_detail", args=[measure.pk])
    assert measure.unit == lia["unit"] and measure.stage == Stage.IDEA
    assert measure.title == experience.title and adoption.unit == lia["unit"]
    # The measure shows where it came from; the experience how many try it.
    measure_page = text_of(client.get(response.url))
    assert "Adopted from an experience" in measure_page and detail(experience) in measure_page
    page = text_of(client.get(detail(experience)))
    assert "1 unit is trying it." in page and "We want to try this" not in page
    assert "1 unit is trying it" in text_of(client.get(LIBRARY))
    # A second click makes nothing new.
    client.post(try_url)
    assert ExperienceAdoption.objects.count() == 1
    assert Measure.objects.filter(unit=lia["unit"]).count() == 1


def test_try_a_shared_experience_from_another_municipality(
    municipality, unit, party_group, annenby
):
    opt_in(municipality)
    experience = write(party_group["leader"], unit, shared=True)
    client = logged_in(annenby["leader"])
    client.post(reverse("reporting:experience_try", args=[experience.pk]))
    measure = Measure.objects.get(unit=annenby["unit"])
    assert measure.municipality == annenby["municipality"] and measure.stage == Stage.IDEA
    # We see that a unit elsewhere tries it, but not which one.
    ours = text_of(logged_in(party_group["leader"]).get(detail(experience)))
    assert "1 unit is trying it." in ours and "Annenby omsorgssenter" not in ours


def test_who_may_not_try(unit, party_group, lia, annenby):
    experience = write(party_group["leader"], unit)
    draft = write(lia["leader"], lia["unit"], "Lia-utkast", publish=False)
    try_url = reverse("reporting:experience_try", args=[experience.pk])
    # The unit that wrote it, an employee, another municipality (not shared: 404).
    assert logged_in(party_group["leader"]).post(try_url).status_code == 403
    assert logged_in(lia["employee"]).post(try_url).status_code == 403
    assert logged_in(annenby["leader"]).post(try_url).status_code == 404
    # A draft is not tried (and is hidden from other groups).
    draft_try = reverse("reporting:experience_try", args=[draft.pk])
    assert logged_in(party_group["leader"]).post(draft_try).status_code == 404
    # A unit the person is not in the party group of.
    response = logged_in(lia["leader"]).post(try_url, {"unit": unit.pk})
    assert response.status_code == 400
    assert not ExperienceAdoption.objects.exists()


# --- permissions --------------------------------------------------------------------------------


def test_employees_read_only_the_party_group_writes(unit, party_group, lia, annenby):
    experience = write(party_group["leader"], unit)
    draft = write(party_group["leader"], unit, "Utkast", publish=False)
    employee = person_with_role(Role.EMPLOYEE, unit)
    client = logged_in(employee)
    assert client.get(LIBRARY).status_code == 200
    assert client.get(detail(experience)).status_code == 200
    assert "Utkast" not in text_of(client.get(LIBRARY))
    assert client.get(detail(draft)).status_code == 404
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    edit = reverse("reporting:experience_edit", args=[experience.pk])
    assert client.get(edit).status_code == 403
    assert client.post(reverse("reporting:experience_publish", args=[draft.pk])).status_code == 404
    # Another unit's leader reads, but does not edit.
    other_leader = logged_in(lia["leader"])
    assert other_leader.get(edit).status_code == 403
    publish = reverse("reporting:experience_publish", args=[experience.pk])
    assert other_leader.post(publish).status_code == 403
    # The party group sees its own draft; a measure of another unit cannot be a source.
    assert logged_in(party_group["safety"]).get(detail(draft)).status_code == 200
    won = won_measure(party_group, unit)
    # (another unit's measures are not even readable to Lia's leader: 404)
    assert logged_in(lia["leader"]).get(NEW, {"measure": won.pk}).status_code == 404
    assert logged_in(employee).get(NEW, {"measure": won.pk}).status_code == 403
    assert logged_in(annenby["leader"]).get(NEW, {"measure": won.pk}).status_code == 404
    assert logged_in(party_group["leader"]).get(NEW, {"measure": "junk"}).status_code == 404
    # Anonymous: to the login page.
    from django.test import Client

    assert Client().get(LIBRARY).status_code == 302


def test_another_municipality_gets_404_for_unshared_experiences(unit, party_group, annenby):
    experience = write(party_group["leader"], unit)
    client = logged_in(annenby["leader"])
    for url in (
        detail(experience),
        reverse("reporting:experience_edit", args=[experience.pk]),
    ):
        assert client.get(url).status_code == 404
    for name in ("experience_publish", "experience_try", "experience_edit"):
        assert client.post(reverse(f"reporting:{name}", args=[experience.pk])).status_code == 404
    assert "Langvakter" not in text_of(client.get(LIBRARY))


def test_navigation_and_unit_page_link(unit, party_group, lia):
    client = logged_in(lia["employee"])
    home = text_of(client.get(reverse("reporting:experience_library")))
    assert f'href="{LIBRARY}"' in home
    unit_page = text_of(client.get(reverse("organisation:unit_detail", args=[unit.pk])))
    assert f"{LIBRARY}?unit={unit.pk}" in unit_page


# --- the municipality's settings -----------------------------------------------------------------


def test_reporting_settings_for_municipal_admins(municipality, admin_user, party_group, unit):
    url = reverse("reporting:reporting_settings")
    assert logged_in(party_group["leader"]).get(url).status_code == 403
    assert logged_in(party_group["leader"]).post(url, {"due_days": 5}).status_code == 403
    client = logged_in(admin_user)
    page = client.get(url)
    assert page.status_code == 200 and not ReportingSettings.objects.exists()  # GET never writes
    assert url in text_of(client.get(LIBRARY))  # linked from the library for admins
    response = client.post(url, {"period_months": 6, "due_days": "0"})
    body = text_of(response)
    assert response.status_code == 400 and 'id="id_due_days_error"' in body
    assert 'value="0"' in body
    response = client.post(url, {"period_months": 6, "due_days": 14, "share_experiences": "on"})
    assert response.status_code == 302
    saved = ReportingSettings.objects.get(municipality=municipality)
    assert (saved.period_months, saved.due_days, saved.share_experiences) == (6, 14, True)


# --- query counts (ARCHITECTURE rule 4) -----------------------------------------------------------


def _many(party_group, unit, lia, annenby, n):
    leader = party_group["leader"]
    for i in range(n):
        write(leader, unit, f"Erfaring {i}", shared=True)
        write(annenby["leader"], annenby["unit"], f"Delt {i}", shared=True)
    for e in Experience.objects.filter(unit=unit)[:n]:
        from trepart.reporting import experiences as exp

        exp.experience_try(actor=lia["leader"], experience=e, unit=lia["unit"])


def test_library_and_page_queries_do_not_grow_with_experiences(
    municipality, unit, party_group, lia, annenby, django_assert_max_num_queries
):
    opt_in(municipality)
    opt_in(annenby["municipality"])
    clients = {"employee": logged_in(lia["employee"]), "leader": logged_in(lia["leader"])}

    def pages():
        first = Experience.objects.filter(unit=unit).order_by("id").first()
        return [
            ("employee", "library", LIBRARY),
            ("leader", "library", LIBRARY),
            ("leader", "filtered", LIBRARY + "?theme=rota&q=Erfaring&source=own"),
            ("leader", "detail", detail(first)),
        ]

    _many(party_group, unit, lia, annenby, 5)
    few = measure(clients, pages())
    _many(party_group, unit, lia, annenby, 45)
    many = measure(clients, pages())
    assert Experience.objects.count() == 100
    assert_same_counts(few, many)
