"""The demo handover (trepart.demo.continuity): a vacancy the chief was told about, a newcomer
with a meaningful onboarding page, ways of working and private notes. Idempotent."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from tests.conftest import client_for
from tests.demo.test_tenancy_consistency import tenancy_mismatches
from trepart.accounts.models import User
from trepart.continuity.models import FollowUpNote, GroupPractice, Handover
from trepart.demo import continuity as demo
from trepart.demo.meetings import load_meetings_demo
from trepart.demo.organisation import email_for, load_demo
from trepart.organisation.models import Unit


def test_demo_handover(db):
    municipality = load_demo()
    load_meetings_demo(municipality)
    assert demo.load(municipality) > 0
    assert demo.load(municipality) == 0  # nothing twice
    assert not mail.outbox  # nobody is e-mailed about demo history
    lia = Unit.objects.get(name="Lia barnehage")
    assert GroupPractice.objects.filter(unit__municipality=municipality).count() == 6
    assert not Handover.objects.filter(
        municipality=municipality, open_notified_at__isnull=True, filled_on__isnull=True
    ).exists()

    newcomer = User.objects.get(email=email_for(demo.NEWCOMER))
    client = client_for(newcomer)
    assert reverse("continuity:onboarding", args=[lia.pk]) in client.get("/").content.decode()
    page = client.get(reverse("continuity:onboarding", args=[lia.pk])).content.decode()
    assert "Slik jobber vi i partsgruppa" in page and "Ingrid Solheim" in page

    siri = client_for(User.objects.get(email=email_for("Siri Lund")))
    overview = siri.get(reverse("continuity:local_reps")).content.decode()
    assert "Fjellhaug barnehage" in overview and "Grete Olsen" in overview
    knut = client_for(User.objects.get(email=email_for("Knut Dale")))
    assert "Ingrid Solheim" in knut.get(reverse("continuity:local_reps")).content.decode()
    assert FollowUpNote.objects.filter(author__email=email_for("Siri Lund")).count() == 2
    assert tenancy_mismatches() == []
