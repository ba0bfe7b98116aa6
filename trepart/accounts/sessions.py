"""Sessions end after a time without use (issue 15, docs/configuration.md `SESSION_IDLE_MINUTES`).

A session lives `SESSION_COOKIE_AGE` seconds (the idle time) from its last save, in the
database and in the cookie. Saving it on every request (`SESSION_SAVE_EVERY_REQUEST`) would add
a write to every page; instead a logged-in session is saved again when it was last refreshed
more than `SESSION_REFRESH_SECONDS` ago. So a session ends between `SESSION_COOKIE_AGE -
SESSION_REFRESH_SECONDS` and `SESSION_COOKIE_AGE` seconds after its last request, and a person
who keeps working stays logged in.

Logging in stamps the session (`stamp_login`, on Django's `user_logged_in` signal), so the first
pages after a login write nothing. It also records when the person logged in: whatever the use,
a session ends `SESSION_MAX_HOURS` after its login (a shared ward computer used all day by one
login is logged out by the next shift), and the person logs in again.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.utils import timezone

REFRESHED_KEY = "_trepart_refreshed"
LOGIN_KEY = "_trepart_login_at"


def _now() -> int:
    return int(timezone.now().timestamp())


def stamp_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        session[REFRESHED_KEY] = session[LOGIN_KEY] = _now()


class SessionIdleMiddleware:
    """Slides a logged-in session's expiry forward, at most once per SESSION_REFRESH_SECONDS.

    Looks only at sessions the request has already read (a page that needs the person), so
    pages without a session (the anonymous input link, the survey link) stay without one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a request that brings a session cookie has a session to end: the anonymous pages
        # stay without one.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            self._end_when_too_old(request)
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or SESSION_KEY not in session:
            return response
        now = _now()
        last = session.get(REFRESHED_KEY)
        stale = not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS
        if stale or session.modified:
            # Marks the session modified: SessionMiddleware saves it with a new expiry.
            session[REFRESHED_KEY] = now
        return response

    @staticmethod
    def _end_when_too_old(request) -> None:
        """Issue 15: the absolute limit. Sessions from before the stamp have none (the idle
        limit still ends them)."""
        started = request.session.get(LOGIN_KEY)
        if isinstance(started, int) and _now() - started >= settings.SESSION_MAX_HOURS * 3600:
            logout(request)  # the session is flushed; the page sees an anonymous visitor


def clear_expired(today, stdout, now: bool = False) -> int:
    """`manage.py daily`: delete the sessions that have ended (issue 15), as Django's
    `clearsessions` does, so the table holds only live sessions. Inline: one DELETE."""
    from importlib import import_module

    from trepart.core.daily import write

    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    write(stdout, "Sessions: ended sessions deleted.")
    return 0
