"""Writes for telling the members (R19): a draft summary for each rep when minutes are
published, edited by the rep in their own words, and marked shared (or not) by them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from trepart.organisation.models import Role
from trepart.reflection.models import MemberBrief
from trepart.reflection.selectors_members import can_edit_brief, reps_of_unit

MAX_TEXT = 10_000


def _why(role: str) -> str:
    """R19, in our own words: why the reps take part ("are we doing management for free?")."""
    if role == Role.SAFETY_REP:
        return _(
            "Why I take part: when the leader, the union reps and the safety rep work on these "
            "things together with you, the workplace gets safer and better run – for everyone."
        )
    return _(
        "Why I take part: this is not doing the leader's job for free. When we cooperate, the "
        "workplace and the leadership get better – for everyone, and you get a say earlier."
    )


def _day(value) -> str:
    return formats.date_format(value, "j. F Y")


def brief_draft(meeting, content: dict, role: str, trials) -> str:
    """A short plain-language summary of what the group works on and why, from the published
    minutes (`content`, the version's snapshot) and the unit's running trials."""
    unit = meeting.unit
    lines = [
        _("News from the %(group)s at %(unit)s (meeting on %(day)s):")
        % {
            "group": unit.party_group_label(),
            "unit": unit.name,
            "day": _day(timezone.localdate(meeting.starts_at)),
        },
        "",
    ]
    items = content.get("items", [])
    agreed = [it for it in items if not it.get("not_agreed") and it.get("way_forward", "").strip()]
    # The group's own topics first; the standing rounds only when there is nothing else.
    agreed = [it for it in agreed if not it.get("standing")] or agreed
    continued = [it for it in items if it.get("not_agreed")]
    if agreed:
        lines.append(_("What we work on:"))
        lines += [f"- {it['title']} – {it['way_forward'].strip()}" for it in agreed]
        lines.append("")
    if continued:
        lines.append(_("Not settled yet – we talk more and take it up again at the next meeting:"))
        lines += [f"- {it['title']}" for it in continued]
        lines.append("")
    actions = content.get("actions", [])
    if actions:
        lines.append(_("Until the next meeting:"))
        lines += [f"- {a['description']}" for a in actions]
        lines.append("")
    if trials:
        lines.append(_("Changes we are trying out now (and will evaluate before deciding):"))
        for m in trials:
            if m.evaluation_on:
                lines.append(
                    "- "
                    + _("%(title)s (evaluated by %(day)s)")
                    % {"title": m.title, "day": _day(m.evaluation_on)}
                )
            else:
                lines.append(f"- {m.title}")
        lines.append("")
    lines.append(_why(role))
    lines.append(
        _("Do you have something the group should work on? Tell me, or use the input channel.")
    )
    return "\n".join(lines).strip() + "\n"


def _running_trials(unit):
    from trepart.measures.models import Measure, Stage

    return list(
        Measure.objects.filter(unit=unit, stage=Stage.IN_TRIAL).order_by("evaluation_on", "id")
    )


def briefs_on_minutes_published(version) -> list[MemberBrief]:
    """MINUTES_PUBLISHED (trepart.core.hooks): each current local union rep and the safety rep
    of the unit gets a draft summary for their members (R19), and one e-mail with the link.

    Once per rep and meeting: a corrected version refreshes a draft the rep has not edited
    (their own words are never overwritten) and sends no second e-mail. Minutes published
    without notifying (`version.notify` False: the demo's history) e-mail nobody. Not for the steering
    group (R19 is about the party groups' reps and their members)."""
    meeting = version.meeting
    if meeting.unit_id is None:
        return []
    unit = meeting.unit
    reps = reps_of_unit(unit)
    if not reps:
        return []
    trials = _running_trials(unit)
    existing = {b.person_id: b for b in MemberBrief.objects.filter(meeting=meeting)}
    created = []
    with transaction.atomic(), translation.override(meeting.municipality.default_language or "nb"):
        for a in reps:
            text = brief_draft(meeting, version.content or {}, a.role, trials)
            brief = existing.get(a.person_id)
            if brief is None:
                brief = MemberBrief.objects.create(
                    municipality_id=meeting.municipality_id,
                    meeting=meeting,
                    person=a.person,
                    role=a.role,
                    union=a.union,
                    text=text,
                    version_number=version.number,
                )
                created.append(brief)
            elif brief.edited_at is None and brief.shared_at is None:
                brief.text = text
                brief.version_number = version.number
                brief.save(update_fields=["text", "version_number"])
        ids = [b.pk for b in created]
        if ids and getattr(version, "notify", True):
            transaction.on_commit(lambda: _notify(ids))
    return created


def _notify(ids: list[int]) -> None:
    from trepart.reflection import tasks_members

    for pk in ids:
        tasks_members.notify_member_brief.enqueue(brief_id=pk)


def brief_save(*, actor, brief: MemberBrief, text: str) -> MemberBrief:
    """The rep writes the summary in their own words."""
    if not can_edit_brief(actor, brief):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the summary before saving.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Keep the summary short: it is for a quick read.")})
    brief.text = text + "\n"
    brief.edited_at = timezone.now()
    brief.save(update_fields=["text", "edited_at"])
    return brief


def brief_mark_shared(*, actor, brief: MemberBrief, shared: bool) -> MemberBrief:
    """The rep records that they have shared it (when), or undoes that."""
    if not can_edit_brief(actor, brief):
        raise PermissionDenied
    brief.shared_at = timezone.now() if shared else None
    brief.save(update_fields=["shared_at"])
    return brief
