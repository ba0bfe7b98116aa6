import datetime

import factory

from trepart.accounts.models import User
from trepart.organisation.models import (
    Department,
    Municipality,
    Role,
    RoleAssignment,
    ServiceArea,
    Union,
    UnionPresence,
    Unit,
)

PASSWORD = "correct-horse-battery"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Testvik {n} kommune")


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Tjenesteområde {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    service_area = factory.LazyAttribute(lambda o: ServiceAreaFactory(municipality=o.municipality))
    name = factory.Sequence(lambda n: f"Enhet {n}")

    @factory.post_generation
    def with_defaults(obj, create, extracted, **kwargs):
        """Like organisation.services.unit_create: the apps add the unit's input link and its
        party group's standing items (the UNIT_CREATED extension point). Pass
        `with_defaults=False` for a unit made before units got them (old data)."""
        if create and extracted is not False:
            from trepart.organisation.services import unit_created

            unit_created(obj)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Avdeling {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def union(short_name: str) -> Union:
    """A union from the national catalogue (loaded by migration)."""
    return Union.objects.get(municipality=None, short_name=short_name)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(UserFactory)
    municipality = factory.LazyAttribute(lambda o: o.person.municipality)
    role = Role.EMPLOYEE
    starts_on = datetime.date(2024, 1, 1)


def give_role(person, role, unit=None, **kwargs) -> RoleAssignment:
    return RoleAssignmentFactory(person=person, role=role, unit=unit, **kwargs)


def person_with_role(role, unit=None, municipality=None, full_name=None, **kwargs) -> User:
    municipality = municipality or (unit.municipality if unit else MunicipalityFactory())
    extra = {"full_name": full_name} if full_name else {}
    person = UserFactory(municipality=municipality, **extra)
    if role in (Role.LOCAL_UNION_REP, Role.CHIEF_UNION_REP) and "union" not in kwargs:
        kwargs["union"] = union("Fagforbundet")
    if role == Role.POLITICIAN and "side" not in kwargs:
        kwargs["side"] = "position"
    give_role(person, role, unit=unit, **kwargs)
    return person


def presence(unit, short_name, members=5) -> UnionPresence:
    return UnionPresence.objects.create(unit=unit, union=union(short_name), member_count=members)


def complete_party_group(unit):
    """Leader, two union reps and a safety rep: no findings."""
    presence(unit, "Fagforbundet")
    presence(unit, "NSF")
    person_with_role(Role.UNIT_LEADER, unit)
    person_with_role(Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet"))
    person_with_role(Role.LOCAL_UNION_REP, unit, union=union("NSF"))
    person_with_role(Role.SAFETY_REP, unit)
