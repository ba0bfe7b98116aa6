"""A small world for the search tests: two units of Fjordby, another municipality, and one
searchable thing of every kind, each with a word about shifts (vakt) in some form.

Rows are made with the ORM: the signals index them as the services' saves would."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import MunicipalityFactory, UnitFactory, person_with_role
from trepart.inputs.models import Audience, Input
from trepart.measures.models import Measure
from trepart.meetings.models import Meeting, MinutesVersion
from trepart.organisation.models import Role
from trepart.reporting.models import Experience, ReportingSettings, ReportVersion, UnitReport

DAY = datetime.date(2026, 3, 3)


def make_input(unit, text, **kwargs) -> Input:
    return Input.objects.create(
        municipality=unit.municipality,
        unit=unit,
        text=text,
        submitted_on=kwargs.pop("submitted_on", DAY),
        status_changed_on=DAY,
        **kwargs,
    )


def make_minutes(unit, title, items, municipality=None, starts=None) -> Meeting:
    """A held meeting with one published version of its minutes."""
    starts = starts or timezone.make_aware(datetime.datetime(2026, 2, 10, 14))
    meeting = Meeting.objects.create(
        municipality=municipality or unit.municipality,
        unit=unit,
        title=title,
        kind="development",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        status=Meeting.Status.HELD,
        minutes_status=Meeting.MinutesStatus.PUBLISHED,
    )
    MinutesVersion.objects.create(
        meeting=meeting,
        number=1,
        content={
            "title": title,
            "items": [
                {"title": t, "summary": s, "way_forward": w, "decisions": "", "referrals": []}
                for t, s, w in items
            ],
            "actions": [],
        },
    )
    return meeting


def make_measure(unit, title, **texts) -> Measure:
    return Measure.objects.create(municipality=unit.municipality, unit=unit, title=title, **texts)


def make_report(unit, *, sent=False, **words) -> UnitReport:
    report = UnitReport.objects.create(
        municipality=unit.municipality,
        unit=unit,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        due_on=datetime.date(2026, 4, 21),
        status=UnitReport.Status.SENT if sent else UnitReport.Status.DRAFT,
        **words,
    )
    if sent:
        ReportVersion.objects.create(report=report, number=1, content={**words, "figures": {}})
    return report


def make_experience(unit, title, *, published=True, shared=False, **texts) -> Experience:
    defaults = {"tried": "", "happened": "", "learned": ""}
    return Experience.objects.create(
        municipality=unit.municipality,
        unit=unit,
        title=title,
        theme="rota",
        status=Experience.Status.PUBLISHED if published else Experience.Status.DRAFT,
        published_at=timezone.now() if published else None,
        shared=shared,
        **{**defaults, **texts},
    )


def set_btree_indexes_aside(connection) -> None:
    """PostgreSQL, inside the test's transaction (DDL rolls back): drop the search entries'
    b-tree indexes and the (kind, object_id) constraint. At test volume the planner prefers
    them to the GIN indexes; at a real municipality's volume a rare word's matches come from
    the GIN indexes (issue 14, checked on the national bench dataset: docs/performance.md)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchentry' "
            "AND indexdef LIKE '%USING btree%' AND indexname NOT LIKE '%pkey' "
            "AND indexname <> 'search_entry_unique'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE search_searchentry DROP CONSTRAINT search_entry_unique")


@pytest.fixture
def world(municipality, unit):
    other_unit = UnitFactory(municipality=municipality, name="Bakken barnehage")
    elsewhere = MunicipalityFactory(name="Annenby kommune")
    elsewhere_unit = UnitFactory(municipality=elsewhere, name="Annenby sykehjem")
    ReportingSettings.objects.create(municipality=elsewhere, share_experiences=True)
    w = {
        "unit": unit,
        "other_unit": other_unit,
        "elsewhere": elsewhere,
        "leader": person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder"),
        "safety": person_with_role(Role.SAFETY_REP, unit, full_name="Vera Verneombud"),
        "employee": person_with_role(Role.EMPLOYEE, unit, full_name="Emil Ansatt"),
        "other_leader": person_with_role(Role.UNIT_LEADER, other_unit),
        "other_employee": person_with_role(Role.EMPLOYEE, other_unit),
        "politician": person_with_role(Role.POLITICIAN, municipality=municipality),
        "admin": person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality),
        "stranger": person_with_role(Role.UNIT_LEADER, elsewhere_unit),
    }
    w["public_input"] = make_input(unit, "Nattevakta er for tynt bemannet i helgene.", public=True)
    w["group_input"] = make_input(unit, "Kveldsvaktene trenger en fast ansvarlig.")
    w["hidden_input"] = make_input(
        unit,
        "Hemmelig klage på vaktlista og en bestemt kollega.",
        public=True,
        hidden=True,
        hidden_reason="Handler om en enkeltperson.",
    )
    w["leader_input"] = make_input(
        unit, "Privat: lønn for ekstravakter til meg.", audience=Audience.LEADER
    )
    w["minutes"] = make_minutes(
        unit,
        "Partsgruppemøte februar",
        [("Bemanning", "Vi snakket om vaktene i jula.", "Lederen lager ny plan.")],
    )
    w["measure"] = make_measure(
        unit, "Ny turnus med lengre vakter", problem="For mange korte vakter gir slitasje."
    )
    w["sent_report"] = make_report(
        unit, sent=True, went_well="Nattevaktene fikk bedre overlapp.", hard="", need=""
    )
    w["draft_report"] = make_report(
        other_unit, went_well="", hard="Utkast: vaktbytter skaper uro.", need=""
    )
    w["experience"] = make_experience(
        unit, "Ønsketurnus på Solsiden", tried="Ansatte ønsket vakter selv."
    )
    w["draft_experience"] = make_experience(
        other_unit, "Utkast om helgevakter", published=False, tried="Vi prøvde."
    )
    w["shared_experience"] = make_experience(
        elsewhere_unit, "Delt: langvakter i Annenby", shared=True, tried="Langvakter i helgene."
    )
    w["unshared_experience"] = make_experience(
        elsewhere_unit, "Ikke delt: vaktbank", shared=False, tried="En vaktbank."
    )
    w["elsewhere_input"] = make_input(elsewhere_unit, "Annenby: vaktene er for lange.")
    return w
