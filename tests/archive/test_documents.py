"""One document as PDF/A (issue 13 part 4): for whoever may read it (the apps' own permission
functions), never a draft, an unsent report, an undecided measure or another municipality's
document; and the links on the meeting and measure pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.archive.conftest import assert_pdfa, correct, logged_in
from tests.query_counts import assert_same_counts, measure
from trepart.meetings.models import MinutesVersion


def minutes_url(meeting, version=None):
    url = reverse("archive:minutes_pdfa", args=[meeting.pk])
    return f"{url}?version={version}" if version is not None else url


def report_url(report, version=None):
    url = reverse("archive:report_pdfa", args=[report.pk])
    return f"{url}?version={version}" if version is not None else url


def measure_url(measure):
    return reverse("archive:measure_pdfa", args=[measure.pk])


# --- PDF/A --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_published_version_of_the_minutes_is_pdfa(world):
    client = logged_in(world["employee"])  # staff read published minutes (R20)
    for number in (1, 2):
        response = client.get(minutes_url(world["meeting"], number))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert f"-v{number}.pdf" in response["Content-Disposition"]
        assert_pdfa(response.content)


@pytest.mark.django_db
def test_a_sent_report_is_pdfa(world):
    response = logged_in(world["group"]["leader"]).get(report_url(world["report"]))
    assert response.status_code == 200
    assert_pdfa(response.content)


@pytest.mark.django_db
def test_a_decision_record_is_pdfa_and_says_what_was_decided(world):
    import io

    import pikepdf

    response = logged_in(world["employee"]).get(measure_url(world["measure"]))
    assert response.status_code == 200
    assert_pdfa(response.content)
    pdf = pikepdf.open(io.BytesIO(response.content))
    assert "Langvakter i helgene" in str(pdf.open_metadata().get("dc:title"))


# --- denials ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unpublished_minutes_are_not_found(world):
    client = logged_in(world["admin"])  # even the admin, who may open the draft meeting
    assert client.get(minutes_url(world["draft_meeting"])).status_code == 404
    assert client.get(minutes_url(world["meeting"], 3)).status_code == 404
    for junk in ("abc", "-1", "", "99999999999999999999999"):
        assert client.get(minutes_url(world["meeting"]) + f"?version={junk}").status_code == 404


@pytest.mark.django_db
def test_a_correction_in_progress_is_not_exported(world):
    """Only published versions: while a correction is written, version 2 is the newest."""
    from trepart.meetings import services

    meeting = world["meeting"]
    services.minutes_correction_start(actor=world["group"]["leader"], meeting=meeting)
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 2
    client = logged_in(world["group"]["leader"])
    response = client.get(minutes_url(meeting))
    assert response.status_code == 200
    assert "-v2.pdf" in response["Content-Disposition"]
    assert client.get(minutes_url(meeting, 3)).status_code == 404


@pytest.mark.django_db
def test_an_unsent_report_is_not_found(world):
    client = logged_in(world["admin"])
    assert client.get(report_url(world["draft_report"])).status_code == 404
    assert client.get(report_url(world["report"], 2)).status_code == 404


@pytest.mark.django_db
def test_an_undecided_measure_has_no_decision_record(world):
    assert logged_in(world["admin"]).get(measure_url(world["undecided"])).status_code == 404


@pytest.mark.django_db
def test_another_municipality_gets_404_for_everything(world, foreign):
    client = logged_in(foreign["admin"])
    assert client.get(minutes_url(world["meeting"])).status_code == 404
    assert client.get(report_url(world["report"])).status_code == 404
    assert client.get(measure_url(world["measure"])).status_code == 404
    # Their own is fine.
    assert client.get(minutes_url(foreign["meeting"])).status_code == 200


@pytest.mark.django_db
def test_readers_without_access_get_404(world, foreign):
    """Someone of the same municipality without a role at the unit reads none of it."""
    from tests.factories import UnitFactory, person_with_role
    from trepart.organisation.models import Role

    elsewhere = UnitFactory(municipality=world["meeting"].municipality, name="Et annet sted")
    outsider = person_with_role(Role.EMPLOYEE, elsewhere)
    client = logged_in(outsider)
    assert client.get(minutes_url(world["meeting"])).status_code == 404
    assert client.get(report_url(world["report"])).status_code == 404
    assert client.get(measure_url(world["measure"])).status_code == 404


@pytest.mark.django_db
def test_anonymous_must_log_in(world, client):
    response = client.get(minutes_url(world["meeting"]))
    assert response.status_code == 302


# --- links on the pages -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_meeting_page_links_every_published_version(world):
    """The group's meeting page (staff outside the group see the published minutes' page,
    which has no extension point yet; they may still download the PDF/A, tested above)."""
    meeting = world["meeting"]
    body = (
        logged_in(world["admin"])
        .get(reverse("meetings:meeting_detail", args=[meeting.pk]))
        .content.decode()
    )
    assert minutes_url(meeting, 1) in body and minutes_url(meeting, 2) in body
    draft = (
        logged_in(world["group"]["leader"])
        .get(reverse("meetings:meeting_detail", args=[world["draft_meeting"].pk]))
        .content.decode()
    )
    assert "/archive/meetings/" not in draft


@pytest.mark.django_db
def test_the_measure_page_links_the_decision_record_once_decided(world):
    client = logged_in(world["group"]["leader"])
    decided = client.get(reverse("measures:measure_detail", args=[world["measure"].pk]))
    assert measure_url(world["measure"]) in decided.content.decode()
    idea = client.get(reverse("measures:measure_detail", args=[world["undecided"].pk]))
    assert "/archive/measures/" not in idea.content.decode()


@pytest.mark.django_db
def test_the_meeting_page_panel_costs_the_same_with_more_versions(world):
    meeting = world["meeting"]
    leader = world["group"]["leader"]
    clients = {"leader": logged_in(leader)}
    pages = [("leader", "meeting", reverse("meetings:meeting_detail", args=[meeting.pk]))]
    few = measure(clients, pages)
    for _ in range(3):
        meeting.refresh_from_db()
        correct(leader, meeting, note="Enda en rettelse.")
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 5
    many = measure(clients, pages)
    assert_same_counts(few, many)
