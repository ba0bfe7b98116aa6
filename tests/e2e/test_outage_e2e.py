"""Issue 15: an htmx request that gets the 503 page (database briefly unreachable) shows its
message in an alert, instead of nothing happening. The server's answer is replaced in the
browser (page.route), so the database stays up for the test itself."""

from django.test import RequestFactory

from tests.e2e.conftest import DESKTOP, login, new_page
from tests.factories import PASSWORD, UnitFactory, person_with_role
from trepart.core.views_errors import outage_response
from trepart.organisation.models import Role


def test_htmx_request_answered_503_shows_the_outage_message(browser, live_server, catalogue):
    unit = UnitFactory(municipality__name="Bruddvik kommune", name="Solsiden sykehjem")
    person = person_with_role(Role.LOCAL_UNION_REP, unit)
    outage = outage_response(RequestFactory().get("/")).content.decode()
    page = new_page(browser, live_server, DESKTOP)
    login(page, person.email, PASSWORD)
    page.goto(page.base_url + "/search/")

    def database_down(route, request):
        if request.headers.get("hx-request"):
            route.fulfill(status=503, body=outage, headers={"Retry-After": "5"})
        else:
            route.continue_()

    page.route("**/search/**", database_down)
    page.fill("#search-q", "vakt")
    alert = page.locator("[data-server-error]")
    alert.wait_for()
    assert alert.get_attribute("role") == "alert"
    text = alert.inner_text()
    assert "Trepart" in text and "Traceback" not in text
