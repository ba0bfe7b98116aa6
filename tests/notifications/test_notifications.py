"""Notifications (issue 13 part 5, PRODUCT P8): per-person settings per kind (immediately /
weekly digest / off), every notification logged and visible to its recipient only, e-mails in
the person's language with plain text and HTML, and the Monday digest from `manage.py daily`."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.conftest import client_for
from tests.factories import UserFactory, person_with_role
from tests.query_counts import assert_same_counts, measure
from trepart.notifications import daily, kinds, selectors, services, tasks
from trepart.notifications.forms import field_name
from trepart.notifications.models import Mode, Notification, NotificationSetting
from trepart.organisation.models import Role

D = datetime.date
MONDAY = D(2026, 3, 9)
TUESDAY = D(2026, 3, 10)
NEXT_MONDAY = D(2026, 3, 16)
KIND = "meetings.minutes_published"
OTHER_KIND = "meetings.action_reminder"
LOG = reverse("notifications:log")
SETTINGS = reverse("notifications:settings")


@pytest.fixture
def person(municipality):
    return UserFactory(municipality=municipality, full_name="Kari Nordmann")


def choose(person, kind, mode):
    NotificationSetting.objects.update_or_create(person=person, kind=kind, defaults={"mode": mode})


def tell(person, subject="Referat publisert", text="Referatet er klart.", kind=KIND, url=None):
    return services.notify(person, kind, subject, text, url or "http://testserver/meetings/1/")


# --- the registry -------------------------------------------------------------------------------


def test_every_app_registers_its_kinds():
    codes = {k.code for k in kinds.all_kinds()}
    assert {
        "meetings.agenda",
        "meetings.minutes_published",
        "meetings.action_reminder",
        "inputs.update",
        "measures.risk_needed",
        "measures.evaluation_reminder",
        "reporting.report_reminder",
        "reporting.question_answered",
        "surveys.pulse_opened",
        "reflection.member_brief",
        "continuity.rep_changes",
        "continuity.welcome",
    } <= codes


def test_unknown_kind_or_mode_is_refused(person):
    with pytest.raises(KeyError):
        services.notify(person, "no.such.kind", "x", "y")
    with pytest.raises(ValueError):
        kinds.register("test.bad", "Bad", "Bad default", default="hourly")


# --- the three modes ----------------------------------------------------------------------------


def test_immediately_sends_plain_text_and_html_and_logs_it(person):
    mail.outbox.clear()
    n = tell(person, text="Referatet fra møtet 3. mars er klart.\nLes det her.")
    assert n.state == Notification.State.SENT and n.sent_at and n.mode == Mode.IMMEDIATELY
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email] and message.subject == "Referat publisert"
    assert "Referatet fra møtet 3. mars er klart." in message.body
    assert "http://testserver/meetings/1/" in message.body  # the link, in the text too
    assert SETTINGS in message.body  # where to change how this comes
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<html" in html and "Referatet fra møtet 3. mars er klart." in html
    assert 'href="http://testserver/meetings/1/"' in html
    assert "<script" not in html


def test_html_escapes_what_people_wrote(person):
    mail.outbox.clear()
    tell(person, subject="<b>Emne</b>", text="<script>alert(1)</script> & mer")
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>Emne</b>" not in html


def test_weekly_waits_for_the_digest_and_off_is_logged_but_not_sent(person):
    choose(person, KIND, Mode.WEEKLY)
    choose(person, OTHER_KIND, Mode.OFF)
    mail.outbox.clear()
    weekly = tell(person)
    off = tell(person, kind=OTHER_KIND, subject="Oppgaver")
    assert mail.outbox == []
    assert weekly.state == Notification.State.WAITING and weekly.sent_at is None
    assert off.state == Notification.State.OFF and off.sent_at is None
    assert Notification.objects.filter(recipient=person).count() == 2


def test_the_kinds_default_holds_until_the_person_chooses(person):
    kinds.register("test.quiet", "Quiet", "Off unless chosen", default=Mode.OFF)
    try:
        assert services.mode_for(person, "test.quiet") == Mode.OFF
        services.settings_save(person, {"test.quiet": Mode.IMMEDIATELY})
        assert services.mode_for(person, "test.quiet") == Mode.IMMEDIATELY
    finally:
        kinds._kinds.pop("test.quiet")


def test_a_failing_mail_server_is_logged_as_failed(person, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    n = tell(person)
    assert n.state == Notification.State.FAILED and "smtp down" in n.error


def test_attachments_go_with_an_immediate_email(person):
    mail.outbox.clear()
    services.notify(
        person,
        KIND,
        "Innkalling",
        "Sakliste",
        attachments=[("m.ics", "BEGIN:VCALENDAR", "text/calendar")],
    )
    assert mail.outbox[0].attachments[0][0] == "m.ics"


# --- language ------------------------------------------------------------------------------------


def _reminder_subject(person):
    context = {
        "person": person,
        "overdue": [object()],
        "due_soon": [],
        "site_url": "",
        "actions_url": "",
    }
    return services.render_for(person, "meetings/email/reminder", context)[0]


def test_emails_are_in_the_persons_language(municipality):
    bokmal = UserFactory(municipality=municipality, language="nb")
    nynorsk = UserFactory(municipality=municipality, language="nn")
    nb_subject, nn_subject = _reminder_subject(bokmal), _reminder_subject(nynorsk)
    assert nb_subject != nn_subject
    assert "oppgave" in nb_subject and "oppgåve" in nn_subject
    mail.outbox.clear()
    services.notify(nynorsk, OTHER_KIND, nn_subject, "Tekst")
    assert mail.outbox[0].subject == nn_subject


def test_without_own_language_the_municipalitys_default_is_used(municipality):
    municipality.default_language = "nn"
    municipality.save()
    person = UserFactory(municipality=municipality, language="")
    assert "oppgåve" in _reminder_subject(person)


def test_a_call_site_follows_the_setting(party_group, unit):
    """The action reminders (meetings.tasks) go through notify(): a person who chose the digest
    gets no e-mail now; the reminder waits in their log."""
    from tests.meetings.conftest import make_meeting
    from trepart.meetings import tasks as meeting_tasks
    from trepart.meetings.models import ActionItem

    leader, rep = party_group["leader"], party_group["rep_ff"]
    meeting = make_meeting(leader, unit, day=D(2026, 2, 24))
    ActionItem.objects.create(
        meeting=meeting,
        assignee=rep,
        due_on=D(2026, 3, 1),
        description="Lage vaktliste",
        created_by=leader,
    )
    choose(rep, OTHER_KIND, Mode.WEEKLY)
    mail.outbox.clear()
    assert meeting_tasks.send_action_reminders.call(today=TUESDAY.isoformat()) == 0
    assert mail.outbox == []
    [n] = Notification.objects.filter(recipient=rep)
    assert n.state == Notification.State.WAITING and "Lage vaktliste" in n.text
    assert ActionItem.objects.get().last_reminded_on == TUESDAY  # not reminded again tomorrow


# --- the weekly digest ----------------------------------------------------------------------------


@pytest.fixture
def waiting(person):
    choose(person, KIND, Mode.WEEKLY)
    return [
        tell(person, subject="Referat fra februar", text="Februar er klart."),
        tell(person, subject="Referat fra mars", text="Mars er klart."),
    ]


def test_digest_only_on_mondays(waiting):
    mail.outbox.clear()
    assert services.digest_send(TUESDAY) == 0
    assert mail.outbox == []
    assert all(n.state == Notification.State.WAITING for n in Notification.objects.all())


def test_digest_on_monday_one_email_per_person_with_text_and_html(waiting, person, municipality):
    other = UserFactory(municipality=municipality)
    choose(other, KIND, Mode.WEEKLY)
    tell(other, subject="Referat til en annen")
    mail.outbox.clear()
    assert services.digest_send(MONDAY) == 2
    mine = next(m for m in mail.outbox if m.to == [person.email])
    assert "Referat fra februar" in mine.body and "Mars er klart." in mine.body
    assert "Referat til en annen" not in mine.body
    html, mimetype = mine.alternatives[0]
    assert mimetype == "text/html" and "Referat fra mars" in html
    rows = Notification.objects.filter(recipient=person)
    assert {n.state for n in rows} == {Notification.State.SENT}
    assert len({n.digest for n in rows}) == 1 and rows[0].digest_on == MONDAY


def test_digest_is_idempotent_the_same_day(waiting, person):
    mail.outbox.clear()
    assert services.digest_send(MONDAY) == 1
    late = tell(person, subject="Kom etter sammendraget")
    assert services.digest_send(MONDAY) == 0  # run twice: no second digest that day
    assert len(mail.outbox) == 1
    late.refresh_from_db()
    assert late.state == Notification.State.WAITING
    assert services.digest_send(NEXT_MONDAY) == 1  # it comes next week
    assert "Kom etter sammendraget" in mail.outbox[-1].body


def test_digest_in_the_persons_language(municipality):
    person = UserFactory(municipality=municipality, language="nn")
    choose(person, OTHER_KIND, Mode.WEEKLY)
    services.notify(person, OTHER_KIND, _reminder_subject(person), "Tekst")
    mail.outbox.clear()
    services.digest_send(MONDAY)
    assert "oppgåve" in mail.outbox[0].body


def test_a_failed_digest_waits_for_the_next_run(waiting, person, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert services.digest_send(MONDAY) == 0
    assert set(Notification.objects.values_list("state", flat=True)) == {"waiting"}
    monkeypatch.undo()
    mail.outbox.clear()
    assert services.digest_send(MONDAY) == 1


def test_daily_job_runs_the_digest(waiting):
    out = StringIO()
    mail.outbox.clear()
    assert daily.weekly_digest(MONDAY, out, now=True) == 0
    assert "Weekly digest: 1 e-mail(s) sent (ran in this process)." in out.getvalue()
    # Enqueued (the test settings run queued jobs at once): nothing left to send.
    out = StringIO()
    assert daily.weekly_digest(MONDAY, out) == 1
    assert "Weekly digest: 0 e-mail(s) sent (the job ran at once)." in out.getvalue()
    assert tasks.send_weekly_digests.call(today=TUESDAY.isoformat()) == 0
    assert len(mail.outbox) == 1


def test_daily_command_includes_the_digest(waiting):
    from django.core.management import call_command

    from trepart.core import hooks

    assert daily.weekly_digest in hooks.get_hooks(hooks.DAILY_JOBS)
    out = StringIO()
    call_command("daily", "--today", MONDAY.isoformat(), "--now", stdout=out)
    assert "Weekly digest: 1 e-mail(s) sent" in out.getvalue()


# --- the pages -----------------------------------------------------------------------------------


def test_log_shows_own_notifications_newest_first(person, municipality):
    old = tell(person, subject="Eldst")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    choose(person, OTHER_KIND, Mode.OFF)
    tell(person, subject="Avslått", kind=OTHER_KIND)
    tell(person, subject="Nyest")
    response = client_for(person).get(LOG)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Nyest") < html.index("Avslått") < html.index("Eldst")
    assert 'href="http://testserver/meetings/1/"' in html


def test_log_shows_each_notifications_text(person):
    # The content is visible to its recipient, also when it was turned off or has no link
    # (review rev2 #9).
    choose(person, OTHER_KIND, Mode.OFF)
    tell(person, subject="Avslått", kind=OTHER_KIND, text="Første linje.\nAndre <b>linje</b>.")
    html = client_for(person).get(LOG).content.decode()
    assert '<details class="ds-details">' in html
    assert "Første linje.<br>Andre &lt;b&gt;linje&lt;/b&gt;." in html


def test_nobody_sees_other_peoples_notifications(person, municipality, other_municipality):
    tell(person, subject="Hemmelig for andre")
    colleague = UserFactory(municipality=municipality)
    admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)
    stranger = person_with_role(Role.MUNICIPAL_ADMIN, municipality=other_municipality)
    for viewer in (colleague, admin, stranger):
        response = client_for(viewer).get(LOG)
        assert response.status_code == 200
        assert "Hemmelig for andre" not in response.content.decode()
        assert not selectors.notifications_visible_to(viewer).exists()
    assert client_for(person).get(LOG).content.decode().count("Hemmelig for andre") == 1


def test_pages_need_login_and_a_municipality(person):
    from django.test import Client

    for url in (LOG, SETTINGS):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    operator = UserFactory(municipality=None, is_staff=True)
    for url in (LOG, SETTINGS):
        assert client_for(operator).get(url).status_code == 403
        assert client_for(operator).post(url, {}).status_code == 403


def test_log_is_paginated_by_50(person):
    Notification.objects.bulk_create(
        Notification(
            recipient=person, kind=KIND, mode="off", subject=f"Varsel {i}", text="", state="off"
        )
        for i in range(60)
    )
    client = client_for(person)
    first = client.get(LOG)
    assert len(first.context["page"].object_list) == 50
    second = client.get(LOG + "?page=2")
    assert len(second.context["page"].object_list) == 10
    assert client.get(LOG + "?page=nonsense").status_code == 200
    assert client.get(LOG + "?page=9999").status_code == 200


def test_log_page_queries_do_not_grow(person):
    def make(count):
        Notification.objects.filter(recipient=person).delete()
        Notification.objects.bulk_create(
            Notification(
                recipient=person,
                kind=KIND,
                mode="weekly",
                subject=f"V {i}",
                text="t",
                state="waiting",
            )
            for i in range(count)
        )

    client = client_for(person)
    pages = [
        ("me", "log", LOG),
        ("me", "settings", SETTINGS),
        ("me", "own", reverse("accounts:own_page")),
    ]
    make(1)
    few = measure({"me": client}, pages)
    make(50)
    many = measure({"me": client}, pages)
    assert_same_counts(few, many)


def test_settings_form_saves_each_kind(person):
    client = client_for(person)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="{field_name(KIND)}"' in html and 'type="radio"' in html
    data = {field_name(k.code): k.default for k in kinds.all_kinds()}
    data[field_name(KIND)] = Mode.WEEKLY
    data[field_name(OTHER_KIND)] = Mode.OFF
    response = client.post(SETTINGS, data)
    assert response.status_code == 302
    assert services.mode_for(person, KIND) == Mode.WEEKLY
    assert services.mode_for(person, OTHER_KIND) == Mode.OFF
    # Only the changes are stored: an untouched default follows the kind.
    assert NotificationSetting.objects.filter(person=person).count() == 2
    # Saving the same again changes nothing.
    assert services.settings_save(person, {KIND: Mode.WEEKLY}) == 0


@pytest.mark.parametrize("bad", ["hourly", "", "<script>", "\x00"])
def test_settings_form_invalid_input_400_with_error(person, bad):
    client = client_for(person)
    data = {field_name(k.code): k.default for k in kinds.all_kinds()}
    data[field_name(KIND)] = bad
    data[field_name(OTHER_KIND)] = Mode.OFF
    response = client.post(SETTINGS, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and "ds-validation-message" in html
    # What was chosen elsewhere is kept, and nothing is stored.
    assert f'value="off" id="id_{field_name(OTHER_KIND)}_2" checked' in html
    assert not NotificationSetting.objects.filter(person=person).exists()


def test_settings_form_missing_fields_400(person):
    response = client_for(person).post(SETTINGS, {})
    assert response.status_code == 400
    assert not NotificationSetting.objects.exists()
    # An empty POST is a bound form with its errors shown (review rev2 #7).
    form = response.context["form"]
    assert form.is_bound and form.errors
    html = response.content.decode()
    message = str(next(iter(form.errors.values()))[0])
    assert escape(message) in html
    assert "ds-validation-message" in html or "error-summary" in html


def test_own_page_links_to_settings_and_log(person):
    choose(person, KIND, Mode.WEEKLY)
    tell(person)
    response = client_for(person).get(reverse("accounts:own_page"))
    html = response.content.decode()
    assert SETTINGS in html and LOG in html
    summary = next(p for p in response.context["page_panels"] if "summary" in p)["summary"]
    assert summary["weekly"] == 1 and summary["waiting"] == 1
    assert summary["immediately"] + summary["weekly"] + summary["off"] == summary["kinds"]
