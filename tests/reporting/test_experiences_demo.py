"""The demo library (P5, R31): Fjordvik's experiences and Bergli kommune, which shares two."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.demo.test_tenancy_consistency import tenancy_mismatches
from tests.reporting.experiences_fixtures import english_fixture, logged_in, text_of  # noqa: F401
from trepart.demo.experiences import BERGLI, BERGLI_LEADER, load_experiences_demo
from trepart.demo.organisation import email_for
from trepart.organisation.models import Municipality
from trepart.reporting.models import Experience, ExperienceAdoption

pytestmark = pytest.mark.django_db


def test_demo_library_is_idempotent_and_shares_across_municipalities():
    call_command("load_demo", stdout=io.StringIO())
    fjordvik = Municipality.objects.get(name="Fjordvik kommune")
    # load_demo loads the library too (7 rows: 6 experiences and an adoption).
    assert Experience.objects.count() + ExperienceAdoption.objects.count() >= 7
    counts = (Experience.objects.count(), ExperienceAdoption.objects.count())
    assert load_experiences_demo(fjordvik) == 0
    assert (Experience.objects.count(), ExperienceAdoption.objects.count()) == counts

    bergli = Municipality.objects.get(name=BERGLI)
    shared = Experience.objects.filter(municipality=bergli, shared=True, status="published")
    assert shared.count() == 2
    # The win became an experience linked to its measure; Eikelund is trying it.
    win = Experience.objects.get(title="Helsefagarbeidere skifter smerteplaster")
    assert win.source_measure is not None and win.source_measure.is_win
    assert win.adoptions.get().unit.name == "Eikelund sykehjem"
    assert not tenancy_mismatches()

    # An employee in Fjordvik reads both sections; the Bergli leader sees no Fjordvik names.
    from trepart.accounts.models import User

    employee = User.objects.get(email=email_for("Fatima Ali"))
    body = text_of(logged_in(employee).get(reverse("reporting:experience_library")))
    assert "Fast kompetansetime kvar veke" in body and "Fast turdag for de eldste barna" in body
    assert "Det vi lærte av et felles morgenmøte" not in body  # a draft of another group
    bergli_leader = User.objects.get(email=BERGLI_LEADER[1])
    page = logged_in(bergli_leader).get(reverse("reporting:experience_library"))
    assert "Helsefagarbeidere skifter smerteplaster" not in text_of(page)  # Fjordvik shares nothing
