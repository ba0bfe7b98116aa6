"""Reflection exercises in a browser (P6, R18), on a phone.

The unit leader starts a role-swap exercise; the leader, a union rep and the safety rep each
log in in turn and answer privately. A member who has answered sees who else has answered but
never their answers. The last answer releases the run, and the answers are shown side by side by
role. Every page is checked with axe and for sideways scrolling.
"""

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    check_page,
    login,
    new_page,
)
from tests.factories import PASSWORD, UnitFactory, person_with_role, presence, union
from trepart.organisation.models import Role
from trepart.reflection.models import ExerciseRun

ANSWERS = {
    "leader": "Lederen deler budsjettallene tidlig",
    "rep": "De tillitsvalgte kjenner praten på pauserommet",
    "safety": "Begge parter bør ta med verneombudet tidligere",
}


def _answer(page, run_pk, text):
    page.goto(f"{page.base_url}/exercises/{run_pk}/answer/")
    for key in ("contribution", "more_less", "challenge"):
        page.fill(f"#id_q_{key}", f"{text} ({key})")
    with page.expect_navigation():
        page.locator("button[name=action][value=submit]").click()


def test_three_members_answer_a_role_swap_privately(browser, live_server, catalogue):
    unit = UnitFactory(municipality__name="Fjordby kommune", name="Solsiden sykehjem")
    presence(unit, "Fagforbundet")
    group = {
        "leader": person_with_role(Role.UNIT_LEADER, unit, full_name="Liv Leder"),
        "rep": person_with_role(
            Role.LOCAL_UNION_REP, unit, union=union("Fagforbundet"), full_name="Frida Fagforbund"
        ),
        "safety": person_with_role(Role.SAFETY_REP, unit, full_name="Vera Verneombud"),
    }

    # The leader starts the role swap and answers first, on her phone.
    page = new_page(browser, live_server, PHONE)
    login(page, group["leader"].email, PASSWORD)
    page.goto(f"{page.base_url}/units/{unit.pk}/exercises/")
    check_page(page, "exercises-list-phone")
    page.goto(f"{page.base_url}/units/{unit.pk}/exercises/start/")
    page.check("#id_exercise_role_swap")
    check_page(page, "exercises-start-phone")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    run = ExerciseRun.objects.get()
    assert page.url.endswith(f"/exercises/{run.pk}/answer/")
    check_page(page, "exercises-answer-phone")
    _answer(page, run.pk, ANSWERS["leader"])
    assert page.url.endswith(f"/exercises/{run.pk}/")
    assert ANSWERS["leader"] in page.locator("main").inner_text()  # her own answers
    check_page(page, "exercises-waiting-phone")
    page.context.close()

    # The union rep sees that the leader has answered, but not what; then answers.
    page = new_page(browser, live_server, PHONE)
    login(page, group["rep"].email, PASSWORD)
    page.goto(f"{page.base_url}/exercises/{run.pk}/")
    main = page.locator("main").inner_text()
    assert "Liv Leder" in page.locator("#answered-list").inner_text()
    assert ANSWERS["leader"] not in main
    _answer(page, run.pk, ANSWERS["rep"])
    main = page.locator("main").inner_text()
    assert ANSWERS["rep"] in main and ANSWERS["leader"] not in main
    assert "Frida Fagforbund" in page.locator("#answered-list").inner_text()
    assert "Vera Verneombud" in page.locator("#waiting-list").inner_text()
    page.context.close()
    run.refresh_from_db()
    assert not run.is_released

    # The safety rep answers last: the run is released and shown side by side by role.
    page = new_page(browser, live_server, PHONE)
    login(page, group["safety"].email, PASSWORD)
    page.goto(f"{page.base_url}/")
    assert page.locator(f"main a[href='/exercises/{run.pk}/answer/']").count() == 1  # home panel
    page.goto(f"{page.base_url}/exercises/{run.pk}/")
    assert ANSWERS["leader"] not in page.locator("main").inner_text()
    _answer(page, run.pk, ANSWERS["safety"])
    run.refresh_from_db()
    assert run.is_released
    block = page.locator("#block-contribution").locator("xpath=..")
    columns = block.locator(".board__column")
    assert columns.count() == 3  # leaders, union reps, safety rep
    assert ANSWERS["leader"] in columns.nth(0).inner_text()
    assert ANSWERS["rep"] in columns.nth(1).inner_text()
    assert ANSWERS["safety"] in columns.nth(2).inner_text()
    # On a phone the role columns are stacked, one under the other.
    boxes = [columns.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    check_page(page, "exercises-released-phone")
    page.context.close()

    # On a wide screen the roles stand side by side.
    page = new_page(browser, live_server, DESKTOP)
    login(page, group["leader"].email, PASSWORD)
    page.goto(f"{page.base_url}/exercises/{run.pk}/")
    columns = page.locator("#block-contribution").locator("xpath=..").locator(".board__column")
    boxes = [columns.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    check_page(page, "exercises-released-desktop")
    page.context.close()
