"""Vacancies computed from the data, the Handover records and the notifications (R4, R5, R6)."""

from __future__ import annotations

import io

import pytest
from django.core import mail

from tests.continuity.conftest import days
from tests.factories import UnitFactory, UserFactory, give_role, presence
from trepart.continuity import daily, selectors, services
from trepart.continuity.models import Handover, Welcome
from trepart.core import hooks
from trepart.organisation import services as org_services
from trepart.organisation.models import Role, RoleAssignment


def _seat(w, role, union=None, on=None):
    seats = selectors.seats(w["municipality"].pk, on=on)[w["unit"].pk]
    return next(s for s in seats if s.role == role and s.union == union)


def _ff_assignment(w):
    return RoleAssignment.objects.get(person=w["ff_rep"], role=Role.LOCAL_UNION_REP)


def _sync(w, on=None):
    services.handovers_sync(w["municipality"], on)
    return services.notifications_send(w["municipality"], on)


def test_full_group_has_no_vacancy(world):
    """R4: leader, a rep for each union present and a safety rep: nothing vacant."""
    assert selectors.vacancies(world["municipality"].pk) == []


def test_union_present_without_rep_is_vacant_since_unknown(world):
    """R4: a union with members at the unit needs a local rep; never held: since unknown."""
    presence(world["unit"], "Delta")
    [seat] = selectors.vacancies(world["municipality"].pk)
    assert seat.role == Role.LOCAL_UNION_REP and seat.union.short_name == "Delta"
    assert seat.vacant_since is None
    assert seat.days_vacant is None and not seat.flagged


def test_ended_rep_opens_a_vacancy_the_day_after(world):
    """R5: vacant since the day after the last holder's period ended."""
    RoleAssignment.objects.filter(pk=_ff_assignment(world).pk).update(ends_on=days(-40))
    seat = _seat(world, Role.LOCAL_UNION_REP, world["ff"])
    assert seat.vacant and seat.vacant_since == days(-39)
    assert seat.days_vacant == 39 and seat.flagged  # default: flagged after 30 days


def test_flag_days_setting(world, settings):
    settings.VACANCY_FLAG_DAYS = 60
    RoleAssignment.objects.filter(pk=_ff_assignment(world).pk).update(ends_on=days(-40))
    assert not _seat(world, Role.LOCAL_UNION_REP, world["ff"]).flagged


def test_vacancies_are_per_unit_and_municipality(world):
    """Other units and another municipality's unit do not count here."""
    UnitFactory(municipality=world["other_unit"].municipality)  # no roles at all
    assert selectors.vacancies(world["municipality"].pk) == []


def test_sync_is_idempotent_and_tells_the_chief_once(world):
    """R6: the chief union rep of that union is told of the vacancy once; nobody else."""
    RoleAssignment.objects.filter(pk=_ff_assignment(world).pk).update(ends_on=days(-3))
    assert _sync(world) == 1
    _sync(world)
    assert Handover.objects.count() == 1
    [message] = mail.outbox
    assert message.to == [world["chief_ff"].email]
    assert "Solsiden sykehjem" in message.body
    h = Handover.objects.get()
    assert h.vacant_since == days(-2) and h.open_notified_at is not None and h.is_open


def test_filled_vacancy_tells_chief_and_welcomes_newcomer_once(world):
    RoleAssignment.objects.filter(pk=_ff_assignment(world).pk).update(ends_on=days(-10))
    _sync(world)
    mail.outbox.clear()
    newcomer = UserFactory(municipality=world["municipality"], full_name="Nora Ny")
    give_role(newcomer, Role.LOCAL_UNION_REP, world["unit"], union=world["ff"], starts_on=days(0))
    assert _sync(world) == 2
    assert _sync(world) == 0
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {world["chief_ff"].email, newcomer.email}
    assert "Nora Ny" in by_to[world["chief_ff"].email].body
    welcome = by_to[newcomer.email]
    assert f"/units/{world['unit'].pk}/welcome/" in welcome.body
    h = Handover.objects.get()
    assert h.filled_on == days(0) and h.newcomer.person == newcomer
    assert Welcome.objects.get().sent_at is not None


def test_a_welcome_interrupted_before_it_was_marked_is_not_sent_twice(world):
    """Issue 15: the welcome is sent, then marked; a worker killed in between runs the job
    again, and the newcomer gets it once (before, it was marked first and then lost)."""
    newcomer = UserFactory(municipality=world["municipality"], full_name="Nora Ny")
    give_role(newcomer, Role.LOCAL_UNION_REP, world["unit"], union=world["ff"], starts_on=days(0))
    _sync(world)
    welcomes = [m for m in mail.outbox if m.to == [newcomer.email]]
    assert len(welcomes) == 1
    Welcome.objects.update(sent_at=None)  # the kill: sent, not yet marked
    _sync(world)
    assert len([m for m in mail.outbox if m.to == [newcomer.email]]) == 1
    assert Welcome.objects.get().sent_at is not None


def test_seamless_change_still_tells_the_chief_who_is_new(world):
    """A successor who starts the day after: no vacancy, but the chief hears of the newcomer."""
    RoleAssignment.objects.filter(pk=_ff_assignment(world).pk).update(ends_on=days(-1))
    newcomer = UserFactory(municipality=world["municipality"])
    give_role(newcomer, Role.LOCAL_UNION_REP, world["unit"], union=world["ff"], starts_on=days(0))
    _sync(world)
    chief_mail = [m for m in mail.outbox if m.to == [world["chief_ff"].email]]
    assert len(chief_mail) == 1 and newcomer.full_name in chief_mail[0].body
    h = Handover.objects.get()
    assert h.open_notified_at is None and h.newcomer.person == newcomer


def test_safety_vacancy_goes_to_the_chief_safety_rep(world):
    RoleAssignment.objects.filter(person=world["safety_rep"]).update(ends_on=days(-1))
    _sync(world)
    assert [m.to for m in mail.outbox] == [[world["chief_safety"].email]]


def test_member_with_another_role_in_the_group_gets_no_welcome(world):
    give_role(world["safety_rep"], Role.DEPARTMENT_LEADER, world["unit"], starts_on=days(0))
    _sync(world)
    assert not [m for m in mail.outbox if m.to == [world["safety_rep"].email]]


def test_future_end_date_opens_the_vacancy_on_that_day_via_the_daily_job(world):
    """R5: an end date registered ahead opens the vacancy on the day after it, by the daily
    job (registered in hooks.DAILY_JOBS)."""
    assert daily.handovers in hooks.get_hooks(hooks.DAILY_JOBS)
    RoleAssignment.objects.filter(pk=_ff_assignment(world).pk).update(ends_on=days(5))
    ours = Handover.objects.filter(municipality=world["municipality"])
    out = io.StringIO()
    daily.handovers(days(0), out, now=True)
    assert not ours.exists() and not mail.outbox
    daily.handovers(days(5), out)  # enqueued; the test backend runs it at once
    assert not ours.exists()
    daily.handovers(days(6), out)
    h = ours.get()
    assert h.vacant_since == days(6) and h.noticed_on == days(6)
    assert [m.to for m in mail.outbox] == [[world["chief_ff"].email]]


def test_role_end_through_the_service_triggers_the_job(world, django_capture_on_commit_callbacks):
    """hooks.ROLES_CHANGED: ending a role in the organisation service runs the sync job."""
    with django_capture_on_commit_callbacks(execute=True):
        org_services.role_end(
            actor=world["admin"], assignment=_ff_assignment(world), ends_on=days(-1)
        )
    assert Handover.objects.filter(unit=world["unit"], union=world["ff"]).exists()
    assert [m.to for m in mail.outbox] == [[world["chief_ff"].email]]
    newcomer = UserFactory(municipality=world["municipality"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        org_services.role_assign(
            actor=world["admin"],
            municipality=world["municipality"],
            person=newcomer,
            role=Role.LOCAL_UNION_REP,
            unit=world["unit"],
            union=world["ff"],
            starts_on=days(0),
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world["chief_ff"].email, newcomer.email])


def test_removed_union_presence_closes_the_open_row(world):
    RoleAssignment.objects.filter(pk=_ff_assignment(world).pk).update(ends_on=days(-3))
    _sync(world)
    world["unit"].union_presences.filter(union=world["ff"]).delete()
    _sync(world)
    assert not Handover.objects.exists()


@pytest.mark.parametrize("lang,word", [("nb", "hei "), ("nn", "hei ")])
def test_mail_in_the_municipality_language(world, lang, word):
    """The e-mail is written in the municipality's language (the greeting is translated)."""
    world["municipality"].default_language = lang
    world["municipality"].save()
    RoleAssignment.objects.filter(pk=_ff_assignment(world).pk).update(ends_on=days(-3))
    _sync(world)
    assert word in (mail.outbox[0].subject + mail.outbox[0].body).lower()
