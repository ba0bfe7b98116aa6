"""Issue 9, part 5: two people triaging the same input at the same moment. The second change is
refused with who made the first, not merged, and nothing of it is applied.

The version a page carries is the input's latest timeline event id (trepart/core/concurrency.py).
The unit tests run on SQLite and PostgreSQL; the two-real-transactions test needs PostgreSQL's
row locks and is skipped on SQLite only (CI runs the suite on both).
"""

import re

import pytest
from django.db import connection
from django.urls import reverse

from tests.inputs.conftest import future_meeting, logged_in, submit, with_version
from tests.race import race, race_catalogue  # noqa: F401  (fixture)
from trepart.core.concurrency import UNKNOWN_VERSION, StaleChange, current_version
from trepart.inputs import services
from trepart.inputs.models import Input, InputEvent, Status

ANSWER_A = "Vi tar det opp på neste møte i partsgruppa."
ANSWER_B = "Vi har ikke mulighet til dette i år, men ser på det igjen i høst."


@pytest.fixture
def item(unit):
    return submit(unit)[0]


def _detail(item) -> str:
    return reverse("inputs:input_detail", args=[item.pk])


def _url(name, item) -> str:
    return reverse(f"inputs:{name}", args=[item.pk])


def _state(item):
    """Everything a triage change could touch, to show that a refused one changed nothing."""
    fresh = Input.objects.get(pk=item.pk)
    return (
        fresh.status,
        fresh.answer,
        fresh.answer_draft,
        fresh.public,
        fresh.hidden,
        fresh.answered_by_id,
        list(InputEvent.objects.filter(input=item).values_list("pk", "kind", "actor")),
    )


# --- the version --------------------------------------------------------------------------------


def test_version_is_the_latest_timeline_event(item, leader):
    assert current_version(item) == 0  # sent, nothing done yet: the submission is no event
    services.input_consider(actor=leader, item=item)
    assert current_version(item) == InputEvent.objects.get(input=item).pk
    services.input_set_public(actor=leader, item=item, public=True)
    assert current_version(item) == InputEvent.objects.filter(input=item).latest("id").pk


TRIAGE_ACTIONS = (
    "input_consider",
    "input_answer",
    "input_reopen",
    "input_public",
    "input_hide",
    "input_unhide",
)


def _triage_forms(item, user) -> dict[str, list[str]]:
    """The triage forms on the input page, by action."""
    body = logged_in(user).get(_detail(item)).content.decode()
    forms = re.findall(r"<form\b.*?</form>", body, re.S)
    found = {}
    for name in TRIAGE_ACTIONS:
        found[name] = [f for f in forms if f'action="{_url(name, item)}"' in f]
    return found


def test_every_triage_form_carries_the_version_the_page_shows(item, leader):
    seen = set()
    for step in (
        lambda: None,  # new: consider, answer, public, hide
        lambda: services.input_close(actor=leader, item=item, status="answered", answer="Ja"),
        lambda: services.input_hide(actor=leader, item=item, reason="Sjikane"),  # unhide
    ):
        step()
        for name, forms in _triage_forms(item, leader).items():
            for form in forms:
                seen.add(name)
                assert f'name="version" value="{current_version(item)}"' in form, form[:300]
    assert seen == set(TRIAGE_ACTIONS)


# --- the service refuses a stale change ---------------------------------------------------------


def test_input_close_with_a_stale_version_is_refused_naming_who(item, party_group):
    """Both saw the new input; the leader answered first; the rep's answer is refused."""
    leader, rep = party_group["leader"], party_group["rep_ff"]
    seen = current_version(item)
    services.input_close(actor=leader, item=item, status="answered", answer=ANSWER_A, version=seen)
    before = _state(item)
    stale = Input.objects.get(pk=item.pk)
    with pytest.raises(StaleChange) as exc:
        services.input_close(
            actor=rep, item=stale, status="not_taken_up", answer=ANSWER_B, version=seen
        )
    assert exc.value.changed_by == leader
    assert exc.value.messages == [
        "Liv Leder changed this just now. Look at the new state and try again."
    ]
    assert _state(item) == before  # nothing of the rep's answer is applied
    assert stale.status == Status.ANSWERED  # the service reloaded the row it locked


@pytest.mark.parametrize(
    "call",
    [
        lambda actor, item, v: services.input_consider(actor=actor, item=item, version=v),
        lambda actor, item, v: services.input_draft_save(
            actor=actor, item=item, answer=ANSWER_B, version=v
        ),
        lambda actor, item, v: services.input_close(
            actor=actor, item=item, status="answered", answer=ANSWER_B, version=v
        ),
        lambda actor, item, v: services.input_set_public(
            actor=actor, item=item, public=True, version=v
        ),
        lambda actor, item, v: services.input_hide(
            actor=actor, item=item, reason="Sjikane", version=v
        ),
        lambda actor, item, v: services.input_unhide(actor=actor, item=item, version=v),
        lambda actor, item, v: services.input_reopen(actor=actor, item=item, version=v),
    ],
    ids=["consider", "draft", "close", "public", "hide", "unhide", "reopen"],
)
def test_every_triage_service_checks_the_version(item, party_group, call):
    leader, rep = party_group["leader"], party_group["rep_nsf"]
    seen = current_version(item)
    services.input_draft_save(actor=leader, item=item, answer=ANSWER_A)
    before = _state(item)
    with pytest.raises(StaleChange):
        call(rep, item, seen)
    assert _state(item) == before


def test_the_current_version_is_accepted(item, leader):
    services.input_consider(actor=leader, item=item, version=current_version(item))
    services.input_close(
        actor=leader, item=item, status="answered", answer=ANSWER_A, version=current_version(item)
    )
    assert Input.objects.get(pk=item.pk).status == Status.ANSWERED


def test_unknown_version_is_refused_with_its_own_message(item, leader):
    before = _state(item)
    with pytest.raises(StaleChange) as exc:
        services.input_consider(actor=leader, item=item, version=UNKNOWN_VERSION)
    assert "incomplete or out of date" in exc.value.messages[0]
    assert exc.value.changed_by is None
    assert _state(item) == before


def test_a_change_by_nobody_known_is_named_neutrally(item, party_group):
    leader, rep = party_group["leader"], party_group["rep_ff"]
    seen = current_version(item)
    services.input_consider(actor=rep, item=item)
    # No actor: a change by the system, or by a person since deleted (SET_NULL).
    InputEvent.objects.filter(input=item).update(actor=None)
    with pytest.raises(StaleChange) as exc:
        services.input_close(
            actor=leader, item=item, status="answered", answer=ANSWER_A, version=seen
        )
    assert exc.value.messages == [
        "Someone else changed this just now. Look at the new state and try again."
    ]


def test_internal_callers_without_a_version_are_not_checked(item, leader):
    """Other services, the demo and older tests call without `version=`: no comparison (the row
    is still locked)."""
    services.input_consider(actor=leader, item=item)
    services.input_close(actor=leader, item=item, status="answered", answer=ANSWER_A)
    assert Input.objects.get(pk=item.pk).status == Status.ANSWERED


# --- the pages ----------------------------------------------------------------------------------


def test_answer_page_conflict_names_who_and_keeps_what_was_typed(item, party_group):
    """The leader sends an answer; the rep, on the page opened before, sends another: 409, the
    leader's answer stands, the rep reads who and still has their text."""
    leader, rep = party_group["leader"], party_group["rep_ff"]
    seen = with_version(item)
    data = {"action": "close", "status": "answered", "answer": ANSWER_A}
    assert logged_in(leader).post(_url("input_answer", item), seen | data).status_code == 302
    before = _state(item)
    data_b = {"action": "close", "status": "not_taken_up", "answer": ANSWER_B}
    response = logged_in(rep).post(_url("input_answer", item), seen | data_b)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Liv Leder changed this just now. Look at the new state and try again." in body
    assert ANSWER_B in body  # kept: the answer form is gone (closed), the text is shown
    assert ANSWER_A in body  # the new state
    assert _state(item) == before
    # The page now carries the new version: trying again from it is checked against that.
    assert f'name="version" value="{current_version(item)}"' in body


def test_draft_conflict_keeps_the_text_in_the_form(item, party_group):
    """Two members draft at once: the second is refused; the form (still on the page, the
    input is open) keeps their text and the new version, so they can compare and save again."""
    leader, rep = party_group["leader"], party_group["rep_ff"]
    seen = with_version(item)
    logged_in(leader).post(_url("input_answer", item), seen | {"action": "draft", "answer": "A"})
    response = logged_in(rep).post(
        _url("input_answer", item), seen | {"action": "draft", "answer": ANSWER_B}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Liv Leder changed this just now." in body
    assert re.search(r"<textarea[^>]*name=\"answer\"[^>]*>\s*" + re.escape(ANSWER_B), body)
    assert Input.objects.get(pk=item.pk).answer_draft == "A"
    again = logged_in(rep).post(
        _url("input_answer", item), with_version(item, {"action": "draft", "answer": ANSWER_B})
    )
    assert again.status_code == 302
    assert Input.objects.get(pk=item.pk).answer_draft == ANSWER_B


@pytest.mark.parametrize(
    "name,data",
    [
        ("input_consider", {}),
        ("input_public", {"public": "1"}),
        ("input_hide", {"reason": "Sjikane"}),
    ],
)
def test_button_forms_answer_a_conflict_with_the_page(item, party_group, name, data):
    leader, rep = party_group["leader"], party_group["rep_nsf"]
    seen = with_version(item)
    services.input_draft_save(actor=leader, item=item, answer="Utkast")
    before = _state(item)
    response = logged_in(rep).post(_url(name, item), seen | data)
    assert response.status_code == 409
    assert "Liv Leder changed this just now." in response.content.decode()
    assert _state(item) == before


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "1.0", "１２", "9" * 40, "0x10"])
def test_missing_or_junk_version_is_refused_not_a_server_error(item, leader, version):
    data = {"action": "close", "status": "answered", "answer": ANSWER_A}
    if version is not None:
        data["version"] = version
    before = _state(item)
    response = logged_in(leader).post(_url("input_answer", item), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "The page you sent this from was incomplete or out of date." in body
    assert ANSWER_A in body  # what was typed stays in the form
    assert _state(item) == before


def test_unhide_and_reopen_without_a_version_are_refused(item, leader):
    services.input_hide(actor=leader, item=item, reason="Sjikane")
    response = logged_in(leader).post(_url("input_unhide", item))
    assert response.status_code == 409 and Input.objects.get(pk=item.pk).hidden
    services.input_unhide(actor=leader, item=item)
    services.input_close(actor=leader, item=item, status="answered", answer=ANSWER_A)
    response = logged_in(leader).post(_url("input_reopen", item), {"version": "x"})
    assert response.status_code == 409
    assert Input.objects.get(pk=item.pk).status == Status.ANSWERED


def test_conflict_message_in_norwegian(item, party_group):
    leader, rep = party_group["leader"], party_group["rep_ff"]
    seen = with_version(item)
    services.input_consider(actor=leader, item=item)
    nb = logged_in(rep, language="nb").post(_url("input_consider", item), seen)
    assert nb.status_code == 409
    assert "Liv Leder endret dette nettopp. Se hvordan det står nå, og prøv igjen." in (
        nb.content.decode()
    )
    nn = logged_in(rep, language="nn").post(_url("input_consider", item), seen)
    assert "Liv Leder endra dette nett no. Sjå korleis det står no, og prøv igjen." in (
        nn.content.decode()
    )


def test_taken_up_on_a_meeting_by_two_only_puts_it_on_the_agenda_once(item, party_group, unit):
    leader, rep = party_group["leader"], party_group["rep_ff"]
    meeting = future_meeting(leader, unit)
    seen = with_version(item)
    data = {"action": "close", "status": "taken_up", "answer": ANSWER_A, "target": meeting.pk}
    assert logged_in(leader).post(_url("input_answer", item), seen | data).status_code == 302
    assert logged_in(rep).post(_url("input_answer", item), seen | data).status_code == 409
    assert meeting.items.filter(title=Input.objects.get(pk=item.pk).title).count() == 1


# --- two real transactions (PostgreSQL) ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("race_catalogue")  # before the data is made
def test_two_real_transactions_the_second_waits_and_is_refused(unit, party_group):
    """Both read the same input; the leader's answer commits while the rep's transaction waits
    on the row lock; then the rep's answer is refused and nothing of it is applied."""
    if connection.vendor == "sqlite":
        pytest.skip(
            "needs PostgreSQL row locks (SELECT … FOR UPDATE); SQLite locks the whole file. "
            "The version check itself is tested above on both; CI runs this on PostgreSQL."
        )
    leader, rep = party_group["leader"], party_group["rep_ff"]
    item = submit(unit)[0]

    def read():
        fresh = Input.objects.get(pk=item.pk)
        return fresh, current_version(fresh)

    def first(seen):
        fresh, version = seen
        return services.input_close(
            actor=leader, item=fresh, status="answered", answer=ANSWER_A, version=version
        )

    def second(seen):
        fresh, version = seen
        return services.input_close(
            actor=rep, item=fresh, status="not_taken_up", answer=ANSWER_B, version=version
        )

    out = race(read, first, second)
    assert out["second_blocked"], "the second transaction did not wait for the row lock"
    assert isinstance(out["second_error"], StaleChange), out
    assert out["second_error"].changed_by == leader
    # The thread speaks the default language, bokmål.
    assert out["second_error"].messages[0].startswith("Liv Leder endret dette nettopp.")
    fresh = Input.objects.get(pk=item.pk)
    assert (fresh.status, fresh.answer, fresh.answered_by) == ("answered", ANSWER_A, leader)
    events = list(InputEvent.objects.filter(input=item).values_list("actor", "status"))
    assert events == [(leader.pk, "answered")]
