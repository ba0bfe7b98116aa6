from django.urls import reverse

from tests.conftest import client_for


def test_pages_render_for_admin(admin_user, unit):
    c = client_for(admin_user)
    for url in [
        reverse("home:home"),
        reverse("organisation:structure"),
        reverse("organisation:unit_detail", args=[unit.pk]),
        reverse("organisation:steering_group"),
        reverse("organisation:manage"),
        reverse("organisation:people"),
        reverse("organisation:person_detail", args=[admin_user.pk]),
        reverse("organisation:person_create"),
        reverse("organisation:adoption_decision"),
        reverse("organisation:import"),
    ]:
        response = c.get(url)
        assert response.status_code == 200, url


def test_people_search_htmx_request_gets_only_the_results_partial(admin_user):
    c = client_for(admin_user)
    full = c.get(reverse("organisation:people"), {"q": admin_user.full_name})
    partial = c.get(
        reverse("organisation:people"), {"q": admin_user.full_name}, headers={"HX-Request": "true"}
    )
    assert "<html" in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body and admin_user.full_name in body and "<table" in body
