"""After an import: "invite everyone new" as one background job, with its progress shown while
it runs (issue 10, point 1). Only people the import created, who have no password and no
invitation waiting or valid, are invited; only the municipality's administrator may start it."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import client_for
from tests.factories import MunicipalityFactory, UserFactory, person_with_role
from tests.organisation.test_import import UNIT, leader, make_csv, row
from trepart.accounts import services as invitation_services
from trepart.accounts.models import Invitation
from trepart.organisation import services
from trepart.organisation.models import ImportBatch, Role

IMPORT = reverse("organisation:import")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def people_rows(count, start=0):
    return [
        row(name=f"Ansatt {n}", email=f"ansatt{n}@example.no", role="ansatt", unit=UNIT)
        for n in range(start, start + count)
    ]


def imported(client, rows) -> ImportBatch:
    client.post(IMPORT, {"file": SimpleUploadedFile("a.csv", make_csv(rows), "text/csv")})
    batch = ImportBatch.objects.latest("pk")
    response = client.post(reverse("organisation:import_apply", args=[batch.pk]))
    assert response.status_code == 302
    assert response.url == reverse("organisation:import_review", args=[batch.pk])
    batch.refresh_from_db()
    return batch


def review(client, batch, **headers):
    return client.get(reverse("organisation:import_review", args=[batch.pk]), headers=headers)


def invite_all(client, batch):
    return client.post(reverse("organisation:import_invite", args=[batch.pk]))


def test_apply_remembers_exactly_the_people_it_created(admin_client_, admin_user, unit):
    existing = UserFactory(municipality=admin_user.municipality, email="finnes@example.no")
    rows = [
        leader(),
        *people_rows(2),
        row(name=existing.full_name, email=existing.email, role="ansatt", unit=UNIT),
    ]
    batch = imported(admin_client_, rows)
    created = set(
        admin_user.municipality.people.filter(email__endswith="@example.no")
        .exclude(pk=existing.pk)
        .values_list("pk", flat=True)
    )
    assert set(batch.summary["new_person_ids"]) == created and len(created) == 3


def test_invite_everyone_new_sends_to_the_new_people_only(
    admin_client_, admin_user, unit, django_capture_on_commit_callbacks
):
    existing = UserFactory(municipality=admin_user.municipality, email="finnes@example.no")
    existing.set_unusable_password()
    existing.save()
    batch = imported(
        admin_client_,
        [
            *people_rows(3),
            row(name=existing.full_name, email=existing.email, role="ansatt", unit=UNIT),
        ],
    )
    # One new person has already been invited from their page: not invited twice.
    first = admin_user.municipality.people.get(email="ansatt0@example.no")
    services.person_invite(actor=admin_user, person=first)

    html = review(admin_client_, batch).content.decode()
    assert reverse("organisation:import_invite", args=[batch.pk]) in html
    with translation.override("nb"):
        assert gettext("Invite everyone new") in html

    with django_capture_on_commit_callbacks(execute=True):
        response = invite_all(admin_client_, batch)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["ansatt1@example.no", "ansatt2@example.no"]
    batch.refresh_from_db()
    run = batch.summary["invitation_run"]
    assert Invitation.objects.filter(run_id=run).count() == 2

    # Done: the page says how many were sent and offers nothing more to send.
    response = review(admin_client_, batch)
    progress = response.context["invitations"]["progress"]
    assert (progress.total, progress.sent, progress.done) == (2, 2, True)
    assert response.context["invitations"]["invitable"] == 0
    assert reverse("organisation:import_invite", args=[batch.pk]) not in response.content.decode()


def test_progress_is_shown_while_the_job_runs_with_htmx_and_without(
    admin_client_, admin_user, unit
):
    batch = imported(admin_client_, people_rows(3))
    invite_all(admin_client_, batch)  # enqueued on commit: in this test the job has not run yet
    [one, *_rest] = Invitation.objects.order_by("pk")
    invitation_services.invitation_send(one.pk)

    partial = review(admin_client_, batch, **{"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html  # only the partial
    assert 'hx-trigger="every 2s"' in html
    with translation.override("nb"):
        assert gettext("%(sent)s of %(total)s invitations sent") % {"sent": 1, "total": 3} in html
    assert '<progress max="3" value="1"' in html

    # Without JavaScript: the whole page, with a link that updates the count.
    page = review(admin_client_, batch).content.decode()
    assert 'id="invitations"' in page
    assert f'href="{reverse("organisation:import_review", args=[batch.pk])}#invitations"' in page

    for invitation in Invitation.objects.filter(sent_at__isnull=True):
        invitation_services.invitation_send(invitation.pk)
    html = review(admin_client_, batch, **{"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html  # finished: the polling stops


def test_a_second_click_while_running_or_after_invites_nobody_twice(
    admin_client_, admin_user, unit, django_capture_on_commit_callbacks
):
    batch = imported(admin_client_, people_rows(2))
    with django_capture_on_commit_callbacks(execute=True):
        invite_all(admin_client_, batch)
        response = invite_all(admin_client_, batch)
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert Invitation.objects.count() == 2


def test_a_failed_invitation_can_be_sent_again_from_the_import_page(
    admin_client_, admin_user, unit, monkeypatch
):
    batch = imported(admin_client_, people_rows(2))
    monkeypatch.setattr(invitation_services, "send_mail", lambda *a, **k: 1 / 0)
    invite_all(admin_client_, batch)
    for invitation in Invitation.objects.all():
        invitation_services.invitation_send(invitation.pk)
    response = review(admin_client_, batch)
    progress = response.context["invitations"]["progress"]
    assert (progress.failed, progress.done) == (2, True)
    assert response.context["invitations"]["invitable"] == 2
    assert reverse("organisation:import_invite", args=[batch.pk]) in response.content.decode()


def test_not_applied_batch_invites_nobody(admin_client_, admin_user, unit):
    batch = ImportBatch.objects.create(
        municipality=admin_user.municipality, filename="a.csv", content=make_csv(people_rows(1))
    )
    response = invite_all(admin_client_, batch)
    assert response.status_code == 302
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.UNIT_LEADER, Role.CHIEF_UNION_REP])
def test_others_get_403_and_another_municipality_404(role, admin_client_, admin_user, unit):
    batch = imported(admin_client_, people_rows(1))
    someone = person_with_role(
        role, unit if role != Role.CHIEF_UNION_REP else None, municipality=unit.municipality
    )
    assert invite_all(client_for(someone), batch).status_code == 403
    assert review(client_for(someone), batch).status_code == 403
    outsider = person_with_role(Role.MUNICIPAL_ADMIN, municipality=MunicipalityFactory())
    assert invite_all(client_for(outsider), batch).status_code == 404
    assert review(client_for(outsider), batch, **{"HX-Request": "true"}).status_code == 404
    assert not Invitation.objects.exists()


def test_review_page_of_an_applied_import_has_a_fixed_number_of_queries(
    admin_client_, admin_user, unit
):
    small = imported(admin_client_, people_rows(1))
    large = imported(admin_client_, people_rows(30, start=100))
    for batch in (small, large):
        invite_all(admin_client_, batch)
    counts = []
    for batch in (small, large):
        review(admin_client_, batch)
        with CaptureQueriesContext(connection) as ctx:
            assert review(admin_client_, batch, **{"HX-Request": "true"}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
