"""Unit reports, responses and questions (P5, issue 11 points 1, 3, 4; R30–R32)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from tests.factories import UnitFactory, person_with_role, presence, union
from tests.meetings.conftest import make_meeting
from tests.query_counts import assert_same_counts, measure
from tests.reporting.reports_fixtures import (
    EXPECTED,
    draft,
    last_period,
    logged_in,
    records,
    sent_report,
    text_of,
)
from trepart.meetings.models import AgendaItem, ItemKind, Meeting
from trepart.organisation.models import Role
from trepart.reporting import contrib_reports
from trepart.reporting import selectors_reports as sel
from trepart.reporting import services_reports as services
from trepart.reporting.models import ReportResponse, SteeringQuestion, UnitReport
from trepart.reporting.tasks_reports import report_drafts_and_reminders


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- periods and figures (R30) --------------------------------------------------------------


def test_periods_are_aligned_to_calendar_months_from_january():
    d = datetime.date
    assert sel.period_containing(d(2026, 5, 17), 3) == (d(2026, 4, 1), d(2026, 6, 30))
    assert sel.period_containing(d(2026, 12, 31), 3) == (d(2026, 10, 1), d(2026, 12, 31))
    assert sel.period_containing(d(2026, 2, 10), 1) == (d(2026, 2, 1), d(2026, 2, 28))
    assert sel.period_containing(d(2026, 9, 1), 6) == (d(2026, 7, 1), d(2026, 12, 31))
    assert sel.period_containing(d(2026, 9, 1), 4) == (d(2026, 9, 1), d(2026, 12, 31))
    assert sel.last_ended_period(d(2026, 1, 5), 3) == (d(2025, 10, 1), d(2025, 12, 31))
    assert sel.period_label(d(2026, 4, 1), d(2026, 6, 30)) == "Q2 2026"


def test_figures_are_counted_exactly_from_the_records_R30(unit, party_group):
    start, end = records(unit, party_group["leader"])
    assert sel.report_figures(unit, start, end) == EXPECTED


def test_report_page_shows_the_figures_in_a_table(unit, party_group):
    records(unit, party_group["leader"])
    report = draft(unit)
    page = text_of(logged_in(party_group["leader"]).get(f"/reports/{report.pk}/"))
    assert 'Meetings held</th><td class="num">2<' in page
    assert 'Median days to answer</th><td class="num">12<' in page
    assert 'Answered within 30 days</th><td class="num">3 (75 %)<' in page
    assert "Langvakter: Keep it" in page
    assert "Nytt pauserom" in page


# --- drafts, sending, corrections (R30) -----------------------------------------------------


def test_party_group_starts_the_report_for_the_period_just_ended(unit, party_group):
    client = logged_in(party_group["rep_ff"])
    page = text_of(client.get(f"/units/{unit.pk}/reports/"))
    start, end = last_period()
    assert f"Start the report for {sel.period_label(start, end)}" in page
    response = client.post(f"/units/{unit.pk}/reports/start/")
    report = UnitReport.objects.get(unit=unit)
    assert response.url == f"/reports/{report.pk}/"
    assert (report.period_start, report.period_end, report.status) == (start, end, "draft")
    assert report.due_on == end + datetime.timedelta(days=21)
    with pytest.raises(ValidationError):
        services.report_start(actor=party_group["leader"], unit=unit)
    assert "Start the report" not in text_of(client.get(f"/units/{unit.pk}/reports/"))


def test_employee_may_not_start_or_edit_a_report(unit, party_group, employee):
    client = logged_in(employee)
    assert client.post(f"/units/{unit.pk}/reports/start/").status_code == 403
    report = draft(unit)
    assert client.get(f"/reports/{report.pk}/edit/").status_code == 404  # a draft is hidden
    assert not UnitReport.objects.exclude(pk=report.pk).exists()


def test_send_freezes_the_report_and_it_no_longer_changes_R30(unit, party_group):
    leader = party_group["leader"]
    records(unit, party_group["leader"])
    report = draft(unit)
    client = logged_in(leader)
    response = client.post(
        f"/reports/{report.pk}/edit/",
        {"went_well": "Godt samarbeid.", "hard": "Vikarer.", "need": "Mer tid.", "send": "1"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "sent" and report.first_sent_at
    version = report.versions.get()
    assert version.number == 1 and version.content["figures"] == EXPECTED
    assert version.content["went_well"] == "Godt samarbeid."
    with pytest.raises(ValidationError):
        services.report_save(actor=leader, report=report, went_well="x", hard="", need="")
    # New records after sending do not change what was sent.
    start, _end = last_period()
    from tests.reporting.reports_fixtures import meeting

    meeting(unit, start + datetime.timedelta(days=3))
    page = text_of(client.get(f"/reports/{report.pk}/"))
    assert 'Meetings held</th><td class="num">2<' in page
    assert client.get(f"/reports/{report.pk}/edit/").status_code == 302


def test_send_needs_the_groups_words_and_keeps_what_was_typed(unit, party_group):
    report = draft(unit)
    client = logged_in(party_group["leader"])
    response = client.post(
        f"/reports/{report.pk}/edit/", {"went_well": "", "hard": "", "need": "", "send": "1"}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(
        f"/reports/{report.pk}/edit/",
        {"went_well": "x" * 4001, "hard": "Beholdt tekst", "need": "", "send": "1"},
    )
    assert response.status_code == 400 and "Beholdt tekst" in text_of(response)
    report.refresh_from_db()
    assert report.status == "draft"


def test_correction_needs_a_note_and_is_sent_as_version_2_R30(unit, party_group):
    leader = party_group["leader"]
    report = sent_report(unit, leader)
    client = logged_in(leader)
    assert client.post(f"/reports/{report.pk}/correct/").status_code == 302
    report.refresh_from_db()
    assert report.status == "correcting"
    data = {"went_well": "Rettet tekst.", "hard": "Vikarer.", "need": "", "send": "1"}
    response = client.post(f"/reports/{report.pk}/edit/", data)
    assert response.status_code == 400 and "Say briefly what was corrected." in text_of(response)
    response = client.post(f"/reports/{report.pk}/edit/", {**data, "change_note": "Skrivefeil."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "sent"
    v2, v1 = list(report.versions.order_by("-number"))
    assert (v2.number, v2.change_note, v2.content["went_well"]) == (
        2,
        "Skrivefeil.",
        "Rettet tekst.",
    )
    assert v1.content["went_well"] == "Turnusen fungerer bedre."
    page = text_of(client.get(f"/reports/{report.pk}/versions/"))
    assert "Version 2" in page and "Skrivefeil." in page and "Rettet tekst." in page


# --- who reads (R6, R20, R31) ---------------------------------------------------------------


def test_drafts_are_for_the_party_group_sent_reports_for_readers(
    unit, party_group, steering_group, employee
):
    report = draft(unit)
    url = f"/reports/{report.pk}/"
    assert logged_in(party_group["safety"]).get(url).status_code == 200
    for reader in (employee, steering_group["politician"], steering_group["opposition"]):
        assert logged_in(reader).get(url).status_code == 404
    sent = sent_report(unit, party_group["leader"])
    assert sent.pk == report.pk
    for reader in (employee, steering_group["politician"], steering_group["director"]):
        assert logged_in(reader).get(url).status_code == 200
    # The employee reads but does not edit, correct or respond.
    client = logged_in(employee)
    assert client.post(f"/reports/{report.pk}/correct/").status_code == 403
    assert (
        client.post(f"/reports/{report.pk}/respond/", {"kind": "comment", "text": "x"}).status_code
        == 403
    )
    assert "Correct the report" not in text_of(client.get(url))


def test_chief_union_rep_reads_reports_of_units_where_their_union_has_a_rep_R6(
    unit, party_group, municipality
):
    report = sent_report(unit, party_group["leader"])
    present = person_with_role(
        Role.CHIEF_UNION_REP, municipality=municipality, union=union("Fagforbundet")
    )
    absent = person_with_role(Role.CHIEF_UNION_REP, municipality=municipality, union=union("Delta"))
    chief_safety = person_with_role(Role.CHIEF_SAFETY_REP, municipality=municipality)
    url = f"/reports/{report.pk}/"
    assert logged_in(present).get(url).status_code == 200
    assert logged_in(chief_safety).get(url).status_code == 200
    assert logged_in(absent).get(url).status_code == 404
    assert report.pk not in {
        r.pk for r in logged_in(absent).get("/steering-group/reports/").context["reports"]
    }
    assert logged_in(absent).get(f"/units/{unit.pk}/reports/").status_code == 403
    # A unit without a safety rep: the chief safety rep does not read its reports.
    lonely = UnitFactory(municipality=municipality, name="Uten verneombud")
    presence(lonely, "Fagforbundet")
    lonely_leader = person_with_role(Role.UNIT_LEADER, lonely)
    lonely_report = sent_report(lonely, lonely_leader)
    assert logged_in(chief_safety).get(f"/reports/{lonely_report.pk}/").status_code == 404


def test_another_municipality_gets_404_everywhere(unit, party_group, other_municipality):
    report = sent_report(unit, party_group["leader"])
    question = services.question_ask(
        actor=person_with_role(Role.POLITICIAN, municipality=unit.municipality),
        unit=unit,
        text="Hvordan går det?",
    )
    stranger = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    client = logged_in(stranger)
    for url in (
        f"/units/{unit.pk}/reports/",
        f"/units/{unit.pk}/questions/ask/",
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/edit/",
        f"/reports/{report.pk}/versions/",
        f"/questions/{question.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/units/{unit.pk}/reports/start/",
        f"/reports/{report.pk}/correct/",
        f"/reports/{report.pk}/respond/",
        f"/reports/{report.pk}/ask/",
        f"/reports/{report.pk}/agenda/",
        f"/questions/{question.pk}/answer/",
        f"/questions/{question.pk}/agenda/",
    ):
        assert client.post(url, {"text": "x", "answer": "x", "kind": "comment"}).status_code == 404
    question.refresh_from_db()
    assert question.is_open and not ReportResponse.objects.exists()


# --- responses and questions (R31–R32) ------------------------------------------------------


def test_steering_members_respond_and_each_side_is_shown_R32(unit, party_group, steering_group):
    report = sent_report(unit, party_group["leader"])
    client = logged_in(steering_group["opposition"])
    response = client.post(
        f"/reports/{report.pk}/respond/", {"kind": "support", "text": "Vi kan hjelpe med vikarer."}
    )
    assert response.status_code == 302
    answer = ReportResponse.objects.get()
    assert (answer.kind, answer.role_label) == ("support", "Politician (opposition)")
    services.response_add(
        actor=steering_group["chief_rep"], report=report, kind="comment", text="Bra."
    )
    assert ReportResponse.objects.last().role_label == "Chief union rep, Fagforbundet"
    coverage = {
        p["key"]: p["count"]
        for p in sel.report_detail(report, SteeringQuestion.objects.all())["coverage"]
    }
    assert coverage == {
        "position": 0,
        "opposition": 1,
        "administration": 0,
        "union": 1,
        "safety": 0,
    }
    page = text_of(client.get(f"/reports/{report.pk}/"))
    assert "Politicians (position): not yet" in page and "Union side: 1 person" in page
    # An empty response keeps the page with the error next to the field.
    response = client.post(f"/reports/{report.pk}/respond/", {"kind": "comment", "text": ""})
    assert (
        response.status_code == 400 and 'id="id_response_text_error"' in response.content.decode()
    )


def test_responses_only_on_sent_reports(unit, party_group, steering_group):
    report = draft(unit)
    with pytest.raises(PermissionDenied):
        services.response_add(
            actor=steering_group["director"], report=report, kind="comment", text="x"
        )


def test_question_is_answered_by_the_unit_and_the_asker_hears_by_email(
    unit, party_group, steering_group, employee, django_capture_on_commit_callbacks
):
    report = sent_report(unit, party_group["leader"])
    asker = steering_group["opposition"]
    response = logged_in(asker).post(
        f"/reports/{report.pk}/ask/", {"text": "Hvordan går turnusen?"}
    )
    assert response.status_code == 302
    question = SteeringQuestion.objects.get()
    assert (question.report, question.asked_role_label) == (report, "Politician (opposition)")
    # The unit's party group sees it on its home page and its reports page.
    rep = logged_in(party_group["rep_nsf"])
    assert "Hvordan går turnusen?" in text_of(rep.get("/"))
    assert "Hvordan går turnusen?" in text_of(rep.get(f"/units/{unit.pk}/reports/"))
    assert "Hvordan går turnusen?" not in text_of(logged_in(employee).get("/"))
    assert (
        logged_in(employee).post(f"/questions/{question.pk}/answer/", {"answer": "x"}).status_code
        == 404
    )
    assert (
        logged_in(asker).post(f"/questions/{question.pk}/answer/", {"answer": "x"}).status_code
        == 403
    )
    response = rep.post(f"/questions/{question.pk}/answer/", {"answer": ""})
    assert response.status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = rep.post(f"/questions/{question.pk}/answer/", {"answer": "Bedre enn før."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Bedre enn før." and question.answered_by == party_group["rep_nsf"]
    assert [m.to for m in mail.outbox] == [[asker.email]]
    assert "Bedre enn før." in mail.outbox[0].body
    assert "Hvordan går turnusen?" not in text_of(rep.get("/"))


def test_ask_a_unit_without_a_report(unit, party_group, steering_group, municipality):
    director = steering_group["director"]
    client = logged_in(director)
    page = text_of(client.get(f"/units/{unit.pk}/reports/"))
    assert "Ask this unit a question" in page
    assert client.post(f"/units/{unit.pk}/questions/ask/", {"text": ""}).status_code == 400
    response = client.post(f"/units/{unit.pk}/questions/ask/", {"text": "Trenger dere hjelp?"})
    assert response.status_code == 302
    assert SteeringQuestion.objects.get().report is None
    absent = person_with_role(Role.CHIEF_UNION_REP, municipality=municipality, union=union("Delta"))
    assert logged_in(absent).get(f"/units/{unit.pk}/questions/ask/").status_code == 403
    assert (
        logged_in(party_group["leader"]).get(f"/units/{unit.pk}/questions/ask/").status_code == 403
    )


# --- the daily job (R30) --------------------------------------------------------------------


def test_daily_job_drafts_reports_and_reminds_once(unit, party_group, municipality):
    start, end = last_period()
    day = end + datetime.timedelta(days=1)
    assert report_drafts_and_reminders.call(today=day.isoformat()) == 0
    report = UnitReport.objects.get(unit=unit)
    assert (report.period_start, report.status) == (start, "draft")
    report_drafts_and_reminders.call(today=day.isoformat())
    assert UnitReport.objects.count() == 1  # idempotent
    mail.outbox.clear()
    sent = {}
    for offset in range(0, 40):
        run_on = day + datetime.timedelta(days=offset)
        sent[offset] = report_drafts_and_reminders.call(today=run_on.isoformat())
    reminded = {offset: n for offset, n in sent.items() if n}
    # Due 21 days after the period: a week before (day 14 after) and the day after (day 22).
    assert sorted(reminded) == [13, 21]
    assert all(n == 4 for n in reminded.values())  # the four members of the party group
    # E-mails are in the municipality's language (bokmål unless the catalogue lags behind).
    assert re.search("overdue|over fristen", mail.outbox[-1].subject)
    # A sent report is not reminded.
    report.refresh_from_db()
    services.report_save(
        actor=party_group["leader"], report=report, went_well="x", hard="", need=""
    )
    services.report_send(actor=party_group["leader"], report=report)
    assert (
        report_drafts_and_reminders.call(today=(day + datetime.timedelta(days=21)).isoformat()) == 0
    )


def test_daily_job_is_registered_and_runs(db):
    from trepart.core import hooks
    from trepart.reporting import daily

    assert daily.report_drafts_and_reminders in hooks.get_hooks(hooks.DAILY_JOBS)
    out = io.StringIO()
    assert daily.report_drafts_and_reminders(None, out, now=True) == 0
    assert "Report drafts and reminders" in out.getvalue()


# --- onto the steering group's agenda (R2, R31) ---------------------------------------------


def test_report_goes_onto_the_next_steering_meeting_with_a_link_back(
    unit, party_group, steering_group, employee
):
    report = sent_report(unit, party_group["leader"])
    director = steering_group["director"]
    client = logged_in(director)
    page = text_of(client.get(f"/reports/{report.pk}/"))
    assert "There is no planned steering group meeting yet" in page
    client.post(f"/reports/{report.pk}/agenda/")
    assert not AgendaItem.objects.exists()
    day = timezone.localdate() + datetime.timedelta(days=10)
    steering = make_meeting(director, None, day=day, title="Styringsgruppe", kind="dialogue")
    assert "Put it on the steering group" in text_of(client.get(f"/reports/{report.pk}/"))
    assert client.post(f"/reports/{report.pk}/agenda/").status_code == 302
    item = steering.items.get(title__startswith="Report from")
    client.post(f"/reports/{report.pk}/agenda/")  # a second click adds nothing
    assert steering.items.filter(title__startswith="Report from").count() == 1
    assert item.kind == ItemKind.DIALOGUE  # R2: the steering group is dialogue-only
    sources = contrib_reports.agenda_item_sources(director, [item])
    assert sources[item.pk][0]["url"] == f"/reports/{report.pk}/"
    page = text_of(client.get(f"/meetings/{steering.pk}/"))
    assert f'href="/reports/{report.pk}/"' in page
    # A reader who may not open the report gets no link (here: a chief rep of an absent union).
    absent = person_with_role(
        Role.CHIEF_UNION_REP, municipality=unit.municipality, union=union("Delta")
    )
    assert contrib_reports.agenda_item_sources(absent, [item]) == {}
    # The employee may not put things on the agenda.
    assert logged_in(employee).post(f"/reports/{report.pk}/agenda/").status_code == 403


def test_question_goes_onto_the_agenda(unit, party_group, steering_group):
    director = steering_group["director"]
    question = services.question_ask(actor=director, unit=unit, text="Hvordan går det?")
    day = timezone.localdate() + datetime.timedelta(days=10)
    steering = make_meeting(director, None, day=day, title="Styringsgruppe", kind="dialogue")
    assert logged_in(director).post(f"/questions/{question.pk}/agenda/").status_code == 302
    item = steering.items.get(title=f"Question to {unit.name}")
    assert item.kind == ItemKind.DIALOGUE
    assert contrib_reports.agenda_item_sources(director, [item])[item.pk][0]["url"] == (
        f"/questions/{question.pk}/"
    )
    assert Meeting.objects.filter(unit__isnull=True).count() == 1


def test_experience_goes_onto_the_agenda_with_a_link_back(unit, party_group, steering_group):
    """Issue 11 point 4: a report, a question or an experience, one click each."""
    from tests.reporting.experiences_fixtures import write

    director = steering_group["director"]
    experience = write(party_group["leader"], unit, title="Faste pauser på kveldsvakt")
    client = logged_in(director)
    page = text_of(client.get(f"/experiences/{experience.pk}/"))
    assert "There is no planned steering group meeting yet" in page
    day = timezone.localdate() + datetime.timedelta(days=10)
    steering = make_meeting(director, None, day=day, title="Styringsgruppe", kind="dialogue")
    assert client.post(f"/experiences/{experience.pk}/agenda/").status_code == 302
    client.post(f"/experiences/{experience.pk}/agenda/")  # a second click adds nothing
    item = steering.items.get(title="Experience: Faste pauser på kveldsvakt")
    assert item.kind == ItemKind.DIALOGUE
    assert contrib_reports.agenda_item_sources(director, [item])[item.pk][0]["url"] == (
        f"/experiences/{experience.pk}/"
    )
    # Not for those outside the steering group; a draft cannot go on the agenda.
    assert logged_in(party_group["leader"]).post(
        f"/experiences/{experience.pk}/agenda/"
    ).status_code in (403, 404)
    draft = write(party_group["leader"], unit, title="Utkast", publish=False)
    assert client.post(f"/experiences/{draft.pk}/agenda/").status_code in (403, 404)


# --- navigation and links -------------------------------------------------------------------


def test_steering_members_get_reports_in_the_navigation(unit, party_group, steering_group):
    assert contrib_reports.main_navigation(steering_group["politician"])
    assert not contrib_reports.main_navigation(party_group["leader"])
    assert logged_in(party_group["leader"]).get("/steering-group/reports/").status_code == 403
    links = contrib_reports.unit_page_links(party_group["leader"], unit)
    assert links[0]["url"] == f"/units/{unit.pk}/reports/"


def test_steering_list_filters_by_period_and_service_area(unit, party_group, steering_group):
    report = sent_report(unit, party_group["leader"])
    client = logged_in(steering_group["politician"])
    page = client.get("/steering-group/reports/")
    assert [r.pk for r in page.context["reports"]] == [report.pk]
    page = client.get("/steering-group/reports/", {"period": "2000-01-01", "area": "abc"})
    assert page.status_code == 200 and len(page.context["reports"]) == 1
    page = client.get("/steering-group/reports/", {"area": str(unit.service_area_id)})
    assert len(page.context["reports"]) == 1


# --- query counts (ARCHITECTURE rule 4) -----------------------------------------------------


def _many(municipality, steering_group, n, first=0):
    reports = []
    for i in range(first, first + n):
        u = UnitFactory(municipality=municipality, name=f"Enhet {i}")
        presence(u, "Fagforbundet")
        leader = person_with_role(Role.UNIT_LEADER, u)
        person_with_role(Role.SAFETY_REP, u)
        person_with_role(Role.LOCAL_UNION_REP, u, union=union("Fagforbundet"))
        report = sent_report(u, leader)
        for who in ("politician", "opposition", "chief_rep"):
            services.response_add(
                actor=steering_group[who], report=report, kind="comment", text="Bra"
            )
            services.question_ask(actor=steering_group[who], unit=u, report=report, text="Hvordan?")
        reports.append(report)
    return reports


def test_query_counts_do_not_grow_with_data(municipality, steering_group):
    few = _many(municipality, steering_group, 1)
    clients = {w: logged_in(steering_group[w]) for w in ("politician", "chief_rep")}
    pages = [
        (w, name, url)
        for w in clients
        for name, url in (
            ("list", "/steering-group/reports/"),
            ("report", f"/reports/{few[0].pk}/"),
            ("unit", f"/units/{few[0].unit_id}/reports/"),
        )
    ]
    before = measure(clients, pages)
    _many(municipality, steering_group, 3, first=1)
    for who in ("director", "chief_safety"):
        services.response_add(actor=steering_group[who], report=few[0], kind="support", text="Ja")
        services.question_ask(actor=steering_group[who], unit=few[0].unit, report=few[0], text="?")
    after = measure(clients, pages)
    assert_same_counts(before, after)


# --- demo data ------------------------------------------------------------------------------


def test_demo_reports_load_idempotently(db):
    from django.core.management import call_command

    from trepart.demo.reports import load_reports_demo
    from trepart.organisation.models import Municipality

    call_command("load_demo", stdout=io.StringIO())
    municipality = Municipality.objects.get(name="Fjordvik kommune")
    # load_demo loads the reports too; loading again creates nothing.
    assert UnitReport.objects.filter(municipality=municipality).exists()
    counts = (
        UnitReport.objects.count(),
        ReportResponse.objects.count(),
        SteeringQuestion.objects.count(),
    )
    assert load_reports_demo(municipality) == 0
    assert counts == (
        UnitReport.objects.count(),
        ReportResponse.objects.count(),
        SteeringQuestion.objects.count(),
    )
    assert UnitReport.objects.filter(versions__number=2).exists()
    assert SteeringQuestion.objects.filter(answered_at__isnull=True).exists()
    assert SteeringQuestion.objects.filter(answered_at__isnull=False).exists()


def test_home_lists_the_groups_reports_to_send_R30(unit, party_group, employee):
    report = draft(unit)
    page = text_of(logged_in(party_group["safety"]).get("/"))
    assert f'href="/reports/{report.pk}/"' in page
    assert f'href="/reports/{report.pk}/"' not in text_of(logged_in(employee).get("/"))
    sent_report(unit, party_group["leader"])
    assert f'href="/reports/{report.pk}/"' not in text_of(logged_in(party_group["safety"]).get("/"))


def test_readers_see_the_sent_version_while_the_group_corrects_it_R30(
    unit, party_group, steering_group
):
    leader = party_group["leader"]
    report = sent_report(unit, leader)
    services.report_correction_start(actor=leader, report=report)
    services.report_save(actor=leader, report=report, went_well="Ny tekst.", hard="", need="")
    reader = text_of(logged_in(steering_group["politician"]).get(f"/reports/{report.pk}/"))
    assert "Turnusen fungerer bedre." in reader and "Ny tekst." not in reader
    group = text_of(logged_in(leader).get(f"/reports/{report.pk}/"))
    assert "Ny tekst." in group


def test_a_reminder_missed_on_its_day_is_sent_on_the_next_run_once(unit, party_group):
    """The daily job may not run every day: a reminder goes on the first run on or after its day,
    and only once (two runs the same day do not both send it)."""
    start, end = last_period()
    day = end + datetime.timedelta(days=1)
    report_drafts_and_reminders.call(today=day.isoformat())  # the draft
    report = UnitReport.objects.get(unit=unit)
    # The week-before day (due - 7) passed without a run; the job runs three days later.
    late = report.due_on - datetime.timedelta(days=4)
    mail.outbox.clear()
    assert report_drafts_and_reminders.call(today=late.isoformat()) == 4
    assert report_drafts_and_reminders.call(today=late.isoformat()) == 0
    # Overdue: the first run after the due date, once.
    after = report.due_on + datetime.timedelta(days=5)
    assert report_drafts_and_reminders.call(today=after.isoformat()) == 4
    assert (
        report_drafts_and_reminders.call(today=(after + datetime.timedelta(days=1)).isoformat())
        == 0
    )
    report.refresh_from_db()
    assert (report.reminded_before_on, report.reminded_overdue_on) == (late, after)


def test_a_report_found_long_overdue_is_not_reminded_about(unit, party_group):
    """The first run of a new installation finds old periods: no flood of overdue e-mails."""
    start, end = last_period()
    day = end + datetime.timedelta(days=1)
    report_drafts_and_reminders.call(today=day.isoformat())
    report = UnitReport.objects.get(unit=unit)
    mail.outbox.clear()
    long_after = report.due_on + datetime.timedelta(days=30)
    assert report_drafts_and_reminders.call(today=long_after.isoformat()) == 0
    assert mail.outbox == []
