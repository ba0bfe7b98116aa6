"""What the reports part contributes to lower apps' pages and jobs (trepart.core.hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trepart.organisation.permissions import (
    is_admin,
    is_steering_member,
    party_group_unit_ids,
    unit_ids_with_any_role,
)


def register() -> None:
    from trepart.core import hooks
    from trepart.reporting import daily

    hooks.register(hooks.MAIN_NAVIGATION, main_navigation)
    hooks.register(hooks.HOME_PANELS, home_panels)
    hooks.register(hooks.UNIT_PAGE_LINKS, unit_page_links)
    hooks.register(hooks.AGENDA_ITEM_SOURCES, agenda_item_sources)
    hooks.register(hooks.DAILY_JOBS, daily.report_drafts_and_reminders)  # `manage.py daily`


def main_navigation(user) -> list[dict]:
    """Steering-group members read the units' reports (R31)."""
    if not (is_steering_member(user) or is_admin(user)):
        return []
    return [
        {
            "order": 40,
            "label": _("Reports"),
            "url": reverse("reporting:steering_reports"),
            "prefixes": ("/steering-group/reports/", "/reports/", "/questions/"),
        }
    ]


def home_panels(user, home) -> list[dict]:
    """The party group's reports to write and send (R30), and the steering group's open
    questions to it (R31–R32). Two queries."""
    units = party_group_unit_ids(user)
    if not units:
        return []
    from trepart.reporting import selectors_reports as sel
    from trepart.reporting.models import UnitReport
    from trepart.reporting.permissions import questions_visible_to, reports_visible_to

    questions = sel.open_questions_for_group(questions_visible_to(user), units)
    drafts = list(
        reports_visible_to(user)
        .filter(
            unit_id__in=list(units),
            status__in=[UnitReport.Status.DRAFT, UnitReport.Status.CORRECTING],
        )
        .select_related("unit")
        .order_by("due_on", "unit__name")
    )
    if not questions and not drafts:
        return []
    today = timezone.localdate()
    for r in drafts:
        r.period_text = sel.period_label(r.period_start, r.period_end)
        r.overdue = r.due_on < today
    return [
        {
            "order": 15,
            "template": "reporting/reports/_home_panel.html",
            "questions": questions,
            "drafts": drafts,
        }
    ]


def unit_page_links(user, unit) -> list[dict]:
    from trepart.reporting.permissions import can_ask_unit

    if not (is_admin(user) or unit.pk in unit_ids_with_any_role(user) or can_ask_unit(user, unit)):
        return []
    return [
        {
            "order": 40,
            "label": _("Reports to the steering group"),
            "url": reverse("reporting:unit_reports", args=[unit.pk]),
        }
    ]


def agenda_item_sources(user, items) -> dict[int, list[dict]]:
    """AGENDA_ITEM_SOURCES: a steering-group item put there from a report or a question links
    back to it, for readers who may open it (never a link that 404s). Two queries at most."""
    from trepart.reporting import selectors_reports as sel
    from trepart.reporting.models import SteeringAgendaLink

    steering_items = [it.pk for it in items if it.meeting.unit_id is None]
    if not steering_items:
        return {}
    found = {}
    report_ids, question_ids, experience_ids = set(), set(), set()
    for link in SteeringAgendaLink.objects.filter(agenda_item_id__in=steering_items):
        reports = [link.report_id] if link.report_id else []
        questions = [link.question_id] if link.question_id else []
        experiences = [link.experience_id] if link.experience_id else []
        found[link.agenda_item_id] = (reports, questions, experiences)
        report_ids.update(reports)
        question_ids.update(questions)
        experience_ids.update(experiences)
    if not found:
        return {}
    from trepart.reporting.permissions import (
        experiences_visible_to,
        questions_visible_to,
        reports_visible_to,
    )

    reports = (
        {r.pk: r for r in reports_visible_to(user).filter(pk__in=report_ids).select_related("unit")}
        if report_ids
        else {}
    )
    questions = (
        {
            q.pk: q
            for q in questions_visible_to(user).filter(pk__in=question_ids).select_related("unit")
        }
        if question_ids
        else {}
    )
    experiences = (
        {e.pk: e for e in experiences_visible_to(user).filter(pk__in=experience_ids)}
        if experience_ids
        else {}
    )
    result: dict[int, list[dict]] = {}
    for pk, (r_ids, q_ids, e_ids) in found.items():
        sources: list[dict] = []
        for rid in r_ids:
            if rid in reports:
                r = reports[rid]
                sources.append(
                    {
                        "label": _("Report from %(unit)s, %(period)s")
                        % {
                            "unit": r.unit.name,
                            "period": sel.period_label(r.period_start, r.period_end),
                        },
                        "url": reverse("reporting:report_detail", args=[rid]),
                    }
                )
        for qid in q_ids:
            if qid in questions:
                sources.append(
                    {
                        "label": _("Question to %(unit)s") % {"unit": questions[qid].unit.name},
                        "url": reverse("reporting:question_detail", args=[qid]),
                    }
                )
        for eid in e_ids:
            if eid in experiences:
                sources.append(
                    {
                        "label": _("Experience: %(title)s") % {"title": experiences[eid].title},
                        "url": reverse("reporting:experience_detail", args=[eid]),
                    }
                )
        if sources:
            result[pk] = sources
    return result
