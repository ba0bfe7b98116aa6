"""The import pages: upload → review (dry run) → apply, with permissions and tenants (P1, P8)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import override

from tests.conftest import client_for
from tests.factories import person_with_role
from tests.organisation.test_import import UNIT, counts, leader, make_csv, row
from trepart.organisation.models import ImportBatch, Role, RoleAssignment

IMPORT = reverse("organisation:import")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """UserFactory hashes with the default hasher (Argon2, ~0.2 s a person); MD5 keeps this fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload(client, rows, name="import.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, make_csv(rows), "text/csv")})


def review_url(batch):
    return reverse("organisation:import_review", args=[batch.pk])


def apply_url(batch):
    return reverse("organisation:import_apply", args=[batch.pk])


GOOD = [
    leader(),
    row(name="Kari Moen", email="kari@example.no", role="verneombud", unit=UNIT),
]
BAD = [
    GOOD[0],
    row(name="Kari Moen", email="kari@example.no", role="verneombud", unit="Skyggesiden"),
]


def test_upload_with_a_bad_row_shows_row_and_reason_and_writes_nothing(
    admin_client_, admin_user, unit
):
    before = counts()
    response = upload(admin_client_, BAD)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == review_url(batch)
    assert batch.municipality == admin_user.municipality and batch.uploaded_by == admin_user

    response = admin_client_.get(review_url(batch))
    assert response.status_code == 200
    # The page is rendered in the municipality's language; build the reason in that language.
    with override(response.headers["Content-Language"]):
        reason = _("Unknown unit: '%(unit)s'.") % {"unit": "Skyggesiden"}
    [error] = response.context["report"].errors
    assert (error.row, error.reason) == (3, reason)
    content = response.content.decode()
    assert "<td>3</td>" in content
    assert escape(reason) in content
    assert apply_url(batch) not in content  # no "Import now" while there are errors
    assert counts() == before

    # Applying anyway (e.g. a forged POST) writes nothing either.
    response = admin_client_.post(apply_url(batch))
    assert response.status_code == 302 and response.url == review_url(batch)
    assert counts() == before
    assert ImportBatch.objects.get().applied_at is None


def test_upload_fixed_file_review_then_apply(admin_client_, admin_user, unit):
    upload(admin_client_, BAD)
    before = counts()

    response = upload(admin_client_, GOOD)
    batch = ImportBatch.objects.latest("pk")
    assert response.url == review_url(batch)
    response = admin_client_.get(review_url(batch))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok and report.summary()["roles"] == 2
    content = response.content.decode()
    assert 'id="import-errors"' not in content
    assert apply_url(batch) in content
    assert counts() == before  # the review writes nothing

    response = admin_client_.post(apply_url(batch))
    assert response.status_code == 302
    # Back to the batch's page: what was imported, and "invite everyone new".
    assert response.url == review_url(batch)
    assert counts()["RoleAssignment"] == before["RoleAssignment"] + 2
    assert counts()["User"] == before["User"] + 2
    leader_role = RoleAssignment.objects.get(person__email="ingrid@example.no")
    assert (leader_role.role, leader_role.unit, leader_role.created_by) == (
        Role.UNIT_LEADER,
        unit,
        admin_user,
    )
    batch.refresh_from_db()
    assert batch.applied_at is not None
    assert batch.summary["roles"] == 2

    # Applying the same batch again changes nothing.
    after = counts()
    response = admin_client_.post(apply_url(batch))
    assert response.status_code == 302 and response.url == review_url(batch)
    assert counts() == after


def test_apply_needs_post(admin_client_, unit):
    upload(admin_client_, GOOD)
    batch = ImportBatch.objects.get()
    before = counts()
    assert admin_client_.get(apply_url(batch)).status_code == 405
    assert counts() == before


def test_upload_of_another_file_type_is_refused(admin_client_):
    response = admin_client_.post(
        IMPORT, {"file": SimpleUploadedFile("import.txt", b"x", "text/plain")}
    )
    assert response.status_code == 400  # the form again, with the reason by the field
    assert response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_empty_file_is_shown_as_a_file_error(admin_client_):
    admin_client_.post(IMPORT, {"file": SimpleUploadedFile("import.csv", b"\r\n", "text/csv")})
    batch = ImportBatch.objects.get()
    response = admin_client_.get(review_url(batch))
    assert response.status_code == 200
    assert response.context["file_error"]
    assert apply_url(batch) not in response.content.decode()


@pytest.fixture
def batch(admin_client_, unit):
    upload(admin_client_, GOOD)
    return ImportBatch.objects.get()


@pytest.mark.parametrize("who", ["employee", "local_rep"])
def test_non_admins_get_403_on_the_import_pages(batch, who, request):
    client = client_for(request.getfixturevalue(who))
    before = counts()
    assert client.get(IMPORT).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert client.get(review_url(batch)).status_code == 403
    assert client.post(apply_url(batch)).status_code == 403
    assert client.get(reverse("organisation:import_example", args=["csv"])).status_code == 403
    assert counts() == before
    assert ImportBatch.objects.count() == 1


def test_admin_of_another_municipality_gets_404_on_the_batch(batch, other_municipality):
    client = client_for(person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality))
    before = counts()
    assert client.get(review_url(batch)).status_code == 404
    assert client.post(apply_url(batch)).status_code == 404
    assert counts() == before
    batch.refresh_from_db()
    assert batch.applied_at is None
    # Their own upload page works; it is their own municipality.
    assert client.get(IMPORT).status_code == 200


def test_anonymous_is_sent_to_login(batch):
    client = Client()
    for response in (
        client.get(IMPORT),
        client.get(review_url(batch)),
        client.post(apply_url(batch)),
    ):
        assert response.status_code == 302
        assert reverse("accounts:login") in response.url
    batch.refresh_from_db()
    assert batch.applied_at is None
