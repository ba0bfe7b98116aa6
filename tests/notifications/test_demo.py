"""The demo's notifications: a few people with settings and a log; idempotent."""

from django.urls import reverse

from tests.conftest import client_for
from trepart.demo.notifications import load_notifications_demo
from trepart.demo.organisation import email_for, load_demo
from trepart.notifications.models import Notification, NotificationSetting


def test_demo_notifications(db):
    municipality = load_demo()
    assert load_notifications_demo(municipality) > 0
    assert load_notifications_demo(municipality) == 0  # nothing twice
    anne = municipality.people.get(email=email_for("Anne Kristiansen"))
    states = set(Notification.objects.filter(recipient=anne).values_list("state", flat=True))
    assert states == {"sent", "waiting", "off"}
    assert NotificationSetting.objects.filter(person=anne).count() == 2
    html = client_for(anne).get(reverse("notifications:log")).content.decode()
    assert "rettet referat" in html.lower()  # the log capitalises the subject
