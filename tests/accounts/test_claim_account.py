from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory


def test_person_without_password_can_claim_account_by_reset(client, municipality):
    """Imported people have no password; the reset link is how they start using Trepart."""
    person = UserFactory(municipality=municipality, email="ny@example.test")
    person.set_unusable_password()
    person.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "NY@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny@example.test"]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "ukjent@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []
