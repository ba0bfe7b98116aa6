"""Invitations (issue 10, point 1): a one-time, expiring link to choose a first password, sent by
a background job; its state on the person's page and "send again" (P0, P8).

Only a municipal administrator of the person's own municipality may invite (others 403, another
municipality 404); the link works once, expires, stops working when a newer one is sent, and
pages about a link never name anybody.
"""

import datetime
import re
from html import escape

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.conftest import client_for
from tests.factories import MunicipalityFactory, UserFactory, person_with_role
from trepart.accounts import selectors, services
from trepart.accounts.models import Invitation, User
from trepart.accounts.tasks import send_invitations
from trepart.core.models import RateLimitBucket
from trepart.organisation import services as organisation_services
from trepart.organisation.models import Role

LINK = re.compile(r"https?://[^\s]+/accounts/invitation/([^/\s]+)/")
NEW_PASSWORD = "Blåbærsyltetøy-2026"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def newcomer(municipality):
    """Someone an administrator added or imported: no password yet."""
    person = UserFactory(
        municipality=municipality, email="ny.ansatt@fjordby.test", full_name="Nina Nyansatt"
    )
    person.set_unusable_password()
    person.save()
    return person


def invite(client, person, capture):
    with capture(execute=True):
        return client.post(reverse("organisation:person_invite", args=[person.pk]))


def link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return reverse("accounts:invitation_accept", args=[match.group(1)])


def person_page(client, person) -> str:
    response = client.get(reverse("organisation:person_detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- sending ----------------------------------------------------------------------------------------


def test_admin_sends_invitation_and_the_job_mails_a_one_time_link(
    admin_user, newcomer, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    response = invite(client, newcomer, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url.endswith("#access")
    [message] = mail.outbox
    assert message.to == ["ny.ansatt@fjordby.test"]
    assert newcomer.municipality.name in message.subject
    assert "Nina Nyansatt" in message.body and admin_user.full_name in message.body
    token = LINK.search(message.body).group(1)
    invitation = Invitation.objects.get()
    assert invitation.invited_by == admin_user and invitation.sent_at is not None
    # Only a hash of the token is stored: the database holds no usable link.
    assert invitation.token_hash == services.token_hash(token) != token
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=14)


def test_nothing_is_mailed_before_the_transaction_commits(admin_user, newcomer):
    """The job is enqueued on commit: a rolled-back request never sends a link."""
    client_for(admin_user).post(reverse("organisation:person_invite", args=[newcomer.pk]))
    assert mail.outbox == []
    assert Invitation.objects.get().state() == Invitation.State.QUEUED


def test_invitation_is_written_in_the_municipality_language(
    newcomer, django_capture_on_commit_callbacks
):
    newcomer.municipality.default_language = "nn"
    newcomer.municipality.save()
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=newcomer.municipality)
    invite(client_for(admin), newcomer, django_capture_on_commit_callbacks)
    with translation.override("nn"):
        expected = gettext("Open this link to choose your password:")
    assert expected in mail.outbox[0].body


# --- the link -----------------------------------------------------------------------------------------


def test_link_sets_the_password_once_and_logs_in_then_is_refused(
    admin_user, newcomer, django_capture_on_commit_callbacks
):
    invite(client_for(admin_user), newcomer, django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])
    browser = Client()
    page = browser.get(url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"  # the token never leaves the site
    assert "no-store" in page["Cache-Control"]
    assert newcomer.email in page.content.decode()

    response = browser.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home:home")
    assert browser.session[SESSION_KEY] == str(newcomer.pk)
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    assert Invitation.objects.get().state() == Invitation.State.ACCEPTED

    # A second use is refused, by GET and by POST, and changes nothing.
    again = Client().get(url)
    assert again.status_code == 410
    with translation.override("nb"):
        used = gettext(
            "This link has already been used: a password has been chosen for the account. Log in "
            "with your e-mail address and that password."
        )
    assert escape(used) in again.content.decode()
    refused = Client().post(url, {"new_password1": "Annet-passord-99", "new_password2": "x"})
    assert refused.status_code == 410
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_a_bad_password_is_refused_next_to_the_field_and_the_link_still_works(
    admin_user, newcomer, django_capture_on_commit_callbacks
):
    invite(client_for(admin_user), newcomer, django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])
    response = Client().post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "id_new_password2_error" in html
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert Invitation.objects.get().state() == Invitation.State.SENT
    assert Client().get(url).status_code == 200


def test_expired_link_is_refused(admin_user, newcomer, django_capture_on_commit_callbacks):
    invite(client_for(admin_user), newcomer, django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = Client().post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert (
        "forgot" in response.content.decode().lower()
        or reverse("accounts:password_reset") in response.content.decode()
    )
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert Invitation.objects.get().state() == Invitation.State.EXPIRED


def test_sending_again_makes_the_older_link_stop_working(
    admin_user, newcomer, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    invite(client, newcomer, django_capture_on_commit_callbacks)
    invite(client, newcomer, django_capture_on_commit_callbacks)
    first, second = (link_in(m) for m in mail.outbox)
    assert first != second
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200
    states = sorted(i.state() for i in Invitation.objects.all())
    assert states == [Invitation.State.SENT, Invitation.State.SUPERSEDED]


def test_unknown_link_is_a_404_that_names_nobody(newcomer):
    for token in ("not-a-token", "x" * 43, "ø" * 200):
        response = Client().get(reverse("accounts:invitation_accept", args=[token]))
        assert response.status_code == 404
        html = response.content.decode()
        assert newcomer.email not in html and newcomer.full_name not in html


def test_used_and_replaced_pages_name_nobody(
    admin_user, newcomer, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    invite(client, newcomer, django_capture_on_commit_callbacks)
    invite(client, newcomer, django_capture_on_commit_callbacks)
    for message in mail.outbox:
        Client().post(
            link_in(message), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
    for message in mail.outbox:
        html = Client().get(link_in(message)).content.decode()
        assert newcomer.email not in html and "Nyansatt" not in html


def test_link_is_refused_once_the_person_chose_a_password_another_way(
    admin_user, newcomer, django_capture_on_commit_callbacks
):
    invite(client_for(admin_user), newcomer, django_capture_on_commit_callbacks)
    newcomer.set_password("Via-glemt-passord-1")
    newcomer.save()
    assert Client().get(link_in(mail.outbox[0])).status_code == 410


def test_accepting_twice_at_once_lets_only_one_through(
    admin_user, newcomer, django_capture_on_commit_callbacks
):
    invite(client_for(admin_user), newcomer, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    stale = Invitation.objects.get()  # the second request loaded it before the first saved
    services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    with pytest.raises(services.InvitationNotValid):
        services.invitation_accept(invitation=stale, password="Et-annet-passord-77")
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_logged_in_as_someone_else_the_link_logs_in_the_invited_person(
    admin_user, newcomer, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    invite(client, newcomer, django_capture_on_commit_callbacks)
    client.post(
        link_in(mail.outbox[0]), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert client.session[SESSION_KEY] == str(newcomer.pk)


# --- who may be invited, and how often ----------------------------------------------------------------


def test_person_with_a_password_is_not_invited(admin_user, municipality):
    person = UserFactory(municipality=municipality)  # has a password
    with pytest.raises(ValidationError):
        organisation_services.person_invite(actor=admin_user, person=person)
    response = client_for(admin_user).post(
        reverse("organisation:person_invite", args=[person.pk]), follow=True
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert "Send invitation" not in person_page(client_for(admin_user), person)


def test_deactivated_person_is_not_invited(admin_user, newcomer):
    newcomer.is_active = False
    newcomer.save()
    with pytest.raises(ValidationError):
        organisation_services.person_invite(actor=admin_user, person=newcomer)
    assert not Invitation.objects.exists()


def test_one_person_cannot_be_sent_invitations_without_end(admin_user, newcomer):
    RateLimitBucket.objects.all().delete()
    for _ in range(5):
        organisation_services.person_invite(actor=admin_user, person=newcomer)
    with pytest.raises(ValidationError):
        organisation_services.person_invite(actor=admin_user, person=newcomer)
    assert Invitation.objects.count() == 5


# --- permissions and tenancy ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.EMPLOYEE, Role.UNIT_LEADER, Role.LOCAL_UNION_REP, Role.ADMINISTRATION]
)
def test_other_roles_get_403_on_sending(role, unit, newcomer):
    someone = person_with_role(
        role, unit if role != Role.ADMINISTRATION else None, municipality=unit.municipality
    )
    response = client_for(someone).post(reverse("organisation:person_invite", args=[newcomer.pk]))
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    with pytest.raises(PermissionDenied):
        organisation_services.person_invite(actor=someone, person=newcomer)


def test_admin_of_another_municipality_gets_404_and_the_service_refuses(newcomer):
    outsider = person_with_role(Role.MUNICIPAL_ADMIN, municipality=MunicipalityFactory())
    response = client_for(outsider).post(reverse("organisation:person_invite", args=[newcomer.pk]))
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        organisation_services.person_invite(actor=outsider, person=newcomer)
    assert not Invitation.objects.exists()


def test_anonymous_sending_goes_to_login(newcomer):
    response = Client().post(reverse("organisation:person_invite", args=[newcomer.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not Invitation.objects.exists()


def test_sending_needs_post(admin_user, newcomer):
    url = reverse("organisation:person_invite", args=[newcomer.pk])
    assert client_for(admin_user).get(url).status_code == 405


def test_run_progress_is_scoped_to_the_municipality(admin_user, newcomer):
    run = services.invitations_request(actor=admin_user, people=[newcomer])
    assert selectors.run_progress(run.pk, admin_user.municipality_id).total == 1
    assert selectors.run_progress(run.pk, MunicipalityFactory().pk) is None


def test_bulk_request_skips_other_municipalities_and_people_with_a_password(admin_user, newcomer):
    foreign = UserFactory(municipality=MunicipalityFactory())
    foreign.set_unusable_password()
    foreign.save()
    with_password = UserFactory(municipality=admin_user.municipality)
    run = services.invitations_request(actor=admin_user, people=[newcomer, foreign, with_password])
    assert list(run.invitations.values_list("person", flat=True)) == [newcomer.pk]


# --- the job -----------------------------------------------------------------------------------------------


def test_job_skips_invitations_replaced_or_no_longer_needed(admin_user, newcomer):
    old = services.invitation_request(actor=admin_user, person=newcomer)
    new = services.invitation_request(actor=admin_user, person=newcomer)
    other = UserFactory(municipality=admin_user.municipality)
    other.set_unusable_password()
    other.save()
    gone = services.invitation_request(actor=admin_user, person=other)
    other.set_password("Har-valgt-selv-1")
    other.save()
    result = send_invitations.enqueue([old.pk, new.pk, gone.pk, 999_999])
    assert result.return_value == 1
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    gone.refresh_from_db()
    assert gone.state() == Invitation.State.SUPERSEDED


def test_a_failing_mail_server_marks_the_invitation_failed(admin_user, newcomer, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)
    invitation = services.invitation_request(actor=admin_user, person=newcomer)
    assert services.invitation_send(invitation.pk) is False
    invitation.refresh_from_db()
    assert invitation.state() == Invitation.State.FAILED and invitation.token_hash is None
    status = selectors.invitation_status(newcomer)
    assert status.state == Invitation.State.FAILED and status.can_send


# --- the person page ---------------------------------------------------------------------------------------


def _texts(code="nb"):
    with translation.override(code):
        return {
            "not_sent": gettext(
                "No invitation sent. The person has no password yet and cannot log in."
            ),
            "send": gettext("Send invitation"),
            "again": gettext("Send the invitation again"),
            "has_password": gettext("Has chosen a password and can log in."),
        }


def test_person_page_shows_each_invitation_state(
    admin_user, newcomer, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    t = _texts()
    html = person_page(client, newcomer)
    assert escape(t["not_sent"]) in html and t["send"] in html
    assert reverse("organisation:person_invite", args=[newcomer.pk]) in html

    invite(client, newcomer, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert selectors.invitation_status(newcomer).state == Invitation.State.SENT
    html = person_page(client, newcomer)
    assert invitation.sent_at.astimezone().strftime("%d.%m.%Y") in html and t["again"] in html

    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    assert selectors.invitation_status(newcomer).state == Invitation.State.EXPIRED
    assert t["again"] in person_page(client, newcomer)

    Invitation.objects.update(expires_at=timezone.now() + datetime.timedelta(days=1))
    services.invitation_accept(invitation=Invitation.objects.get(), password=NEW_PASSWORD)
    newcomer = User.objects.get(pk=newcomer.pk)
    status = selectors.invitation_status(newcomer)
    assert status.state == Invitation.State.ACCEPTED and not status.can_send
    html = person_page(client, newcomer)
    assert t["again"] not in html and t["send"] not in html


def test_person_page_of_someone_with_a_password_offers_no_invitation(admin_user, municipality):
    person = UserFactory(municipality=municipality)
    html = person_page(client_for(admin_user), person)
    assert escape(_texts()["has_password"]) in html
    assert reverse("organisation:person_invite", args=[person.pk]) not in html


def test_person_page_needs_the_same_number_of_queries_with_many_invitations(
    admin_user, newcomer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(admin_user)
    url = reverse("organisation:person_detail", args=[newcomer.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    RateLimitBucket.objects.all().delete()
    for _ in range(4):
        services.invitation_request(actor=admin_user, person=newcomer)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_adding_a_person_can_send_the_invitation_at_once(
    admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            reverse("organisation:person_create"),
            {"full_name": "Per Ny", "email": "per.ny@fjordby.test", "send_invitation": "on"},
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["per.ny@fjordby.test"] and LINK.search(message.body)


def test_adding_a_person_without_the_checkbox_sends_nothing(
    admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin_user).post(
            reverse("organisation:person_create"),
            {"full_name": "Per Ny", "email": "per.ny@fjordby.test"},
        )
    assert mail.outbox == [] and not Invitation.objects.exists()
