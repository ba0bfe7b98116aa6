"""Demo reports for Fjordvik kommune (P5, R30–R32): two periods of reports from a few party
groups, the steering group's responses from different sides, and questions answered and open.

| Unit              | Period before last                | Last period                          |
|-------------------|-----------------------------------|--------------------------------------|
| Fjordtun sykehjem | sent, then corrected (version 2)  | draft with the group's first words   |
| Lia barnehage     | sent                              | sent; responses; an open question    |
| Eikelund sykehjem | sent late                         | sent; a question answered            |

Idempotent: a report is found by its unit and period, a response by its report, author and
text, a question by its unit and text; nothing is created twice. Everything goes through the
services with the demo people who hold the roles; nobody is e-mailed about demo history.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from trepart.organisation.models import Role, RoleAssignment, Unit
from trepart.reporting import selectors_reports as sel
from trepart.reporting import services_reports as services
from trepart.reporting.models import ReportResponse, ReportVersion, SteeringQuestion, UnitReport

FJORDTUN = "Fjordtun sykehjem"
LIA = "Lia barnehage"
EIKELUND = "Eikelund sykehjem"

WORDS = {
    (FJORDTUN, 0): (
        "Vi har fått på plass faste pauser på dagvakt, og ansatte sier de får puste.",
        "Mange vikarer i helgene gjør det vanskelig å følge opp nye rutiner.",
        "Hjelp til å rekruttere flere i faste stillinger.",
    ),
    (LIA, 0): (
        "Foreldremøtene har blitt bedre etter at vi delte dem i grupper.",
        "Sykefraværet er høyt i småbarnsavdelingen.",
        "",
    ),
    (LIA, 1): (
        "Prøveordningen med foreldremeldinger bare i arbeidstida er godt tatt imot.",
        "Det tar tid å få alle foreldre med på ordningen.",
        "Støtte til å gjøre ordningen lik for alle barnehagene i kommunen.",
    ),
    (EIKELUND, 0): (
        "Felles morgenmøte ble prøvd, og vi lærte mye av det.",
        "Vi manglet tillitsvalgt fra Delta i hele perioden.",
        "",
    ),
    (EIKELUND, 1): (
        "Ny tillitsvalgt er på plass, og partsgruppa møtes jevnt.",
        "Turnusen er fortsatt krevende i ferieavviklingen.",
        "Et svar på om vi kan prøve langvakter slik Fjordtun gjør.",
    ),
}


def _leader(unit):
    a = (
        RoleAssignment.objects.current()
        .filter(unit=unit, role=Role.UNIT_LEADER)
        .select_related("person")
        .first()
    )
    return a.person if a else None


def _person(municipality, full_name):
    a = (
        RoleAssignment.objects.current()
        .filter(municipality=municipality, person__full_name=full_name)
        .select_related("person")
        .first()
    )
    return a.person if a else None


def _send(report, leader, words, sent_on, note=""):
    went_well, hard, need = words
    services.report_save(actor=leader, report=report, went_well=went_well, hard=hard, need=need)
    version = services.report_send(actor=leader, report=report, change_note=note)
    at = timezone.make_aware(datetime.datetime.combine(sent_on, datetime.time(10)))
    ReportVersion.objects.filter(pk=version.pk).update(sent_at=at)
    if version.number == 1:
        UnitReport.objects.filter(pk=report.pk).update(first_sent_at=at)
    report.refresh_from_db()
    return report


def _respond(report, person, kind, text) -> int:
    if (
        person is None
        or ReportResponse.objects.filter(report=report, author=person, text=text).exists()
    ):
        return 0
    try:
        services.response_add(actor=person, report=report, kind=kind, text=text)
    except (PermissionDenied, ValidationError):
        return 0
    return 1


def _ask(unit, person, text, report=None, answer=None, answerer=None) -> int:
    if person is None or SteeringQuestion.objects.filter(unit=unit, text=text).exists():
        return 0
    try:
        question = services.question_ask(actor=person, unit=unit, text=text, report=report)
        # Asked a while ago (after the report was sent), so the overview shows its age.
        asked = timezone.now() - datetime.timedelta(days=12 if answer else 9)
        SteeringQuestion.objects.filter(pk=question.pk).update(asked_at=asked)
        if answer and answerer is not None:
            with transaction.atomic():  # no e-mail about demo history
                question.answer = answer
                question.answered_by = answerer
                question.answered_at = timezone.now() - datetime.timedelta(days=3)
                question.save(update_fields=["answer", "answered_by", "answered_at"])
    except (PermissionDenied, ValidationError):
        return 0
    return 1


def load_reports_demo(municipality) -> int:
    """Create the demo reports, responses and questions; returns how many rows were created."""
    created = 0
    today = timezone.localdate()
    months = sel.period_months_for(municipality)
    last = sel.last_ended_period(today, months)
    before = sel.last_ended_period(last[0], months)
    periods = [before, last]
    units = {
        u.name: u
        for u in Unit.objects.filter(municipality=municipality, name__in=[FJORDTUN, LIA, EIKELUND])
    }
    for name, unit in units.items():
        leader = _leader(unit)
        if leader is None:
            continue
        for index, (start, end) in enumerate(periods):
            existing = UnitReport.objects.filter(unit=unit, period_start=start).first()
            if existing is not None and existing.status != UnitReport.Status.DRAFT:
                continue
            report = existing or services.report_draft_create(unit, start, end)
            created += existing is None
            if (name, index) == (FJORDTUN, 1):
                services.report_save(
                    actor=leader,
                    report=report,
                    went_well="Langvaktene i helgene er i gang.",
                    hard="",
                    need="",
                )
                continue
            words = WORDS[(name, index)]
            late = (name, index) == (EIKELUND, 0)
            sent_on = (
                report.due_on + datetime.timedelta(days=6)
                if late
                else end + datetime.timedelta(days=12)
            )
            report = _send(report, leader, words, min(sent_on, today))
            if (name, index) == (FJORDTUN, 0):
                services.report_correction_start(actor=leader, report=report)
                fixed = (words[0], words[1] + " Vi har også mistet to nattevakter.", words[2])
                _send(
                    report,
                    leader,
                    fixed,
                    min(end + datetime.timedelta(days=15), today),
                    note="La til at vi har mistet to nattevakter.",
                )
    tore = _person(municipality, "Tore Fjeld")  # opposition
    marit = _person(municipality, "Marit Hegge")  # position
    eva = _person(municipality, "Eva Lien")  # administration
    siri = _person(municipality, "Siri Lund")  # chief union rep, Fagforbundet
    wenche = _person(municipality, "Wenche Ruud")  # chief safety rep
    reports = {
        (r.unit.name, r.period_start): r
        for r in UnitReport.objects.filter(unit__in=units.values()).select_related("unit")
    }
    lia_last = reports.get((LIA, last[0]))
    if lia_last is not None and lia_last.status == UnitReport.Status.SENT:
        created += _respond(
            lia_last,
            eva,
            "support",
            "Vi tar gjerne dette opp i alle barnehagene. Administrasjonen kan lage en felles mal.",
        )
        created += _respond(
            lia_last,
            tore,
            "comment",
            "Godt tiltak. Hvordan er det tatt imot av foreldrene med skiftarbeid?",
        )
        created += _respond(
            lia_last, wenche, "comment", "Fint at arbeidsbelastningen følges med på."
        )
        created += _ask(
            unit=lia_last.unit,
            person=marit,
            report=lia_last,
            text="Hvor mange foreldre har tatt kontakt utenom arbeidstida etter at ordningen startet?",
        )
    fjordtun_before = reports.get((FJORDTUN, before[0]))
    if fjordtun_before is not None and fjordtun_before.status == UnitReport.Status.SENT:
        created += _respond(
            fjordtun_before, siri, "support", "Fagforbundet kan bidra i rekrutteringsarbeidet."
        )
        created += _respond(
            fjordtun_before, eva, "comment", "Vi ser på stillingene i budsjettet for neste år."
        )
    eikelund_last = reports.get((EIKELUND, last[0]))
    if eikelund_last is not None and eikelund_last.status == UnitReport.Status.SENT:
        created += _ask(
            unit=eikelund_last.unit,
            person=tore,
            report=eikelund_last,
            text="Hva trenger dere for å prøve langvakter?",
            answer="Et møte med Fjordtun for å lære av deres erfaringer, og tid til å lage turnus.",
            answerer=_leader(eikelund_last.unit),
        )
    if FJORDTUN in units:
        created += _ask(
            unit=units[FJORDTUN], person=eva, text="Hvordan går prøven med langvakter i helgene?"
        )
    return created
