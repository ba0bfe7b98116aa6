"""Composition check (trepart/organisation/composition.py), rule by rule, each rule both ways.

R1: steering group composition. R4: party group composition. R5: roles, not persons.
"""

import datetime

import pytest
from django.utils import translation

from tests.factories import (
    MunicipalityFactory,
    UnitFactory,
    complete_party_group,
    give_role,
    person_with_role,
    presence,
    union,
)
from trepart.organisation import composition
from trepart.organisation.composition import ADVICE, ERROR, WARNING
from trepart.organisation.models import PoliticalSide, Role

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)
LONG_AGO = datetime.date(2020, 1, 1)


@pytest.fixture(autouse=True)
def _days_of_this_test():
    """The days are those of the test's run, not of collection: a run over midnight would
    otherwise compare yesterday's "today" with the code's."""
    global TODAY, YESTERDAY, TOMORROW
    TODAY = datetime.date.today()
    YESTERDAY = TODAY - datetime.timedelta(days=1)
    TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """UserFactory hashes with the default hasher (Argon2, ~0.2 s a person); MD5 keeps this fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- helpers ------------------------------------------------------------------------------------


def unit_findings(unit, on=None):
    [snapshot] = composition.unit_snapshots(unit.municipality, units=[unit], on=on)
    return composition.unit_findings(snapshot)


def steering_findings(municipality, on=None):
    return composition.steering_findings(composition.steering_snapshot(municipality, on=on))


def rules(findings):
    return {f.rule for f in findings}


def the(findings, rule):
    [finding] = [f for f in findings if f.rule == rule]
    return finding


def steering_group(
    municipality,
    politicians=3,
    administration=3,
    chief_reps=3,
    opposition=True,
    chief_safety_rep=True,
):
    """A steering group with the given numbers; the first politician is from the opposition."""
    for i in range(politicians):
        side = PoliticalSide.OPPOSITION if (opposition and i == 0) else PoliticalSide.POSITION
        person_with_role(Role.POLITICIAN, municipality=municipality, side=side)
    for _i in range(administration):
        person_with_role(Role.ADMINISTRATION, municipality=municipality)
    for short_name in ["Fagforbundet", "NSF", "Utdanningsforbundet", "Delta", "FO"][:chief_reps]:
        person_with_role(Role.CHIEF_UNION_REP, municipality=municipality, union=union(short_name))
    if chief_safety_rep:
        person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality)


# --- R4: unit leader ----------------------------------------------------------------------------


def test_r4_unit_without_leader_is_an_error(unit):
    person_with_role(Role.LOCAL_UNION_REP, unit)
    person_with_role(Role.SAFETY_REP, unit)
    finding = the(unit_findings(unit), "unit_without_leader")
    assert finding.severity == ERROR
    assert finding.rule_ref == "R4"
    assert finding.unit == unit
    assert finding.color == "danger"


def test_r4_unit_with_leader_has_no_leader_finding(unit):
    person_with_role(Role.UNIT_LEADER, unit)
    assert "unit_without_leader" not in rules(unit_findings(unit))


def test_r4_department_leader_alone_does_not_count_as_unit_leader(unit):
    """R4: the unit leader calls the meetings; a department leader does not replace them."""
    person_with_role(Role.DEPARTMENT_LEADER, unit)
    assert "unit_without_leader" in rules(unit_findings(unit))


# --- R4: safety rep -----------------------------------------------------------------------------


def test_r4_unit_without_safety_rep_is_an_error(unit):
    person_with_role(Role.UNIT_LEADER, unit)
    person_with_role(Role.LOCAL_UNION_REP, unit)
    finding = the(unit_findings(unit), "unit_without_safety_rep")
    assert finding.severity == ERROR
    assert finding.rule_ref == "R4"


def test_r4_unit_with_safety_rep_has_no_safety_rep_finding(unit):
    person_with_role(Role.SAFETY_REP, unit)
    assert "unit_without_safety_rep" not in rules(unit_findings(unit))


def test_r4_chief_safety_rep_does_not_replace_the_local_safety_rep(unit):
    person_with_role(Role.CHIEF_SAFETY_REP, municipality=unit.municipality)
    assert "unit_without_safety_rep" in rules(unit_findings(unit))


# --- R4: all unions present ---------------------------------------------------------------------


def test_r4_union_present_without_local_rep_is_a_warning(unit):
    presence(unit, "NSF")
    person_with_role(Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet"))
    finding = the(unit_findings(unit), "union_without_rep")
    assert finding.severity == WARNING
    assert finding.rule_ref == "R4"
    assert "NSF" in finding.title
    assert "NSF" in finding.fix


def test_r4_union_present_with_local_rep_has_no_finding(unit):
    presence(unit, "NSF")
    person_with_role(Role.LOCAL_UNION_REP, unit, union=union("NSF"))
    assert "union_without_rep" not in rules(unit_findings(unit))


def test_r4_one_finding_per_unrepresented_union(unit):
    presence(unit, "Fagforbundet")
    presence(unit, "NSF")
    presence(unit, "Delta")
    person_with_role(Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet"))
    missing = [f for f in unit_findings(unit) if f.rule == "union_without_rep"]
    assert len(missing) == 2
    assert {
        name for f in missing for name in ("Delta", "NSF", "Fagforbundet") if name in f.title
    } == {
        "Delta",
        "NSF",
    }


def test_r4_union_not_present_needs_no_rep(unit):
    """Without a recorded presence there is nothing to check (the union has no members here)."""
    person_with_role(Role.UNIT_LEADER, unit)
    assert "union_without_rep" not in rules(unit_findings(unit))


def test_r4_rep_of_the_union_at_another_unit_does_not_count(unit):
    other = UnitFactory(municipality=unit.municipality)
    presence(unit, "NSF")
    person_with_role(Role.LOCAL_UNION_REP, other, union=union("NSF"))
    assert "union_without_rep" in rules(unit_findings(unit))


# --- R4: at least two of the three sides --------------------------------------------------------


@pytest.mark.parametrize(
    "roles",
    [
        [],
        [Role.UNIT_LEADER],
        [Role.UNIT_LEADER, Role.DEPARTMENT_LEADER],  # both are the leader side
        [Role.LOCAL_UNION_REP, Role.LOCAL_UNION_REP],
        [Role.SAFETY_REP],
    ],
)
def test_r4_party_group_with_fewer_than_two_role_kinds_is_an_error(unit, roles):
    for role in roles:
        person_with_role(role, unit)
    finding = the(unit_findings(unit), "party_group_too_few_roles")
    assert finding.severity == ERROR
    assert finding.rule_ref == "R4"
    kinds = len({"leader" if r in (Role.UNIT_LEADER, Role.DEPARTMENT_LEADER) else r for r in roles})
    assert str(kinds) in finding.explanation


@pytest.mark.parametrize(
    "roles",
    [
        [Role.UNIT_LEADER, Role.SAFETY_REP],
        [Role.DEPARTMENT_LEADER, Role.LOCAL_UNION_REP],
        [Role.LOCAL_UNION_REP, Role.SAFETY_REP],
    ],
)
def test_r4_party_group_with_two_role_kinds_is_not_too_small(unit, roles):
    for role in roles:
        person_with_role(role, unit)
    assert "party_group_too_few_roles" not in rules(unit_findings(unit))


def test_r4_employees_are_not_a_party_group_side(unit):
    person_with_role(Role.UNIT_LEADER, unit)
    person_with_role(Role.EMPLOYEE, unit)
    person_with_role(Role.EMPLOYEE, unit)
    assert "party_group_too_few_roles" in rules(unit_findings(unit))


# --- R5: roles, not persons ---------------------------------------------------------------------


def test_r5_party_group_resting_on_exactly_two_people_is_advice(unit):
    person_with_role(Role.UNIT_LEADER, unit)
    person_with_role(Role.SAFETY_REP, unit)
    findings = unit_findings(unit)
    finding = the(findings, "party_group_fragile")
    assert finding.severity == ADVICE
    assert finding.rule_ref == "R5"
    assert finding.color == "info"


def test_r5_fragility_counts_people_not_roles(unit):
    """One person holding two roles is still one person: three roles, two people → advice."""
    leader = person_with_role(Role.UNIT_LEADER, unit)
    person_with_role(Role.SAFETY_REP, unit)
    person_with_role(Role.LOCAL_UNION_REP, unit)
    assert "party_group_fragile" not in rules(unit_findings(unit))

    # Now only two people hold three roles.
    unit2 = UnitFactory(municipality=unit.municipality)
    give_role(leader, Role.UNIT_LEADER, unit=unit2)
    rep = person_with_role(Role.SAFETY_REP, unit2)
    give_role(rep, Role.LOCAL_UNION_REP, unit=unit2, union=union("NSF"))
    assert "party_group_fragile" in rules(unit_findings(unit2))


def test_r5_party_group_of_three_people_is_not_fragile(unit):
    person_with_role(Role.UNIT_LEADER, unit)
    person_with_role(Role.SAFETY_REP, unit)
    person_with_role(Role.LOCAL_UNION_REP, unit)
    assert "party_group_fragile" not in rules(unit_findings(unit))


def test_r5_two_people_of_the_same_side_is_too_few_roles_not_fragile(unit):
    """Two leaders: the R4 error is the finding, the R5 advice would only add noise."""
    person_with_role(Role.UNIT_LEADER, unit)
    person_with_role(Role.DEPARTMENT_LEADER, unit)
    found = rules(unit_findings(unit))
    assert "party_group_too_few_roles" in found
    assert "party_group_fragile" not in found


def test_r4_r5_complete_party_group_has_no_findings(unit):
    complete_party_group(unit)
    assert unit_findings(unit) == []


def test_findings_are_sorted_errors_first(unit):
    presence(unit, "NSF")
    person_with_role(Role.SAFETY_REP, unit)
    person_with_role(Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet"))
    severities = [f.severity for f in unit_findings(unit)]
    assert severities == sorted(severities, key=composition.SEVERITY_ORDER.__getitem__)
    assert severities[0] == ERROR and ADVICE in severities and WARNING in severities


# --- R5: periods: ended and future assignments do not count ------------------------------------


def test_r5_ended_role_assignment_does_not_count(unit):
    person_with_role(Role.UNIT_LEADER, unit, starts_on=LONG_AGO, ends_on=YESTERDAY)
    person_with_role(Role.SAFETY_REP, unit, starts_on=LONG_AGO, ends_on=YESTERDAY)
    found = rules(unit_findings(unit))
    assert {"unit_without_leader", "unit_without_safety_rep"} <= found


def test_r5_role_ending_today_still_counts(unit):
    person_with_role(Role.UNIT_LEADER, unit, starts_on=LONG_AGO, ends_on=TODAY)
    person_with_role(Role.SAFETY_REP, unit, starts_on=TODAY)
    found = rules(unit_findings(unit))
    assert "unit_without_leader" not in found
    assert "unit_without_safety_rep" not in found


def test_r5_future_role_assignment_does_not_count_yet(unit):
    person_with_role(Role.UNIT_LEADER, unit, starts_on=TOMORROW)
    assert "unit_without_leader" in rules(unit_findings(unit))
    # ...but it does on the day it starts (the check can be asked about another day).
    assert "unit_without_leader" not in rules(unit_findings(unit, on=TOMORROW))


def test_r5_ended_union_rep_leaves_the_union_unrepresented(unit):
    presence(unit, "NSF")
    person_with_role(
        Role.LOCAL_UNION_REP, unit, union=union("NSF"), starts_on=LONG_AGO, ends_on=YESTERDAY
    )
    assert "union_without_rep" in rules(unit_findings(unit))


def test_r5_history_answers_who_held_the_role_back_then(unit):
    person_with_role(Role.UNIT_LEADER, unit, starts_on=LONG_AGO, ends_on=datetime.date(2021, 1, 1))
    assert "unit_without_leader" in rules(unit_findings(unit))
    assert "unit_without_leader" not in rules(unit_findings(unit, on=datetime.date(2020, 6, 1)))


def test_r1_ended_chief_safety_rep_does_not_count(municipality):
    steering_group(municipality, chief_safety_rep=False)
    person_with_role(
        Role.CHIEF_SAFETY_REP, municipality=municipality, starts_on=LONG_AGO, ends_on=YESTERDAY
    )
    person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality, starts_on=TOMORROW)
    assert rules(steering_findings(municipality)) == {"steering_without_chief_safety_rep"}


def test_r1_ended_opposition_politician_does_not_count(municipality):
    steering_group(municipality, opposition=False)
    person_with_role(
        Role.POLITICIAN,
        municipality=municipality,
        side=PoliticalSide.OPPOSITION,
        starts_on=LONG_AGO,
        ends_on=YESTERDAY,
    )
    assert "steering_without_opposition" in rules(steering_findings(municipality))


# --- R1: steering group -------------------------------------------------------------------------


def test_r1_fully_composed_steering_group_has_no_findings(municipality):
    steering_group(municipality)
    assert steering_findings(municipality) == []


def test_r1_steering_group_without_opposition_is_a_warning(municipality):
    steering_group(municipality, opposition=False)
    findings = steering_findings(municipality)
    assert rules(findings) == {"steering_without_opposition"}
    finding = the(findings, "steering_without_opposition")
    assert finding.severity == WARNING
    assert finding.rule_ref == "R1"
    assert finding.unit is None


def test_r1_steering_group_with_opposition_has_no_opposition_finding(municipality):
    person_with_role(Role.POLITICIAN, municipality=municipality, side=PoliticalSide.OPPOSITION)
    assert "steering_without_opposition" not in rules(steering_findings(municipality))


def test_r1_steering_group_without_chief_safety_rep_is_a_warning(municipality):
    steering_group(municipality, chief_safety_rep=False)
    findings = steering_findings(municipality)
    assert rules(findings) == {"steering_without_chief_safety_rep"}
    finding = the(findings, "steering_without_chief_safety_rep")
    assert finding.severity == WARNING
    assert finding.rule_ref == "R1"


def test_r1_steering_group_with_chief_safety_rep_has_no_such_finding(municipality):
    person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality)
    assert "steering_without_chief_safety_rep" not in rules(steering_findings(municipality))


def test_r1_unequal_party_sizes_is_a_warning(municipality):
    steering_group(municipality, politicians=4, administration=3, chief_reps=3)
    findings = steering_findings(municipality)
    assert rules(findings) == {"steering_unequal_parties"}
    finding = the(findings, "steering_unequal_parties")
    assert finding.severity == WARNING
    assert finding.rule_ref == "R1"
    assert "4" in finding.explanation and "3" in finding.explanation


def test_r1_equal_party_sizes_has_no_balance_finding(municipality):
    steering_group(municipality, politicians=2, administration=2, chief_reps=2)
    assert "steering_unequal_parties" not in rules(steering_findings(municipality))


def test_r1_party_size_counts_people_not_assignments(municipality):
    """A politician with two overlapping seats (e.g. re-registered) is one member."""
    steering_group(municipality)
    politician = person_with_role(
        Role.POLITICIAN, municipality=municipality, side=PoliticalSide.POSITION
    )
    give_role(politician, Role.POLITICIAN, side=PoliticalSide.POSITION, starts_on=TODAY)
    person_with_role(Role.ADMINISTRATION, municipality=municipality)
    person_with_role(Role.CHIEF_UNION_REP, municipality=municipality, union=union("Delta"))
    assert steering_findings(municipality) == []


def test_r1_fewer_than_three_per_party_is_advice_only(municipality):
    steering_group(municipality, politicians=2, administration=2, chief_reps=2)
    findings = steering_findings(municipality)
    assert rules(findings) == {"steering_small_parties"}
    finding = the(findings, "steering_small_parties")
    assert finding.severity == ADVICE
    assert finding.severity not in (WARNING, ERROR)
    assert finding.rule_ref == "R1"
    assert "2" in finding.explanation


def test_r1_one_small_party_is_both_unequal_and_small(municipality):
    steering_group(municipality, politicians=3, administration=2, chief_reps=3)
    findings = steering_findings(municipality)
    assert rules(findings) == {"steering_unequal_parties", "steering_small_parties"}
    assert the(findings, "steering_small_parties").severity == ADVICE
    assert [f.severity for f in findings] == [WARNING, ADVICE]


def test_r1_three_or_more_per_party_has_no_size_advice(municipality):
    steering_group(municipality, politicians=4, administration=4, chief_reps=4)
    assert "steering_small_parties" not in rules(steering_findings(municipality))


def test_r1_empty_steering_group_gets_advice_and_chief_safety_rep_warning(municipality):
    """No politicians at all is not reported as 'no opposition'; the size advice covers it."""
    assert rules(steering_findings(municipality)) == {
        "steering_without_chief_safety_rep",
        "steering_small_parties",
    }


def test_r1_r4_unit_roles_are_not_steering_group_members(municipality, unit):
    steering_group(municipality)
    person_with_role(Role.UNIT_LEADER, unit)
    person_with_role(Role.LOCAL_UNION_REP, unit)
    assert steering_findings(municipality) == []


# --- composition_issues and tenants -------------------------------------------------------------


def test_composition_issues_covers_every_unit_and_the_steering_group(municipality, unit):
    complete_party_group(unit)
    empty = UnitFactory(municipality=municipality)
    issues = composition.composition_issues(municipality)
    assert issues["units"][unit.pk] == []
    assert {"unit_without_leader", "unit_without_safety_rep", "party_group_too_few_roles"} <= rules(
        issues["units"][empty.pk]
    )
    assert "steering_without_chief_safety_rep" in rules(issues["steering_group"])
    assert {s.unit.pk for s in issues["snapshots"]} == {unit.pk, empty.pk}


def test_roles_in_another_municipality_do_not_count(municipality, other_municipality):
    steering_group(other_municipality)
    other_unit = UnitFactory(municipality=other_municipality)
    complete_party_group(other_unit)
    issues = composition.composition_issues(municipality)
    assert issues["units"] == {}
    assert "steering_without_chief_safety_rep" in rules(issues["steering_group"])


def test_snapshot_query_count_does_not_grow_with_units(db, django_assert_max_num_queries):
    municipality = MunicipalityFactory()
    for _i in range(5):
        complete_party_group(UnitFactory(municipality=municipality))
    with django_assert_max_num_queries(4):
        composition.composition_issues(municipality)


# --- the explanation is produced in the active language (nb) -----------------------------------


def all_findings(unit, municipality):
    return {f.rule: f for f in unit_findings(unit) + steering_findings(municipality)}


def nb_is_compiled() -> bool:
    with translation.override("nb"):
        return translation.gettext("Advice") != "Advice"


def test_findings_are_explained_in_norwegian_when_nb_is_active(unit, municipality):
    """Texts are translated when the check runs, in the active language, not at import time.

    The nb catalogue may not be compiled yet, so the test checks structure, severity and rule
    codes, and only compares with English where a catalogue exists, not fixed Norwegian wording.
    """
    presence(unit, "NSF")
    person_with_role(Role.SAFETY_REP, unit)
    steering_group(municipality, politicians=2, administration=2, chief_reps=2, opposition=False)
    with translation.override("en"):
        english = all_findings(unit, municipality)
        english_labels = {f.rule: f.severity_label for f in english.values()}
    with translation.override("nb"):
        assert translation.get_language() == "nb"
        norwegian = all_findings(unit, municipality)
        labels = {f.rule: f.severity_label for f in norwegian.values()}
        expected_labels = {
            ERROR: translation.gettext("Missing"),
            WARNING: translation.gettext("Should be fixed"),
            ADVICE: translation.gettext("Advice"),
        }

    assert (
        set(norwegian)
        == set(english)
        == {
            "unit_without_leader",
            "union_without_rep",
            "party_group_too_few_roles",
            "steering_without_opposition",
            "steering_small_parties",
        }
    )
    for rule, finding in norwegian.items():
        assert (finding.severity, finding.rule_ref) == (
            english[rule].severity,
            english[rule].rule_ref,
        )
        assert labels[rule] == expected_labels[finding.severity]
        for text in (finding.title, finding.explanation, finding.fix):
            assert isinstance(text, str) and text.strip()
            assert "%(" not in text and "%d" not in text  # every placeholder filled in
    assert "NSF" in norwegian["union_without_rep"].title
    assert "2" in norwegian["steering_small_parties"].explanation
    assert "1" in norwegian["party_group_too_few_roles"].explanation
    if nb_is_compiled():
        for rule, finding in norwegian.items():
            assert finding.title != english[rule].title, rule
            assert finding.explanation != english[rule].explanation, rule
            assert finding.fix != english[rule].fix, rule
            assert labels[rule] != english_labels[rule], rule


def test_the_same_snapshot_can_be_explained_in_either_language(unit):
    """Findings are built per call, so one request in nb and the next in en each get their own."""
    person_with_role(Role.SAFETY_REP, unit)
    [snapshot] = composition.unit_snapshots(unit.municipality, units=[unit])
    with translation.override("nb"):
        first = composition.unit_findings(snapshot)
    with translation.override("en"):
        second = composition.unit_findings(snapshot)
    assert [(f.rule, f.severity, f.rule_ref) for f in first] == [
        (f.rule, f.severity, f.rule_ref) for f in second
    ]
    assert [f.rule for f in second] == ["unit_without_leader", "party_group_too_few_roles"]
    if nb_is_compiled():
        assert first[0].title != second[0].title
