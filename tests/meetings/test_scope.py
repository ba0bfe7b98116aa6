"""R14: individual personnel cases and wage negotiations are never topics for the party group;
everything else may be. The guard refuses with a plain explanation of where the matter belongs,
and must not refuse ordinary development topics that merely mention pay, conflict or staff."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.meetings.conftest import make_meeting
from trepart.core.scope import PERSONNEL, WAGES, check_scope
from trepart.meetings import services
from trepart.meetings.models import ActionItem, AgendaItem

REFUSED = [
    ("Personalsak: oppfølging av Kari", PERSONNEL),
    ("Advarsel til en ansatt på nattevakt", PERSONNEL),
    ("Oppsigelse av vikar", PERSONNEL),
    ("Konflikt mellom Kari og Ola", PERSONNEL),
    ("Konflikten mellom Per og Lise på kjøkkenet", PERSONNEL),
    ("Åtvaring til ein tilsett", PERSONNEL),  # nynorsk
    ("Avskjed av assistent i barnehagen", PERSONNEL),
    ("Lokale lønnsforhandlinger for sykepleiere", WAGES),
    ("Lønnstillegg for helsefagarbeidere", WAGES),
    ("Lønn til Per", WAGES),
    ("Lønnen til Kari er for lav", WAGES),
    ("Lønnsoppgjøret 2026: krav fra Fagforbundet", WAGES),
    ("Lønsforhandlingar for fagarbeidarar", WAGES),  # nynorsk
    ("Lønnssamtale med Kari", WAGES),
]

ALLOWED = [
    "Sykefravær på avdelingen – hva kan vi gjøre sammen?",
    "Ny turnus med langvakter i helgene",
    "Lønnspolitikk og heltidskultur",  # a policy topic (R3), not a negotiation
    "Konflikt mellom avdelingene om vikarbruk",
    "Kompetanseplan for 2027",
    "Oppgavedeling mellom sykepleiere og helsefagarbeidere",
    "Rekruttering av lærlinger",
    "Hvordan står det til hos oss?",
    "Risikovurdering av ny pasientvarsling",
    "Rotasjon mellom avdelingene",
    "Advarselsskilt ved de glatte trappene",  # a safety topic, not a warning to someone
    "Avskjedsfest for Per som går av med pensjon",  # a farewell, not a dismissal
    "Velferdsteknologi: erfaringer med digitalt tilsyn",
]


@pytest.mark.parametrize(("text", "kind"), REFUSED)
def test_personnel_cases_and_wage_matters_are_refused(text, kind):
    finding = check_scope(text)
    assert finding is not None, text
    assert finding.kind == kind
    assert finding.matched.lower() in text.lower()  # explainable: the words that triggered it


@pytest.mark.parametrize("text", ALLOWED)
def test_ordinary_development_topics_are_allowed(text):
    assert check_scope(text) is None


@pytest.mark.parametrize("text", ["Ny turnus med langvakter i helgene", "", "Kompetanseplan"])
def test_explicit_personnel_case_is_refused_whatever_the_text(text):
    finding = check_scope(text, personnel_case=True)
    assert finding is not None and finding.kind == PERSONNEL


def test_description_is_checked_too():
    assert check_scope("Oppfølging", "Gjelder advarsel gitt i forrige uke") is not None


def test_messages_say_where_the_matter_belongs():
    with translation.override("en"):
        personnel = check_scope("Advarsel til en ansatt").message
        wages = check_scope("Lokale lønnsforhandlinger").message
    assert "leader and the employee" in personnel and "Advarsel" in personnel
    assert "negotiation line" in wages and "lønnsforhandlinger" in wages
    with translation.override("nb"):
        assert check_scope("Advarsel til en ansatt").message


# --- through the services -----------------------------------------------------------------------


@pytest.fixture
def meeting(leader, unit):
    return make_meeting(leader, unit)


@pytest.mark.parametrize(
    ("title", "description", "personnel_case", "belongs"),
    [
        ("Oppfølging av Kari", "Personalsak etter klage", False, "leader and the employee"),
        ("Nattevakt", "", True, "leader and the employee"),
        ("Lønnstillegg for helsefagarbeidere", "", False, "negotiation line"),
    ],
)
def test_agenda_item_propose_refuses_and_saves_nothing(
    leader, meeting, title, description, personnel_case, belongs
):
    before = AgendaItem.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.agenda_item_propose(
            actor=leader,
            meeting=meeting,
            title=title,
            description=description,
            personnel_case=personnel_case,
        )
    assert belongs in " ".join(exc.value.messages)
    assert exc.value.error_list[0].code.startswith("out_of_scope_")
    assert AgendaItem.objects.count() == before


def test_agenda_item_propose_accepts_an_allowed_topic(leader, meeting):
    item = services.agenda_item_propose(
        actor=leader,
        meeting=meeting,
        title="Lønnspolitikk og heltidskultur",
        description="Hvordan kan flere få hele stillinger?",
    )
    assert item.pk and item.proposed_by == leader


def test_action_add_refuses_and_saves_nothing(leader, meeting, party_group):
    for description, belongs in [
        ("Gi advarsel til Per", "leader and the employee"),
        ("Forberede lokale lønnsforhandlinger", "negotiation line"),
    ]:
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            services.action_add(
                actor=leader,
                meeting=meeting,
                item=None,
                description=description,
                assignee=party_group["rep_ff"],
                due_on=datetime.date(2026, 4, 1),
            )
        assert belongs in " ".join(exc.value.messages)
    assert not ActionItem.objects.exists()
    services.action_add(
        actor=leader,
        meeting=meeting,
        item=None,
        description="Lage forslag til kompetanseplan",
        assignee=party_group["rep_ff"],
        due_on=datetime.date(2026, 4, 1),
    )
    assert ActionItem.objects.count() == 1


def test_standing_item_add_refuses_out_of_scope(leader, unit):
    with pytest.raises(ValidationError):
        services.standing_item_add(
            actor=leader, municipality=unit.municipality, unit=unit, title="Personalsaker"
        )
