"""Sessions (issue 15 part 5): they end after a time without use, logging out ends them on the
server, "Log out on every other device" ends every other session at once (this device stays
logged in, decided in trepart/accounts/views.py), and so do a new password, an erasure and a
deactivation.

Time is moved by replacing django.utils.timezone.now (the session store, the expiry and
SessionIdleMiddleware all read it through the module).
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory, person_with_role
from trepart.accounts.models import User
from trepart.accounts.sessions import REFRESHED_KEY
from trepart.organisation.models import Role

pytestmark = pytest.mark.django_db

OWN_PAGE = reverse("accounts:own_page")
LOGIN = reverse("accounts:login")
EVERYWHERE = reverse("accounts:logout_everywhere")
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person(municipality):
    return UserFactory(municipality=municipality, email="liv.berg@fjordby.kommune.no")


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def move(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def logged_in(person) -> Client:
    """A client that logs in through the login page, as a browser does."""
    client = Client()
    response = client.post(LOGIN, {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302, response
    return client


def is_logged_in(client) -> bool:
    response = client.get(OWN_PAGE)
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    return False


def session_row(client) -> Session | None:
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Session.objects.filter(session_key=key).first()


# --- idle expiry -----------------------------------------------------------------------------------


def test_idle_time_comes_from_the_environment_and_sets_the_session_lifetime():
    """SESSION_IDLE_MINUTES (docs/configuration.md): 120 by default, never under 5."""

    def read(**env):
        clean = {k: v for k, v in os.environ.items() if k != "SESSION_IDLE_MINUTES"}
        clean.update(env, PYTHONPATH=str(BASE_DIR), DEBUG="1")
        code = (
            "import trepart.settings as s; print(s.SESSION_COOKIE_AGE, s.SESSION_REFRESH_SECONDS)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            env=clean,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return tuple(int(v) for v in result.stdout.split())

    assert read() == (120 * 60, 300)
    assert read(SESSION_IDLE_MINUTES="30") == (30 * 60, 180)
    assert read(SESSION_IDLE_MINUTES="1")[0] == 5 * 60
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST  # one write per refresh, not per page


def test_session_unused_longer_than_the_idle_time_is_refused(person, clock):
    client = logged_in(person)
    assert (
        int(client.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == settings.SESSION_COOKIE_AGE
    )
    clock.move(seconds=settings.SESSION_COOKIE_AGE + 60)
    assert not is_logged_in(client)
    # Logging in again works.
    assert is_logged_in(logged_in(person))


def test_session_in_use_stays_alive_past_the_idle_time(person, clock):
    idle = settings.SESSION_COOKIE_AGE
    client = logged_in(person)
    clock.move(seconds=idle - 600)
    assert is_logged_in(client)  # used: the end moves forward
    clock.move(seconds=idle - 60)
    assert is_logged_in(
        client
    )  # long after the first end, but within the idle time of the last use
    clock.move(seconds=idle + 60)
    assert not is_logged_in(client)


def test_pages_soon_after_a_refresh_write_no_session(person, clock):
    """SessionIdleMiddleware saves the session at most every SESSION_REFRESH_SECONDS."""
    client = logged_in(person)
    first = session_row(client).expire_date
    clock.move(seconds=settings.SESSION_REFRESH_SECONDS - 10)
    assert is_logged_in(client)
    assert session_row(client).expire_date == first
    clock.move(seconds=20)
    assert is_logged_in(client)
    assert session_row(client).expire_date > first
    assert client.session[REFRESHED_KEY] == int(clock.now.timestamp())


def test_a_session_without_a_refresh_stamp_is_stamped_and_kept(person):
    """Sessions from before the idle check (no stamp) keep working and get one."""
    client = logged_in(person)
    session = client.session
    del session[REFRESHED_KEY]
    session.save()
    assert is_logged_in(client)
    assert REFRESHED_KEY in client.session


def test_anonymous_pages_get_no_session(db):
    client = Client()
    client.get(LOGIN)
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert not Session.objects.exists()


# --- logout --------------------------------------------------------------------------------------


def test_logout_ends_the_session_on_the_server(person):
    client = logged_in(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=cookie).exists()
    # A copy of the old cookie (another tab, a stolen cookie) is worth nothing.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert not is_logged_in(replay)


def test_logout_is_post_only(person):
    client = logged_in(person)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert is_logged_in(client)


# --- log out everywhere --------------------------------------------------------------------------


def test_log_out_everywhere_ends_other_devices_and_keeps_this_one(person, municipality):
    phone, tablet, laptop = logged_in(person), logged_in(person), logged_in(person)
    colleague = UserFactory(municipality=municipality)
    colleague_client = logged_in(colleague)
    old_key = laptop.cookies[settings.SESSION_COOKIE_NAME].value

    response = laptop.post(EVERYWHERE)
    assert response.status_code == 302
    assert response["Location"] == OWN_PAGE

    person.refresh_from_db()
    assert person.session_generation == 1
    assert is_logged_in(laptop)
    assert laptop.cookies[settings.SESSION_COOKIE_NAME].value != old_key  # a new session key
    assert laptop.session[HASH_SESSION_KEY] == person.get_session_auth_hash()
    for other in (phone, tablet):
        key = other.cookies[settings.SESSION_COOKIE_NAME].value
        assert not is_logged_in(other)
        assert not Session.objects.filter(session_key=key).exists()  # flushed on first use
    assert is_logged_in(colleague_client)  # only the person's own sessions


def test_log_out_everywhere_twice_ends_sessions_made_in_between(person):
    laptop = logged_in(person)
    laptop.post(EVERYWHERE)
    phone = logged_in(person)  # logged in again after the first time
    laptop.post(EVERYWHERE)
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)
    person.refresh_from_db()
    assert person.session_generation == 2


def test_log_out_everywhere_is_post_only_and_needs_login(person):
    client = logged_in(person)
    assert client.get(EVERYWHERE).status_code == 405
    anonymous = Client().post(EVERYWHERE)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(LOGIN)
    person.refresh_from_db()
    assert person.session_generation == 0


def test_log_out_everywhere_needs_the_csrf_token(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post(EVERYWHERE).status_code == 403
    person.refresh_from_db()
    assert person.session_generation == 0


def test_own_page_offers_log_out_everywhere(person):
    body = logged_in(person).get(OWN_PAGE).content.decode()
    assert f'action="{EVERYWHERE}"' in body
    assert 'data-testid="logout-everywhere"' in body


def test_admin_keeps_the_second_factor_on_this_device(admin_user):
    """update_session_auth_hash keeps the session's data: no new code asked on this device."""
    client = client_for(admin_user)
    other = client_for(admin_user)
    manage = reverse("organisation:manage")
    assert client.get(manage).status_code == 200
    client.post(EVERYWHERE)
    assert client.get(manage).status_code == 200
    response = other.get(manage)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_generation_zero_keeps_djangos_hash_so_old_sessions_survive_the_upgrade(person):
    assert person.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(person)
    person.session_generation = 1
    assert person.get_session_auth_hash() != AbstractBaseUser.get_session_auth_hash(person)


def test_fallback_secret_keeps_sessions_after_a_key_rotation(person, settings):
    """SECRET_KEY_FALLBACKS still works with a raised generation (Django re-signs the hash)."""
    client = logged_in(person)
    client.post(EVERYWHERE)
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    assert is_logged_in(client)


# --- other ways a person's sessions end -------------------------------------------------------------


def test_new_password_ends_every_session(person):
    phone = logged_in(person)
    person.set_password("et-helt-nytt-passord-2026")
    person.save()
    assert not is_logged_in(phone)


def test_erasure_by_the_municipal_admin_ends_the_persons_sessions(person, admin_user):
    from trepart.personaldata.services import person_erase

    phone = logged_in(person)
    person_erase(admin_user, person)
    assert not is_logged_in(phone)


def test_deactivation_ends_sessions_for_good(person):
    """The technical admin (platform operators) is where a person is deactivated; made active
    again, the old sessions stay ended."""
    operator = UserFactory(municipality=None, is_staff=True, is_superuser=True)
    phone = logged_in(person)
    admin = Client()
    admin.force_login(operator)
    response = admin.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": person.email,
            "full_name": person.full_name,
            "phone": "",
            "municipality": person.municipality_id,
            # is_active left out: unticked
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert not person.is_active
    assert person.session_generation == 1
    assert not is_logged_in(phone)

    User.objects.filter(pk=person.pk).update(is_active=True)
    assert not is_logged_in(phone)
    assert is_logged_in(logged_in(person))


def test_sessions_of_a_person_with_a_role_end_too(unit):
    """The check is in the auth hash, whatever the person's role or how they logged in."""
    leader = person_with_role(Role.UNIT_LEADER, unit)
    forced = client_for(leader)
    assert SESSION_KEY in forced.session
    logged_in(leader).post(EVERYWHERE)
    assert not is_logged_in(forced)


@pytest.mark.django_db
def test_daily_deletes_ended_sessions():
    """`manage.py daily` deletes sessions that have ended (like Django's clearsessions), so the
    table holds only live sessions."""
    import io

    from django.core.management import call_command

    from trepart.accounts.sessions import clear_expired
    from trepart.core import hooks

    assert clear_expired in hooks.get_hooks(hooks.DAILY_JOBS)
    past = timezone.now() - datetime.timedelta(minutes=1)
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=past)
    live = Session.objects.create(
        session_key="y" * 32, session_data="", expire_date=past + datetime.timedelta(days=1)
    )
    call_command("daily", "--now", stdout=io.StringIO())
    assert list(Session.objects.values_list("pk", flat=True)) == [live.pk]


# --- the absolute limit ----------------------------------------------------------------------------


def test_a_session_in_use_ends_anyway_after_the_maximum_hours(person, clock):
    """SESSION_MAX_HOURS: a login used all the time (a shared ward computer) still ends."""
    client = logged_in(person)
    step = settings.SESSION_COOKIE_AGE - 600  # always within the idle time
    used = 0
    while used + step < settings.SESSION_MAX_HOURS * 3600:
        clock.move(seconds=step)
        used += step
        assert is_logged_in(client), used
    clock.move(seconds=settings.SESSION_MAX_HOURS * 3600 - used)
    assert not is_logged_in(client)
    assert is_logged_in(logged_in(person))  # a new login starts a new day


def test_the_maximum_comes_from_the_environment(settings, person, clock):
    settings.SESSION_MAX_HOURS = 1
    client = logged_in(person)
    clock.move(minutes=59)
    assert is_logged_in(client)
    clock.move(minutes=2)
    assert not is_logged_in(client)


def test_a_session_from_before_the_login_stamp_is_kept(person, clock):
    """Sessions made before the absolute limit have no login time: kept while used (the idle
    limit still ends them), not ended at once and not a crash."""
    client = logged_in(person)
    session = client.session
    del session["_trepart_login_at"]
    session.save()
    step = settings.SESSION_COOKIE_AGE - 600
    for _ in range(settings.SESSION_MAX_HOURS * 3600 // step + 2):
        clock.move(seconds=step)
        assert is_logged_in(client)
