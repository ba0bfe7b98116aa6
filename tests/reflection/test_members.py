"""Tell the members (R19): when a party group publishes its minutes, each local union rep and
the safety rep get a short plain-language summary to edit and pass on, one e-mail with the link,
and the group sees who has shared it.

Decision tested here: one summary per rep and meeting. A correction of the minutes refreshes a
draft the rep has not touched, keeps one they edited, and e-mails nobody again."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import UnitFactory, person_with_role, union
from tests.meetings.conftest import make_meeting, publishable
from tests.query_counts import assert_same_counts, measure
from trepart.meetings import services as meeting_services
from trepart.organisation.models import Role
from trepart.reflection.models import MemberBrief


@pytest.fixture
def group(unit):
    return {
        "leader": person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder"),
        "rep_ff": person_with_role(
            Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet"), full_name="Frida Fagforbund"
        ),
        "rep_nsf": person_with_role(
            Role.LOCAL_UNION_REP, unit, union=union("NSF"), full_name="Nils Sykepleier"
        ),
        "safety": person_with_role(Role.SAFETY_REP, unit, full_name="Vera Verneombud"),
    }


def publish(group, unit, capture, *, day=datetime.date(2026, 3, 3), change_note=""):
    leader = group["leader"]
    meeting = make_meeting(leader, unit, day=day)
    item = meeting_services.agenda_item_propose(
        actor=leader, meeting=meeting, title="Langvakter i helg"
    )
    meeting_services.item_minutes_save(
        actor=leader,
        item=item,
        revision=item.revision,
        summary="Personalet ønsker langvakter.",
        way_forward="Vi prøver langvakter i seks måneder for dem som vil.",
    )
    meeting_services.item_close(actor=leader, item=meeting.items.get(pk=item.pk))
    other = meeting_services.agenda_item_propose(actor=leader, meeting=meeting, title="Pauserommet")
    meeting_services.item_not_agreed(
        actor=leader,
        item=other,
        positions=[("Lederen", "Ikke nå."), ("Tillitsvalgte", "Nå.")],
    )
    publishable(leader, meeting, list(group.values()))
    meeting_services.action_add(
        actor=leader,
        meeting=meeting,
        item=None,
        description="Sende ut påmelding til langvakter",
        assignee=group["rep_ff"],
        due_on=datetime.date(2026, 4, 1),
    )
    with capture(execute=True):
        meeting_services.minutes_publish(actor=leader, meeting=meeting)
    return meeting


@pytest.fixture
def published(group, unit, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    return publish(group, unit, django_capture_on_commit_callbacks)


def brief_of(meeting, person) -> MemberBrief:
    return MemberBrief.objects.get(meeting=meeting, person=person)


# --- drafted on publish ---------------------------------------------------------------------------


def test_r19_each_union_rep_and_the_safety_rep_get_a_summary(published, group):
    briefs = MemberBrief.objects.filter(meeting=published)
    assert {b.person for b in briefs} == {group["rep_ff"], group["rep_nsf"], group["safety"]}
    assert brief_of(published, group["rep_nsf"]).union.short_name == "NSF"
    assert brief_of(published, group["safety"]).role == Role.SAFETY_REP


def test_the_draft_says_what_the_group_works_on_and_why(published, group):
    text = brief_of(published, group["rep_ff"]).text
    assert "Langvakter i helg – Vi prøver langvakter i seks måneder" in text
    assert "Pauserommet" in text  # continued, not settled
    assert "Sende ut påmelding til langvakter" in text  # the actions
    assert "Ikke nå." not in text  # positions stay in the minutes, not in the members' news
    assert "Why I take part" in text or "Derfor" in text or "Difor" in text


def test_the_draft_lists_the_units_running_trials(group, unit, django_capture_on_commit_callbacks):
    from trepart.measures.models import Measure, Stage

    Measure.objects.create(
        municipality=unit.municipality,
        unit=unit,
        title="Fast pauseplan på dagvakt",
        stage=Stage.IN_TRIAL,
        evaluation_on=datetime.date(2027, 2, 1),
        created_by=group["leader"],
    )
    meeting = publish(group, unit, django_capture_on_commit_callbacks)
    assert "Fast pauseplan på dagvakt" in brief_of(meeting, group["safety"]).text


def test_each_rep_is_emailed_once_with_the_link(published, group):
    sent = [m for m in mail.outbox if "/members/" in m.body]
    assert sorted(m.to[0] for m in sent) == sorted(
        p.email for p in (group["rep_ff"], group["rep_nsf"], group["safety"])
    )
    brief = brief_of(published, group["rep_ff"])
    mine = next(m for m in sent if m.to == [group["rep_ff"].email])
    assert reverse("reflection:brief_detail", args=[brief.pk]) in mine.body


def test_a_correction_refreshes_untouched_drafts_keeps_edited_ones_and_emails_nobody(
    published, group, django_capture_on_commit_callbacks
):
    leader = group["leader"]
    edited = brief_of(published, group["rep_ff"])
    from trepart.reflection import services_members

    services_members.brief_save(actor=group["rep_ff"], brief=edited, text="Mine egne ord.")
    mail.outbox.clear()
    meeting_services.minutes_correction_start(actor=leader, meeting=published)
    item = published.items.get(title="Langvakter i helg")
    meeting_services.item_reopen(actor=leader, item=item)
    item.refresh_from_db()
    meeting_services.item_minutes_save(
        actor=leader,
        item=item,
        revision=item.revision,
        summary=item.summary,
        way_forward="Vi prøver langvakter i fire måneder.",
    )
    meeting_services.item_close(actor=leader, item=published.items.get(pk=item.pk))
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.minutes_publish(actor=leader, meeting=published, change_note="Fire mnd")
    assert MemberBrief.objects.filter(meeting=published).count() == 3
    assert not [m for m in mail.outbox if "/members/" in m.body]
    assert brief_of(published, group["rep_ff"]).text == "Mine egne ord.\n"
    fresh = brief_of(published, group["rep_nsf"])
    assert "fire måneder" in fresh.text and fresh.version_number == 2


def test_the_steering_group_gets_no_summaries(
    municipality, django_capture_on_commit_callbacks, unit, group
):
    director = person_with_role(Role.ADMINISTRATION, municipality=municipality)
    meeting = make_meeting(director, None)
    publishable(director, meeting, [director])
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.minutes_publish(actor=director, meeting=meeting)
    assert not MemberBrief.objects.exists()


def test_a_rep_who_left_gets_nothing(group, unit, django_capture_on_commit_callbacks):
    from trepart.organisation.models import RoleAssignment

    RoleAssignment.objects.filter(person=group["rep_nsf"]).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    meeting = publish(group, unit, django_capture_on_commit_callbacks)
    assert not MemberBrief.objects.filter(meeting=meeting, person=group["rep_nsf"]).exists()


# --- the summary page ---------------------------------------------------------------------------


def test_the_rep_edits_copies_mails_and_marks_it_shared(published, group):
    brief = brief_of(published, group["rep_ff"])
    client = client_for(group["rep_ff"])
    url = reverse("reflection:brief_detail", args=[brief.pk])
    page = client.get(url).content.decode()
    assert "<textarea" in page and "data-copy-target" in page and 'href="mailto:?subject=' in page
    response = client.post(url, {"text": "Kort om langvakter, i mine ord."})
    assert response.status_code == 302
    brief.refresh_from_db()
    assert brief.text.startswith("Kort om langvakter") and brief.edited_at
    shared_url = reverse("reflection:brief_shared", args=[brief.pk])
    assert client.post(shared_url).status_code == 302
    brief.refresh_from_db()
    assert brief.shared_at is not None
    assert client.post(shared_url, {"undo": "1"}).status_code == 302
    brief.refresh_from_db()
    assert brief.shared_at is None


def test_an_empty_text_is_refused_by_the_field_and_nothing_is_lost(published, group):
    brief = brief_of(published, group["rep_ff"])
    response = client_for(group["rep_ff"]).post(
        reverse("reflection:brief_detail", args=[brief.pk]), {"text": "   "}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    brief.refresh_from_db()
    assert "Langvakter" in brief.text


def test_only_the_rep_edits_group_members_see_employees_403_others_404(
    published, group, employee, other_municipality
):
    brief = brief_of(published, group["rep_ff"])
    url = reverse("reflection:brief_detail", args=[brief.pk])
    shared_url = reverse("reflection:brief_shared", args=[brief.pk])
    for colleague in (group["rep_nsf"], group["leader"]):
        client = client_for(colleague)
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200 and "<textarea" not in html
        assert "Langvakter i helg –" not in html  # the status only, not the rep's text
        assert client.post(url, {"text": "Overskrevet"}).status_code == 403
        assert client.post(shared_url).status_code == 403
    employee_client = client_for(employee)
    assert employee_client.get(url).status_code == 403
    assert employee_client.post(shared_url).status_code == 403
    outsider = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    other = client_for(outsider)
    assert other.get(url).status_code == 404
    assert other.post(shared_url).status_code == 404
    brief.refresh_from_db()
    assert brief.shared_at is None and "Overskrevet" not in brief.text


def test_a_rep_of_another_unit_gets_404(published, unit):
    """Another unit's private thing: its existence is not told (issue 15)."""
    elsewhere = UnitFactory(municipality=unit.municipality)
    rep = person_with_role(Role.LOCAL_UNION_REP, elsewhere)
    brief = MemberBrief.objects.filter(meeting=published).first()
    assert (
        client_for(rep).get(reverse("reflection:brief_detail", args=[brief.pk])).status_code == 404
    )


def test_get_never_writes(published, group):
    brief = brief_of(published, group["rep_ff"])
    before = (brief.text, brief.shared_at, brief.edited_at)
    client_for(group["rep_ff"]).get(reverse("reflection:brief_detail", args=[brief.pk]))
    brief.refresh_from_db()
    assert (brief.text, brief.shared_at, brief.edited_at) == before


# --- the panel on the meeting page --------------------------------------------------------------


def test_the_meeting_page_shows_who_has_told_the_members(published, group):
    from trepart.reflection import services_members

    mine = brief_of(published, group["rep_ff"])
    services_members.brief_mark_shared(actor=group["rep_ff"], brief=mine, shared=True)
    url = reverse("meetings:meeting_detail", args=[published.pk])
    html = client_for(group["leader"]).get(url).content.decode()
    assert 'id="told-members"' in html
    assert "Frida Fagforbund" in html and "Nils Sykepleier" in html and "Vera Verneombud" in html
    assert "(NSF)" in html  # role and union, for the unit's own people
    assert reverse("reflection:brief_detail", args=[mine.pk]) not in html  # not the leader's
    rep_html = client_for(group["rep_ff"]).get(url).content.decode()
    assert reverse("reflection:brief_detail", args=[mine.pk]) in rep_html


def test_no_panel_before_publishing_for_employees_or_in_the_steering_group(
    group, unit, employee, municipality
):
    leader = group["leader"]
    draft = make_meeting(leader, unit)
    html = client_for(leader).get(reverse("meetings:meeting_detail", args=[draft.pk]))
    assert 'id="told-members"' not in html.content.decode()


def test_employees_reading_published_minutes_see_no_panel(published, employee):
    html = client_for(employee).get(reverse("meetings:meeting_detail", args=[published.pk]))
    assert html.status_code == 200 and 'id="told-members"' not in html.content.decode()


def test_the_meeting_page_query_count_does_not_grow_with_the_reps(
    group, unit, django_capture_on_commit_callbacks
):
    few = publish(group, unit, django_capture_on_commit_callbacks)
    for i in range(6):
        person_with_role(Role.LOCAL_UNION_REP, unit, union=union("Delta"), full_name=f"Rep {i}")
    many = publish(group, unit, django_capture_on_commit_callbacks, day=datetime.date(2026, 4, 7))
    assert MemberBrief.objects.filter(meeting=many).count() == 9
    clients = {"leader": client_for(group["leader"]), "rep": client_for(group["rep_ff"])}

    def pages(meeting):
        url = reverse("meetings:meeting_detail", args=[meeting.pk])
        return [("leader", "meeting", url), ("rep", "meeting", url)]

    assert_same_counts(measure(clients, pages(few)), measure(clients, pages(many)))


def test_minutes_published_without_notifying_make_summaries_but_email_nobody(
    group, unit, django_capture_on_commit_callbacks
):
    """The demo's history is published with notify=False: the summaries exist, no e-mail."""
    leader = group["leader"]
    meeting = make_meeting(leader, unit)
    publishable(leader, meeting, list(group.values()))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.minutes_publish(actor=leader, meeting=meeting, notify=False)
    assert MemberBrief.objects.filter(meeting=meeting).count() == 3
    assert not mail.outbox
