"""A small municipality for the handover tests: one unit where Fagforbundet and NSF have
members, its party group, the chief reps, and another municipality."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import MunicipalityFactory, UnitFactory, person_with_role, presence, union
from trepart.organisation.models import Role


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def world(db):
    m = MunicipalityFactory(name="Fjordby kommune")
    unit = UnitFactory(municipality=m, name="Solsiden sykehjem")
    presence(unit, "Fagforbundet")
    presence(unit, "NSF")
    ff, nsf = union("Fagforbundet"), union("NSF")
    w = {
        "municipality": m,
        "unit": unit,
        "ff": ff,
        "nsf": nsf,
        "leader": person_with_role(Role.UNIT_LEADER, unit, full_name="Lea Leder"),
        "ff_rep": person_with_role(
            Role.LOCAL_UNION_REP, unit, union=ff, full_name="Frida Fag", starts_on=days(-400)
        ),
        "nsf_rep": person_with_role(
            Role.LOCAL_UNION_REP, unit, union=nsf, full_name="Nils Sykepleier"
        ),
        "safety_rep": person_with_role(Role.SAFETY_REP, unit, full_name="Vera Verneombud"),
        "employee": person_with_role(Role.EMPLOYEE, unit, full_name="Ane Ansatt"),
        "admin": person_with_role(Role.MUNICIPAL_ADMIN, municipality=m, full_name="Adm Admin"),
        "chief_ff": person_with_role(
            Role.CHIEF_UNION_REP, municipality=m, union=ff, full_name="Hege Hovedtillitsvalgt"
        ),
        "chief_nsf": person_with_role(
            Role.CHIEF_UNION_REP, municipality=m, union=nsf, full_name="Nina NSF"
        ),
        "chief_safety": person_with_role(
            Role.CHIEF_SAFETY_REP, municipality=m, full_name="Hanna Hovedverneombud"
        ),
        "politician": person_with_role(Role.POLITICIAN, municipality=m, full_name="Per Politiker"),
    }
    other = MunicipalityFactory(name="Annenby kommune")
    w["other_unit"] = UnitFactory(municipality=other, name="Annen enhet")
    w["other_admin"] = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other)
    return w
